import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ApolloServer, BaseContext } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { createLogger } from '../logging/logger.js';
import { httpRequestDuration, metricsRegistry } from './metrics.js';

const log = createLogger('http');

/** The default request-size limit; `maxBodyBytes` overrides it per host. */
export const MAX_BODY_BYTES = 1_000_000;

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<void> | void;

/** What of a request its context may read: the whole message over HTTP; headers alone for a host also served in process. */
export type RequestHeaders = Pick<IncomingMessage, 'headers'>;

export interface HttpHostOptions<C extends BaseContext, Req extends RequestHeaders = IncomingMessage> {
  apollo: ApolloServer<C>;
  context: (req: Req) => Promise<C>;
  /** Extra routes by exact path (e.g. /oauth/token); `/graphql`, `/health`, `/ready`, `/metrics` are built in. */
  routes?: Record<string, RouteHandler>;
  /** Fallback for any other GET (the gateway serves the workbench this way). */
  fallback?: RouteHandler;
  ready?: () => Promise<boolean>;
  /** Larger bodies are refused with 413 before they are parsed (default MAX_BODY_BYTES). */
  maxBodyBytes?: number;
  /**
   * Runs on every /graphql request before Apollo sees it: answers it instead
   * (a rate limit, an unknown document id) or passes a rewritten body on.
   */
  admit?: (req: IncomingMessage, body: unknown) => Promise<Admission>;
  /** Names this host's /graphql requests in `tandem_http_request_seconds`; unnamed hosts are not timed. */
  service?: string;
}

export type Admission =
  | { kind: 'pass'; body: unknown }
  | { kind: 'refuse'; status: number; body: unknown; headers?: Record<string, string> }
  /** Answered already (the gateway's response cache): the text is sent as it is. */
  | { kind: 'answer'; status: number; text: string; headers: Record<string, string> };

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The answers both the HTTP route and the in-process path give before Apollo sees a request. */
const tooLargeBody = (maxBytes: number) => ({ errors: [{ message: `Request body exceeds ${maxBytes} bytes`, extensions: { code: 'BAD_USER_INPUT' } }] });
const NOT_JSON_BODY = { errors: [{ message: 'Body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] };

/** Apollo's response headers as a plain record. */
function headerRecord(headers: HeaderMap): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [k, v] of headers) record[k] = v;
  return record;
}

async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | 'too-large'> {
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return 'too-large';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Who answered a timed request; a request answered before admission or the pipeline counts as the host's. */
const answeredBy = new WeakMap<ServerResponse, 'graphql' | 'admission'>();

function timeRequest(service: string, res: ServerResponse): void {
  const start = process.hrtime.bigint();
  // 'finish': the whole answer was handed to the OS. A connection closed before that records nothing.
  res.once('finish', () => {
    httpRequestDuration.observe({ service, answered_by: answeredBy.get(res) ?? 'host' }, Number(process.hrtime.bigint() - start) / 1e9);
  });
}

/**
 * A small HTTP host for an Apollo Server: no framework, JSON bodies up to
 * MAX_BODY_BYTES, health/readiness/metrics beside /graphql. Used by every
 * subgraph and by the gateway, so they all answer the same way.
 */
export function createHttpHost<C extends BaseContext>(opts: HttpHostOptions<C>): Server {
  const maxBodyBytes = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  return createServer((req, res) => {
    if (opts.service && req.url?.startsWith('/graphql')) timeRequest(opts.service, res);
    void handle(req, res).catch((err) => {
      log.error({ err }, 'unhandled HTTP error');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === '/health') return sendJson(res, 200, { status: 'ok' });
    if (path === '/ready') {
      const ok = opts.ready ? await opts.ready().catch(() => false) : true;
      return sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : 'not-ready' });
    }
    if (path === '/metrics') {
      res.writeHead(200, { 'content-type': metricsRegistry.contentType });
      return res.end(await metricsRegistry.metrics());
    }
    const body = await readBody(req, maxBodyBytes);
    if (body === 'too-large') {
      // Connection: close, as the rest of the body is not read.
      return sendJson(res, 413, tooLargeBody(maxBodyBytes), { connection: 'close' });
    }
    const route = opts.routes?.[path];
    if (route) return route(req, res, body);
    if (path !== '/graphql') {
      if (opts.fallback && (req.method === 'GET' || req.method === 'HEAD')) return opts.fallback(req, res, body);
      return sendJson(res, 404, { error: 'not found' });
    }
    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    let parsed: unknown;
    const contentType = headers.get('content-type') ?? '';
    if (req.method === 'POST' && body.length > 0 && contentType.includes('json')) {
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        return sendJson(res, 400, NOT_JSON_BODY);
      }
    }
    if (opts.admit) {
      const admission = await opts.admit(req, parsed);
      if (admission.kind !== 'pass') answeredBy.set(res, 'admission');
      if (admission.kind === 'refuse') return sendJson(res, admission.status, admission.body, admission.headers);
      if (admission.kind === 'answer') {
        res.writeHead(admission.status, { ...admission.headers, 'content-length': Buffer.byteLength(admission.text) });
        return res.end(admission.text);
      }
      parsed = admission.body;
    }
    answeredBy.set(res, 'graphql');
    const response = await opts.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body: parsed },
      context: () => opts.context(req),
    });
    res.writeHead(response.status ?? 200, headerRecord(response.headers));
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
    } else {
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    }
  }
}

/** A POST to /graphql made inside this process: lower-case header names, the JSON body as sent. */
export interface InProcessRequest {
  headers: Record<string, string>;
  body: string;
}

export interface InProcessResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Answers a /graphql POST without a socket; what createInProcessGraphQL returns. */
export type InProcessGraphQL = (request: InProcessRequest) => Promise<InProcessResponse>;

/**
 * The /graphql route of a host built from the same options, for a caller in
 * the same process (the embedded gateway calling its subgraphs): the same
 * Apollo pipeline, context, CSRF check and error shapes, without an HTTP
 * client, a socket and an HTTP parser on each side. Hosts that admit requests
 * (the gateway's own) are not served this way: admission belongs at the edge.
 */
export function createInProcessGraphQL<C extends BaseContext>(opts: HttpHostOptions<C, RequestHeaders>): InProcessGraphQL {
  if (opts.admit) throw new Error('a host that admits requests is served over HTTP only');
  const maxBodyBytes = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  return async ({ headers, body }) => {
    if (Buffer.byteLength(body) > maxBodyBytes) return inProcessJson(413, tooLargeBody(maxBodyBytes));
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return inProcessJson(400, NOT_JSON_BODY);
    }
    const response = await opts.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers: new HeaderMap(Object.entries(headers)), search: '', body: parsed },
      context: () => opts.context({ headers }),
    });
    let text: string;
    if (response.body.kind === 'complete') text = response.body.string;
    else {
      text = '';
      for await (const chunk of response.body.asyncIterator) text += chunk;
    }
    return { status: response.status ?? 200, headers: headerRecord(response.headers), body: text };
  };
}

function inProcessJson(status: number, body: unknown): InProcessResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}

export function listen(server: Server, port: number, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}
