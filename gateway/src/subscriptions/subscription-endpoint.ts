import { GraphQLError, print, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { WebSocket, WebSocketServer } from 'ws';
import { createLogger, type Caller, type EventBus } from '@tandem/platform';
import {
  createSubscriptionExecutor,
  type QueryExecutor,
  type SubscriberConnection,
  type SubscriptionContext,
  type SubscriptionExecutorOptions,
} from './subscription-executor.js';
import { slowClientsDropped } from './subscription-metrics.js';

const log = createLogger('subscriptions');

/** Close code for a client dropped for not keeping up: 1013 "Try Again Later" (graphql-ws clients reconnect on it). */
export const SLOW_CLIENT_CLOSE_CODE = 1013;
export const SLOW_CLIENT_CLOSE_REASON = 'Too slow: events were dropped; reconnect with lastEventId';
/** Close code on shutdown: 1001 "Going Away". */
export const SHUTDOWN_CLOSE_CODE = 1001;

export interface SubscriptionEndpointOptions extends SubscriptionExecutorOptions {
  wss: WebSocketServer;
  schema: () => GraphQLSchema;
  bus: EventBus;
  /** Runs a query or mutation through the gateway's planner as the caller (queries over the socket, entity fields of payloads). */
  executeQuery: QueryExecutor;
  /** "Bearer <token>" → the caller (anonymous without a header); throws for a bad, expired or revoked token. */
  authenticate: (authorization: string | undefined) => Promise<Caller>;
  /** Ping interval; a socket that has not answered the previous ping by the next one is terminated. */
  keepAliveMs?: number;
  /** How long a closing socket (slow client, shutdown) may take to finish the close handshake before it is cut. */
  closeGraceMs?: number;
}

export interface SubscriptionEndpoint {
  /** Closes every client with 1001, waits for them (at most closeGraceMs), and stops listening on the bus. */
  dispose(): Promise<void>;
  /** Open subscriptions routed from the bus. */
  readonly openSubscriptions: number;
}

/**
 * graphql-ws on the gateway's WebSocket server: authenticates on
 * connection_init, serves queries and mutations through the planner and
 * subscriptions from the bus, pings every keepAliveMs, drops slow clients
 * with 1013 and shuts down with 1001. The protocol is in gateway/README.md.
 */
export function attachSubscriptionEndpoint(opts: SubscriptionEndpointOptions): SubscriptionEndpoint {
  const closeGraceMs = opts.closeGraceMs ?? 2_000;
  const subscribe = createSubscriptionExecutor(opts.bus, opts.executeQuery, opts);
  const connections = new WeakMap<WebSocket, SubscriberConnection>();

  const cutAfterGrace = (socket: WebSocket) => {
    setTimeout(() => {
      if (socket.readyState !== socket.CLOSED) socket.terminate();
    }, closeGraceMs).unref();
  };
  const connectionOf = (socket: WebSocket): SubscriberConnection => {
    let connection = connections.get(socket);
    if (!connection) {
      let dropped = false;
      connection = {
        bufferedAmount: () => socket.bufferedAmount,
        drop: (overflow) => {
          if (dropped) return;
          dropped = true;
          slowClientsDropped.inc({ overflow });
          log.warn({ overflow, bufferedBytes: socket.bufferedAmount }, 'dropping a slow subscriber');
          socket.close(SLOW_CLIENT_CLOSE_CODE, SLOW_CLIENT_CLOSE_REASON);
          // A client this far behind may never read the close frame.
          cutAfterGrace(socket);
        },
      };
      connections.set(socket, connection);
    }
    return connection;
  };

  const server = useServer<Record<string, unknown>, { caller?: Caller; authorization?: string }>(
    {
      schema: () => opts.schema(),
      onConnect: async (ctx) => {
        const raw = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        ctx.extra.authorization = typeof raw === 'string' ? raw : undefined;
        try {
          ctx.extra.caller = await opts.authenticate(ctx.extra.authorization);
        } catch {
          return false; // closes with 4403 Forbidden
        }
        return ctx.extra.caller.kind !== 'anonymous';
      },
      // The token is checked again on every operation: a connection outliving its token's expiry or revocation serves nothing more.
      onSubscribe: async (ctx) => {
        try {
          ctx.extra.caller = await opts.authenticate(ctx.extra.authorization);
          return undefined;
        } catch {
          return [new GraphQLError('The access token is invalid, expired or revoked: sign in again', { extensions: { code: 'UNAUTHENTICATED' } })];
        }
      },
      context: (ctx, _id, payload): SubscriptionContext => {
        const fromMessage = payload.extensions?.lastEventId;
        const fromConnection = ctx.connectionParams?.lastEventId;
        const lastEventId = typeof fromMessage === 'string' ? fromMessage : typeof fromConnection === 'string' ? fromConnection : undefined;
        return { caller: ctx.extra.caller, lastEventId, connection: connectionOf(ctx.extra.socket) };
      },
      subscribe: (args: ExecutionArgs) => subscribe(args) as never,
      execute: async (args: ExecutionArgs) => {
        const caller = (args.contextValue as SubscriptionContext).caller!;
        return opts.executeQuery(print(args.document), (args.variableValues ?? {}) as Record<string, unknown>, caller);
      },
    },
    opts.wss,
    opts.keepAliveMs ?? 15_000,
  );

  return {
    get openSubscriptions() {
      return subscribe.hub.listenerCount;
    },
    async dispose() {
      // graphql-ws closes every client with 1001 and waits for each to finish closing; cut the ones that do not answer.
      for (const socket of opts.wss.clients) cutAfterGrace(socket);
      await server.dispose();
      await subscribe.close();
    },
  };
}
