import { GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { createLogger, type Caller, type EventBus, type EventEnvelope } from '@tandem/platform';
import { EventHub } from './event-hub.js';
import { SUBSCRIPTIONS } from './subscription-catalogue.js';
import { planSubscription, type SubscriptionPlan, subscriptionRootField } from './selection-query.js';
import { eventsFannedOut, eventToClientSeconds, openSubscriptions, slowClientsDropped } from './subscription-metrics.js';

const log = createLogger('subscriptions');

export type QueryExecutor = (query: string, variables: Record<string, unknown>, caller: Caller) => Promise<ExecutionResult>;

/** The client's socket, as far as a subscription needs it: how far behind it is, and how to let it go. */
export interface SubscriberConnection {
  /** Bytes queued on the socket that the client has not taken yet. */
  bufferedAmount(): number;
  /** Closes the whole connection: the client cannot keep up. Idempotent. */
  drop(overflow: 'socket' | 'events'): void;
}

/** The contextValue graphql-ws hands to `subscribe` (see subscription-endpoint.ts). */
export interface SubscriptionContext {
  caller?: Caller;
  /** The id of the last event the client received (`extensions.lastEventId`), when it is resuming. */
  lastEventId?: string;
  connection?: SubscriberConnection;
}

export interface SubscriptionExecutorOptions {
  /** Events waiting for one subscriber before it counts as too slow. */
  maxBufferedEvents?: number;
  /** Bytes queued on a subscriber's socket before it counts as too slow. */
  maxSocketBufferBytes?: number;
}

export const DEFAULT_MAX_BUFFERED_EVENTS = 1000;
export const DEFAULT_MAX_SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
const SHARED_RESULT_TTL_MS = 5_000;

export type SubscriptionExecutor = ((args: ExecutionArgs) => Promise<AsyncGenerator<ExecutionResult> | ExecutionResult>) & {
  readonly hub: EventHub;
  /** Stops listening on the bus (open subscriptions get no further events). */
  close(): Promise<void>;
};

/**
 * graphql-ws `subscribe` for the gateway: listens on the bus (once per
 * process, through the EventHub), keeps only the caller's tenant, and resolves
 * each event's payload through the gateway. Subscribers with the same
 * selection, tenant and permissions share one resolution per event. Every
 * payload carries `extensions: { eventId, occurredAt }`; a subscriber that
 * resumes with `lastEventId` gets `extensions.resync: true` first when it may
 * have missed events.
 */
export function createSubscriptionExecutor(
  source: EventBus | EventHub,
  executeQuery: QueryExecutor,
  options: SubscriptionExecutorOptions = {},
): SubscriptionExecutor {
  const hub = source instanceof EventHub ? source : new EventHub(source);
  const maxBufferedEvents = options.maxBufferedEvents ?? DEFAULT_MAX_BUFFERED_EVENTS;
  const maxSocketBufferBytes = options.maxSocketBufferBytes ?? DEFAULT_MAX_SOCKET_BUFFER_BYTES;
  const shared = new Map<string, Promise<ExecutionResult | null>>();
  // Share keys are long (the whole plan); each distinct one gets a short number, so the per-event key stays small.
  // Counted, so a key no open subscription uses is forgotten.
  const shareIds = new Map<string, { id: number; subscribers: number }>();
  let nextShareId = 0;

  const subscribe = async function subscribe(args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
    const context = (args.contextValue ?? {}) as SubscriptionContext;
    const caller = context.caller;
    if (!caller || caller.kind === 'anonymous' || !caller.tenantId) {
      return { errors: [new GraphQLError('Sign in first', { extensions: { code: 'UNAUTHENTICATED' } })] };
    }
    const tenantId = caller.tenantId;
    let plan: SubscriptionPlan;
    let fieldName: string;
    try {
      fieldName = subscriptionRootField(args.document, args.operationName);
      const source = SUBSCRIPTIONS[fieldName];
      if (!source) return { errors: [new GraphQLError(`Subscription ${fieldName} is not available`, { extensions: { code: 'BAD_USER_INPUT' } })] };
      if (!caller.permissions.includes(source.permission)) {
        return { errors: [new GraphQLError(`Missing permission: ${source.permission}`, { extensions: { code: 'FORBIDDEN' } })] };
      }
      plan = planSubscription(args.document, args.operationName, source);
    } catch (err) {
      return { errors: [new GraphQLError((err as Error).message, { extensions: { code: 'BAD_USER_INPUT' } })] };
    }
    const source = SUBSCRIPTIONS[fieldName]!;
    const variables = (args.variableValues ?? {}) as Record<string, unknown>;
    // "Identical" = same plan (root field, aliases, selection as written), same values for the variables
    // the entity query uses, same tenant, same permission set. Per gateway process.
    const shareText = JSON.stringify([plan, plan.entityQuery?.usedVariables.map((v) => variables[v]), tenantId, [...caller.permissions].sort()]);
    let share = shareIds.get(shareText);
    if (!share) {
      share = { id: nextShareId++, subscribers: 0 };
      shareIds.set(shareText, share);
    }
    share.subscribers++;
    const shareKey = String(share.id);
    // Bound once: label lookups per delivery add up at thousands of subscribers.
    const fannedOut = eventsFannedOut.labels(fieldName);
    const latency = eventToClientSeconds.labels(fieldName);

    const resolvePayload = (event: EventEnvelope): Promise<ExecutionResult | null> => {
      const key = `${event.id}|${shareKey}`;
      let p = shared.get(key);
      if (!p) {
        p = buildPayload(event);
        shared.set(key, p);
        setTimeout(() => shared.delete(key), SHARED_RESULT_TTL_MS).unref();
      }
      return p;
    };

    const buildPayload = async (event: EventEnvelope): Promise<ExecutionResult | null> => {
      const values = source.fields(event.payload);
      const payload: Record<string, unknown> = {};
      for (const { alias, field } of plan.plainFields) payload[alias] = field === '__typename' ? source.typename : (values[field] ?? null);
      if (plan.entityQuery) {
        const vars: Record<string, unknown> = {};
        for (const v of plan.entityQuery.usedVariables) vars[v] = variables[v];
        for (const v of plan.entityQuery.idVariables) vars[v.variable] = source.entities![v.entity]!.id(event.payload);
        const result = await executeQuery(plan.entityQuery.text, vars, caller);
        if (result.errors?.length && !result.data) return { errors: result.errors };
        for (const v of plan.entityQuery.idVariables) {
          const value = (result.data as Record<string, unknown> | null | undefined)?.[v.alias];
          // Not visible to this caller (or gone): the event is not theirs to see.
          if (value == null) return null;
          payload[v.alias] = value;
        }
      }
      return { data: { [plan.rootAlias]: payload }, extensions: { eventId: event.id, occurredAt: event.occurredAt } };
    };

    // Events buffer here between the bus and the client's pace.
    const buffer: EventEnvelope[] = [];
    let wake: (() => void) | undefined;
    let overflowed = false;
    let closed = false;
    const unroute = hub.subscribe(source.topic, tenantId, (event) => {
      if (closed) return;
      // An event meant for one user (a notification) never reaches anyone else's resolution or shared result.
      if (source.recipient && source.recipient(event.payload) !== caller.id) return;
      // Checked as events arrive too: while the socket is full, the loop below sits waiting on a send and checks nothing.
      if (context.connection && context.connection.bufferedAmount() > maxSocketBufferBytes) {
        overflowed = true;
        context.connection.drop('socket');
      } else if (buffer.length >= maxBufferedEvents) {
        overflowed = true;
        // On a socket, the whole connection goes (the client reconnects and resyncs); the process never buffers without bound.
        context.connection?.drop('events');
      } else buffer.push(event);
      wake?.();
    });
    // Checked in the same tick as routing starts, so no event falls between the check and the first buffered event.
    let resync: { resync: true; missedEvents: number | null } | undefined;
    if (typeof context.lastEventId === 'string' && context.lastEventId) {
      const missed = hub.missedSince(tenantId, source.topic, context.lastEventId);
      if (!missed.known) resync = { resync: true, missedEvents: null };
      else if (missed.missed > 0) resync = { resync: true, missedEvents: missed.missed };
    }
    openSubscriptions.inc();

    const cleanup = () => {
      if (closed) return;
      closed = true;
      openSubscriptions.dec();
      unroute();
      if (--share.subscribers === 0) shareIds.delete(shareText);
      buffer.length = 0;
      wake?.();
    };

    async function* iterate(): AsyncGenerator<ExecutionResult> {
      try {
        if (resync) yield { extensions: resync };
        while (!closed) {
          if (overflowed) {
            if (!context.connection) {
              slowClientsDropped.inc({ overflow: 'events' });
              yield { errors: [new GraphQLError('Subscriber too slow: events were dropped; resubscribe and refetch', { extensions: { code: 'RESYNC' } })] };
            }
            return;
          }
          const event = buffer.shift();
          if (!event) {
            await new Promise<void>((r) => {
              wake = r;
            });
            wake = undefined;
            continue;
          }
          try {
            const result = await resolvePayload(event);
            if (!result || closed) continue;
            if (context.connection && context.connection.bufferedAmount() > maxSocketBufferBytes) {
              context.connection.drop('socket');
              return;
            }
            fannedOut.inc();
            latency.observe(Math.max(0, Date.now() - Date.parse(event.occurredAt)) / 1000);
            yield result;
          } catch (err) {
            log.error({ err, eventId: event.id }, 'could not resolve a subscription payload');
          }
        }
      } finally {
        cleanup();
      }
    }
    // Wrapped so that a client leaving before the first event still unsubscribes at once.
    const gen = iterate();
    const iterator: AsyncGenerator<ExecutionResult> = {
      next: () => gen.next(),
      return: async (value) => {
        cleanup();
        return gen.return(value);
      },
      throw: async (err) => {
        cleanup();
        return gen.throw(err);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    return iterator;
  };
  return Object.assign(subscribe, { hub, close: () => hub.close() });
}
