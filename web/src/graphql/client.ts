import { type Client, type CombinedError, cacheExchange, createClient, fetchExchange, mapExchange, type Operation, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { trustedDocumentsExchange } from './trusted-documents';

export type LiveStatus = 'idle' | 'connecting' | 'live' | 'offline';

/** Tiny observable for the state of the subscription socket (drives the "live" indicator). */
export class LiveStatusStore {
  #status: LiveStatus = 'idle';
  #listeners = new Set<() => void>();

  get = (): LiveStatus => this.#status;

  set(status: LiveStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    for (const listener of this.#listeners) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };
}

/** Same-origin endpoint: the Vite dev server and the gateway both serve /graphql. */
export function graphqlHttpUrl(base: string = window.location.href): string {
  return new URL('/graphql', base).toString();
}

export function graphqlWsUrl(base: string = window.location.href): string {
  const url = new URL('/graphql', base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

export function hasErrorCode(error: CombinedError | undefined, code: string): boolean {
  return !!error?.graphQLErrors.some((e) => e.extensions?.code === code);
}

/** Close codes after which reconnecting with the same token is pointless. */
const FATAL_CLOSE_CODES = new Set([4400, 4401, 4403]);

export interface TandemClientOptions {
  /** Read at request time so a client never sends a stale token. */
  getToken: () => string | null;
  /** Called when the server rejects the token (errors with extensions.code UNAUTHENTICATED). */
  onUnauthenticated?: () => void;
  httpUrl?: string;
  wsUrl?: string;
  /** Send registered documents by id (trusted documents). Default: in production builds. */
  trustedDocuments?: boolean;
}

export interface TandemClient {
  client: Client;
  live: LiveStatusStore;
  dispose: () => void;
}

export function createTandemClient(options: TandemClientOptions): TandemClient {
  const { getToken, onUnauthenticated } = options;
  const live = new LiveStatusStore();

  const ws: WsClient = createWsClient({
    url: options.wsUrl ?? graphqlWsUrl(),
    lazy: true,
    keepAlive: 15_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** retries, 15_000))),
    shouldRetry: (event) => {
      const code = (event as { code?: unknown } | null)?.code;
      return !(typeof code === 'number' && FATAL_CLOSE_CODES.has(code));
    },
    connectionParams: () => {
      const token = getToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    on: {
      connecting: () => live.set('connecting'),
      connected: () => live.set('live'),
      closed: () => live.set('offline'),
    },
  });

  const client = createClient({
    url: options.httpUrl ?? graphqlHttpUrl(),
    // GET requests trip Apollo's CSRF prevention; always POST JSON.
    preferGetMethod: false,
    // Queue data is shared and changes under our feet: show what we have, always revalidate.
    requestPolicy: 'cache-and-network',
    fetchOptions: () => {
      const token = getToken();
      return token ? { headers: { authorization: `Bearer ${token}` } } : {};
    },
    exchanges: [
      mapExchange({
        onError(error: CombinedError, operation: Operation) {
          const isLogin =
            operation.kind === 'mutation' && operation.query.definitions.some((d) => d.kind === 'OperationDefinition' && d.name?.value === 'Login');
          if (!isLogin && getToken() && hasErrorCode(error, 'UNAUTHENTICATED')) {
            onUnauthenticated?.();
          }
        },
      }),
      cacheExchange,
      ...((options.trustedDocuments ?? import.meta.env.PROD) ? [trustedDocumentsExchange()] : []),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });

  return {
    client,
    live,
    dispose: () => {
      void ws.dispose();
      live.set('idle');
    },
  };
}
