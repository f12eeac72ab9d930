import type { IncomingMessage } from 'node:http';
import { type Admission, type Caller, REQUEST_ID_HEADER } from '@tandem/platform';
import { requestIdOf } from '../request-id.js';
import type { ResponseCache } from './response-cache.js';
import { CACHE_HEADER, responseCacheKey } from './response-cache-plugin.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';

/**
 * The media type Apollo would answer a single result with, for the Accept
 * headers clients send (none, a plain list, any type). Undefined when it takes
 * more than reading the list in order (quality values): the request then
 * goes the full way, where Apollo negotiates.
 */
export function answerMediaType(accept: string | undefined): string | undefined {
  if (!accept) return JSON_TYPE;
  if (accept.includes(';')) return undefined;
  for (const raw of accept.split(',')) {
    const type = raw.trim().toLowerCase();
    if (type === 'application/graphql-response+json') return GRAPHQL_RESPONSE_TYPE;
    if (type === 'application/json' || type === 'application/*' || type === '*/*') return JSON_TYPE;
  }
  return undefined;
}

/**
 * The response cache's fast path, after admission (the caller is
 * authenticated, within its rate limit, the document within its token
 * budget): a POST whose exact request this caller made before, answered
 * since with nothing changed in the tenant, gets the stored page without
 * entering Apollo. Everything else, and every miss, goes on to Apollo, where
 * the plugin validates, executes and stores.
 */
export function cachedAnswer(cache: ResponseCache, callerOf: (req: IncomingMessage) => Promise<Caller | null>) {
  return async (req: IncomingMessage, body: unknown): Promise<Admission | undefined> => {
    if (req.method !== 'POST' || !cache.enabled || !body || typeof body !== 'object') return undefined;
    if (/no-cache|no-store/.test(req.headers['cache-control'] ?? '')) return undefined;
    const accept = req.headers.accept;
    const mediaType = answerMediaType(accept);
    const request = body as { query?: unknown; operationName?: unknown; variables?: unknown };
    if (!mediaType || typeof request.query !== 'string') return undefined;
    const caller = await callerOf(req);
    if (!caller?.tenantId) return undefined;
    const text = cache.peekText(responseCacheKey(caller, request, accept), caller.tenantId);
    if (text === undefined) return undefined;
    return {
      kind: 'answer',
      status: 200,
      text,
      headers: { 'content-type': mediaType, [CACHE_HEADER]: 'hit', [REQUEST_ID_HEADER]: requestIdOf(req.headers[REQUEST_ID_HEADER]) },
    };
  };
}
