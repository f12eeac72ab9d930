import { type Caller, createLogger, type EventBus, type RevocationList } from '@tandem/platform';
import { type DocumentNode, type ExecutionArgs, GraphQLError, type GraphQLSchema, parse, print, specifiedRules, type ValidationRule, validate } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { WebSocket, WebSocketServer } from 'ws';
import { exceedsTokens } from '../security/request-admission.js';
import type { EventHub } from './event-hub.js';
import { SessionWatch } from './session-watch.js';
import {
  createSubscriptionExecutor,
  type QueryExecutor,
  type SubscriberConnection,
  type SubscriptionContext,
  type SubscriptionExecutorOptions,
} from './subscription-executor.js';
import { slowClientsDropped } from './subscription-metrics.js';
import { directWriteTarget, framedWriter, textFrame } from './ws-frames.js';

const log = createLogger('subscriptions');

/** Close code for a client dropped for not keeping up: 1013 "Try Again Later" (graphql-ws clients reconnect on it). */
export const SLOW_CLIENT_CLOSE_CODE = 1013;
export const SLOW_CLIENT_CLOSE_REASON = 'Too slow: events were dropped; reconnect with lastEventId';
/** Close code on shutdown: 1001 "Going Away". */
export const SHUTDOWN_CLOSE_CODE = 1001;
/** Documents parsed and validated once per text (per schema); beyond this many distinct texts the cache starts again. */
const DOCUMENT_CACHE_SIZE = 500;

export interface SubscriptionEndpointOptions extends SubscriptionExecutorOptions {
  wss: WebSocketServer;
  schema: () => GraphQLSchema;
  /** The bus, or the gateway's one EventHub on it when other parts of the gateway listen too. */
  bus: EventBus | EventHub;
  /** Runs a query or mutation through the gateway's planner as the caller (queries over the socket, entity fields of payloads). */
  executeQuery: QueryExecutor;
  /** "Bearer <token>" → the caller (anonymous without a header); throws for a bad, expired or revoked token. */
  authenticate: (authorization: string | undefined) => Promise<Caller>;
  /** Ping interval; a socket that has not answered the previous ping by the next one is terminated. */
  keepAliveMs?: number;
  /** How long a closing socket (slow client, shutdown) may take to finish the close handshake before it is cut. */
  closeGraceMs?: number;
  /**
   * The revocation list `authenticate` consults. Given, open connections are re-checked against it alone (no JWT
   * verification per check); otherwise through `authenticate` (any failure counts as revoked).
   */
  revocations?: Pick<RevocationList, 'whichRevoked'>;
  /** How often open connections' tokens are checked again (revocation: logout, permission change); expiry is timed exactly. */
  sessionCheckMs?: number;
  /**
   * The limits HTTP requests meet, for documents sent over the socket too: the
   * gateway's extra validation rules (graphql-armor: depth, cost, aliases,
   * directives) and the token count checked before parsing.
   */
  documentLimits?: { validationRules?: readonly ValidationRule[]; maxTokens?: number };
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
 * with 1013, closes a connection whose token expires or is revoked with 4401,
 * and shuts down with 1001. The protocol is in gateway/README.md.
 */
export function attachSubscriptionEndpoint(opts: SubscriptionEndpointOptions): SubscriptionEndpoint {
  const closeGraceMs = opts.closeGraceMs ?? 2_000;
  const subscribe = createSubscriptionExecutor(opts.bus, opts.executeQuery, opts);
  const connections = new WeakMap<WebSocket, SubscriberConnection>();
  const revocations = opts.revocations;
  const sessions = new SessionWatch(
    revocations
      ? (tokens) => revocations.whichRevoked(tokens.map((t) => t.key))
      : (tokens) =>
          Promise.all(
            tokens.map(({ authorization }) =>
              opts.authenticate(authorization).then(
                () => false,
                () => true,
              ),
            ),
          ),
    opts.sessionCheckMs ?? 1_000,
  );
  const documents = new DocumentCache(opts.documentLimits);

  const cutAfterGrace = (socket: WebSocket) => {
    setTimeout(() => {
      if (socket.readyState !== socket.CLOSED) socket.terminate();
    }, closeGraceMs).unref();
  };
  const connectionOf = (socket: WebSocket): SubscriberConnection => {
    let connection = connections.get(socket);
    if (!connection) {
      let dropped = false;
      const write = framedWriter(socket);
      connection = {
        bufferedAmount: () => socket.bufferedAmount,
        send: (head, tail) => write(textFrame(head, tail)),
        direct: directWriteTarget(socket),
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
        // graphql-ws keeps the upgrade request for the connection's lifetime; nothing here reads it again.
        delete (ctx.extra as { request?: unknown }).request;
        const raw = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        ctx.extra.authorization = typeof raw === 'string' ? raw : undefined;
        try {
          ctx.extra.caller = await opts.authenticate(ctx.extra.authorization);
        } catch {
          return false; // closes with 4403 Forbidden
        }
        if (ctx.extra.caller.kind === 'anonymous') return false;
        // From now on the connection lives only as long as its token: closed at its expiry, or on revocation (logout).
        sessions.watch(ctx.extra.socket, ctx.extra.authorization!);
        return true;
      },
      // The token is checked again on every operation (beside the session watch, which closes the socket soon after).
      onSubscribe: async (ctx, _id, payload) => {
        try {
          ctx.extra.caller = await opts.authenticate(ctx.extra.authorization);
        } catch {
          return [new GraphQLError('The access token is invalid, expired or revoked: sign in again', { extensions: { code: 'UNAUTHENTICATED' } })];
        }
        // Thousands of clients send the same few documents: parse and validate each text once.
        const schema = opts.schema();
        const checked = documents.get(schema, payload.query);
        if (checked.errors) return checked.errors;
        return { schema, document: checked.document!, operationName: payload.operationName, variableValues: payload.variables };
      },
      context: (ctx, id, payload): SubscriptionContext => {
        const fromMessage = payload.extensions?.lastEventId;
        const fromConnection = ctx.connectionParams?.lastEventId;
        const lastEventId = typeof fromMessage === 'string' ? fromMessage : typeof fromConnection === 'string' ? fromConnection : undefined;
        return { caller: ctx.extra.caller, lastEventId, connection: connectionOf(ctx.extra.socket), subscriptionId: id };
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
      return subscribe.openSubscriptions;
    },
    async dispose() {
      sessions.close();
      // graphql-ws closes every client with 1001 and waits for each to finish closing; cut the ones that do not answer.
      for (const socket of opts.wss.clients) cutAfterGrace(socket);
      await server.dispose();
      await subscribe.close();
    },
  };
}

/** Parsed and validated documents by text, per schema (a new supergraph starts a new cache). */
class DocumentCache {
  private schema?: GraphQLSchema;
  private readonly byText = new Map<string, { document?: DocumentNode; errors?: readonly GraphQLError[] }>();
  private readonly rules: readonly ValidationRule[];
  private readonly maxTokens?: number;

  constructor(limits: SubscriptionEndpointOptions['documentLimits'] = {}) {
    this.rules = [...specifiedRules, ...(limits.validationRules ?? [])];
    this.maxTokens = limits.maxTokens;
  }

  get(schema: GraphQLSchema, text: string): { document?: DocumentNode; errors?: readonly GraphQLError[] } {
    if (schema !== this.schema) {
      this.schema = schema;
      this.byText.clear();
    }
    let checked = this.byText.get(text);
    if (!checked) {
      try {
        if (this.maxTokens !== undefined && exceedsTokens(text, this.maxTokens)) {
          // Not cached: a long text is refused before any work, and must not fill the cache.
          return { errors: [new GraphQLError('Query is too long', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })] };
        }
        // No locations: the cached tree is shared by every subscription using it for as long as they live.
        const document = parse(text, { noLocation: true });
        const errors = validate(schema, document, this.rules).map((e) =>
          e.extensions?.code ? e : new GraphQLError(e.message, { extensions: { ...e.extensions, code: 'GRAPHQL_VALIDATION_FAILED' } }),
        );
        checked = errors.length ? { errors } : { document };
      } catch (err) {
        checked = { errors: [err instanceof GraphQLError ? err : new GraphQLError(String(err))] };
      }
      if (this.byText.size >= DOCUMENT_CACHE_SIZE) this.byText.clear();
      this.byText.set(text, checked);
    }
    return checked;
  }
}
