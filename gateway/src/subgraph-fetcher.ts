import http from 'node:http';
import https from 'node:https';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { InProcessGraphQL } from '@tandem/platform';

// The fetch shape @apollo/gateway calls (from @apollo/utils.fetcher, which it brings along).
type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherRequestInit = NonNullable<Parameters<Fetcher>[1]>;
type FetcherResponse = Awaited<ReturnType<Fetcher>>;

/** A subgraph that has not answered in this long is given up on (the caller gets an error, the socket is closed). */
export const SUBGRAPH_TIMEOUT_MS = 30_000;

/** A subgraph's answer, read whole: what RemoteGraphQLDataSource needs of a fetch Response, and no more. */
class BufferedResponse implements FetcherResponse {
  readonly redirected = false;
  bodyUsed = false;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    private readonly body: Buffer,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  async text(): Promise<string> {
    this.bodyUsed = true;
    return this.body.toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    this.bodyUsed = true;
    return new Uint8Array(this.body).buffer;
  }

  clone(): FetcherResponse {
    return new BufferedResponse(this.url, this.status, this.statusText, new Headers(this.headers), this.body);
  }
}

/**
 * The gateway's HTTP client for subgraph requests: node:http with keep-alive
 * sockets, the body buffered whole. The default (make-fetch-happen) cost about
 * 300 µs more CPU per request on loopback, paid on every subgraph fetch of
 * every query, mutation and subscription payload. No caching, redirects or
 * retries: a subgraph answers or the request fails.
 */
export function createSubgraphFetcher(
  options: {
    maxSockets?: number;
    timeoutMs?: number;
    /** Subgraphs in this process, by the URL the gateway knows them by: their POSTs skip HTTP (see createInProcessGraphQL). */
    inProcess?: Record<string, InProcessGraphQL>;
  } = {},
): Fetcher & { close(): void } {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 256 };
  const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };
  const timeoutMs = options.timeoutMs ?? SUBGRAPH_TIMEOUT_MS;
  const inProcess = options.inProcess ?? {};

  const fetcher = (url: string, init: FetcherRequestInit = {}): Promise<FetcherResponse> => {
    const local = inProcess[url];
    if (local && (init.method ?? 'GET').toUpperCase() === 'POST' && typeof init.body === 'string') return fetchInProcess(local, url, init, timeoutMs);
    return new Promise((resolve, reject) => {
      const target = new URL(url);
      const client = target.protocol === 'https:' ? https : target.protocol === 'http:' ? http : null;
      if (!client) return reject(new Error(`unsupported subgraph URL scheme ${target.protocol}`));
      const body = init.body === undefined ? undefined : typeof init.body === 'string' ? Buffer.from(init.body) : init.body;
      const headers: Record<string, string | number> = { ...init.headers };
      if (body) headers['content-length'] = body.length;
      const request = client.request(
        target,
        { method: init.method ?? 'GET', headers, agent: agents[target.protocol as 'http:' | 'https:'], timeout: timeoutMs, signal: init.signal },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(response.headers)) {
              if (value === undefined) continue;
              for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(name, v);
            }
            resolve(new BufferedResponse(url, response.statusCode ?? 0, response.statusMessage ?? '', responseHeaders, Buffer.concat(chunks)));
          });
        },
      );
      request.on('timeout', () => request.destroy(new Error(`subgraph did not answer within ${timeoutMs} ms`)));
      request.on('error', reject);
      request.end(body);
    });
  };

  return Object.assign(fetcher, {
    close: () => {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  });
}

/** The same answer as over HTTP (status, headers, body), from the subgraph's Apollo pipeline in this process, bounded by the same timeout. */
async function fetchInProcess(local: InProcessGraphQL, url: string, init: FetcherRequestInit, timeoutMs: number): Promise<FetcherResponse> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(init.headers ?? {})) headers[name.toLowerCase()] = String(value);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`subgraph did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const answer = await Promise.race([local({ headers, body: init.body as string }), timeout]);
    return new BufferedResponse(url, answer.status, http.STATUS_CODES[answer.status] ?? '', new Headers(answer.headers), Buffer.from(answer.body));
  } finally {
    clearTimeout(timer);
  }
}
