import type { IncomingMessage } from 'node:http';
import type { Admission, Caller, RateLimiter } from '@tandem/platform';
import { Lexer, Source, TokenKind } from 'graphql';
import type { GatewaySecurityOptions } from './security-options.js';
import type { TrustedDocuments } from './trusted-documents.js';

/** Whose budget a request counts against: the user, the API client, or (no token) the address it came from. */
export function rateLimitKey(caller: Caller | null, req: IncomingMessage): { key: string; limit: (o: GatewaySecurityOptions['rateLimit']) => number } {
  if (caller?.kind === 'user') return { key: `user:${caller.tenantId}:${caller.id}`, limit: (o) => o.perUser };
  if (caller?.kind === 'client') return { key: `client:${caller.tenantId}:${caller.id}`, limit: (o) => o.perClient };
  return { key: `addr:${req.socket.remoteAddress ?? 'unknown'}`, limit: (o) => o.perAnonymousAddress };
}

/** Whether the document has more than `max` lexical tokens; stops counting there. Syntax errors are left to the parser. */
export function exceedsTokens(query: string, max: number): boolean {
  const lexer = new Lexer(new Source(query));
  try {
    for (let count = 0; lexer.advance().kind !== TokenKind.EOF; ) if (++count > max) return true;
  } catch {
    return false;
  }
  return false;
}

function graphqlError(status: number, message: string, extensions: Record<string, unknown>, headers: Record<string, string> = {}): Admission {
  return { kind: 'refuse', status, body: { errors: [{ message, extensions }] }, headers };
}

const tooLong = () => graphqlError(400, 'Query is too long', { code: 'GRAPHQL_PARSE_FAILED' });

/**
 * Runs before Apollo on every /graphql request: the caller's rate limit, the
 * document's length in tokens (bounds parsing work), then trusted documents (a body with `extensions.persistedQuery.sha256Hash` and no
 * query is resolved from the manifest; an unknown id is refused). Apollo's own
 * automatic persisted queries are off, so nobody can register documents at run time.
 */
export function requestAdmission(deps: {
  options: GatewaySecurityOptions;
  limiter: RateLimiter;
  trusted: TrustedDocuments;
  /** The caller of this request; null when its token is bad (Apollo then answers 401). */
  callerOf: (req: IncomingMessage) => Promise<Caller | null>;
}) {
  return async (req: IncomingMessage, body: unknown): Promise<Admission> => {
    const { key, limit } = rateLimitKey(await deps.callerOf(req), req);
    const verdict = await deps.limiter.hit(key, limit(deps.options.rateLimit), deps.options.rateLimit.windowSeconds);
    if (!verdict.allowed) {
      return graphqlError(
        429,
        `Too many requests: retry in ${verdict.retryAfterSeconds} s`,
        { code: 'RATE_LIMITED', retryAfterSeconds: verdict.retryAfterSeconds },
        {
          'retry-after': String(verdict.retryAfterSeconds),
        },
      );
    }
    const getQuery = req.method === 'GET' ? new URL(req.url ?? '/', 'http://localhost').searchParams.get('query') : null;
    if (getQuery && exceedsTokens(getQuery, deps.options.maxTokens)) return tooLong();
    if (!body || typeof body !== 'object' || Array.isArray(body)) return { kind: 'pass', body };
    const sent = (body as { query?: unknown }).query;
    if (typeof sent === 'string' && exceedsTokens(sent, deps.options.maxTokens)) return tooLong();
    const request = body as { query?: unknown; extensions?: { persistedQuery?: { sha256Hash?: unknown } } & Record<string, unknown> };
    const hash = request.extensions?.persistedQuery?.sha256Hash;
    if (hash === undefined) return { kind: 'pass', body };
    const { persistedQuery: _id, ...extensions } = request.extensions ?? {};
    if (typeof request.query === 'string') {
      // A full document that also names its id: it is checked like any other full document.
      return { kind: 'pass', body: { ...request, extensions } };
    }
    const query = typeof hash === 'string' ? deps.trusted.get(hash) : undefined;
    if (!query)
      return graphqlError(400, 'Unknown document id: this gateway accepts only the workbench’s registered documents by id', {
        code: 'PERSISTED_QUERY_NOT_FOUND',
      });
    return { kind: 'pass', body: { ...request, query, extensions } };
  };
}
