import {
  type Client,
  type CombinedError,
  cacheExchange,
  createClient,
  type ExecutionResult,
  fetchExchange,
  mapExchange,
  type Operation,
  subscriptionExchange,
} from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { renewAccessToken } from '../auth/renewal';
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

/** Close codes after which reconnecting with the same token is pointless (graphql-ws never retries 4400, 4401); on 4401/4403 a subscription renews the token instead. */
const FATAL_CLOSE_CODES = new Set([4400, 4401, 4403]);
/** The gateway closed a connection whose token expired or whose session was revoked (gateway/src/subscriptions/session-watch.ts). */
export const SESSION_ENDED_CLOSE_CODE = 4401;
/** The gateway refused the token a connection opened with (expired or revoked before the socket opened). */
export const TOKEN_REFUSED_CLOSE_CODE = 4403;

export function closeCodeOf(error: unknown): number | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : null;
}

/**
 * What a subscription does when its socket ends it with an error: 'renew' a
 * refused token and subscribe again, or 'fail' (report the error). A new
 * token can only help when the gateway refused this one (4401, 4403) and
 * there is a session; and only once per connection: when the token the last
 * renewal gave never got a connection accepted, another renewal would rotate
 * the refresh token in a loop.
 */
export function subscriptionErrorAction(error: unknown, state: { signedIn: boolean; renewedWithoutConnecting: boolean }): 'renew' | 'fail' {
  const code = closeCodeOf(error);
  if (code !== SESSION_ENDED_CLOSE_CODE && code !== TOKEN_REFUSED_CLOSE_CODE) return 'fail';
  if (!state.signedIn || state.renewedWithoutConnecting) return 'fail';
  return 'renew';
}

export interface TandemClientOptions {
  /** Read at request time so a client never sends a stale token. */
  getToken: () => string | null;
  /** Called when the server rejects the token (errors with extensions.code UNAUTHENTICATED) and renewing it did not help. */
  onUnauthenticated?: () => void;
  /**
   * A fresh access token for one the gateway refused (HTTP 401, socket 4401/4403),
   * or null when the session is over. Default: the workbench session's
   * refresh (auth/renewal.ts), shared by every client and socket.
   */
  renewToken?: (rejectedToken: string) => Promise<string | null>;
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

function withAuthorization(init: RequestInit | undefined, token: string | null): RequestInit {
  const headers = new Headers(init?.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  else headers.delete('authorization');
  return { ...init, headers };
}

export function createTandemClient(options: TandemClientOptions): TandemClient {
  const { getToken, onUnauthenticated, renewToken = renewAccessToken } = options;
  const live = new LiveStatusStore();

  // The token a renewal gave, in place of the one getToken() still returns (a caller may hand a fixed token).
  let renewed: { from: string | null; to: string } | null = null;
  const currentToken = (): string | null => {
    const token = getToken();
    return renewed && token === renewed.from ? renewed.to : token;
  };
  let pending: { rejected: string; renewal: Promise<string | null> } | null = null;
  /** One renewal per refused token, however many requests and subscriptions it failed. */
  const renew = (rejected: string): Promise<string | null> => {
    const current = currentToken();
    if (current && current !== rejected) return Promise.resolve(current);
    if (pending?.rejected === rejected) return pending.renewal;
    const from = getToken();
    const renewal = renewToken(rejected).then((fresh) => {
      if (fresh) renewed = { from, to: fresh };
      return fresh;
    });
    pending = { rejected, renewal };
    void renewal.finally(() => {
      if (pending?.renewal === renewal) pending = null;
    });
    return renewal;
  };

  /**
   * The gateway answers an expired or revoked token with 401 before running
   * anything, so the request (query or mutation) is sent again, once, with
   * the renewed token; callers never see the refusal.
   */
  const authenticatedFetch: typeof fetch = async (input, init) => {
    const token = currentToken();
    const response = await fetch(input, withAuthorization(init, token));
    if (response.status !== 401 || !token) return response;
    const fresh = await renew(token);
    if (!fresh) return response;
    return fetch(input, withAuthorization(init, fresh));
  };

  // The token the socket's current connection authenticated with, and how many connections the gateway accepted.
  let socketToken: string | null = null;
  let acceptedConnections = 0;
  const ws: WsClient = createWsClient({
    url: options.wsUrl ?? graphqlWsUrl(),
    lazy: true,
    keepAlive: 15_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** retries, 15_000))),
    shouldRetry: (event) => {
      const code = closeCodeOf(event);
      return !(code !== null && FATAL_CLOSE_CODES.has(code));
    },
    connectionParams: () => {
      socketToken = currentToken();
      return socketToken ? { authorization: `Bearer ${socketToken}` } : {};
    },
    on: {
      connecting: () => live.set('connecting'),
      connected: () => {
        acceptedConnections++;
        live.set('live');
      },
      closed: () => live.set('offline'),
    },
  });

  const client = createClient({
    url: options.httpUrl ?? graphqlHttpUrl(),
    // GET requests trip Apollo's CSRF prevention; always POST JSON.
    preferGetMethod: false,
    // Queue data is shared and changes under our feet: show what we have, always revalidate.
    requestPolicy: 'cache-and-network',
    fetch: authenticatedFetch,
    exchanges: [
      mapExchange({
        onError(error: CombinedError, operation: Operation) {
          const isLogin =
            operation.kind === 'mutation' && operation.query.definitions.some((d) => d.kind === 'OperationDefinition' && d.name?.value === 'Login');
          if (!isLogin && currentToken() && hasErrorCode(error, 'UNAUTHENTICATED')) {
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
              let stopped = false;
              let unsubscribe = () => {};
              // acceptedConnections when this subscription last renewed its token (null: never).
              let renewedAt: number | null = null;
              const start = () => {
                unsubscribe = ws.subscribe(input, {
                  next: (value: ExecutionResult) => sink.next(value),
                  complete: () => sink.complete(),
                  error: (error) => {
                    const rejected = socketToken;
                    const action = subscriptionErrorAction(error, {
                      signedIn: rejected !== null,
                      renewedWithoutConnecting: renewedAt === acceptedConnections,
                    });
                    if (action === 'fail' || rejected === null) return sink.error(error);
                    renewedAt = acceptedConnections;
                    void renew(rejected).then((fresh) => {
                      if (stopped) return;
                      // Subscribing again opens a new connection, authenticated with the fresh token.
                      if (fresh) start();
                      else sink.error(error);
                    });
                  },
                });
              };
              start();
              return {
                unsubscribe: () => {
                  stopped = true;
                  unsubscribe();
                },
              };
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
