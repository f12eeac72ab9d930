import { GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { createLogger, type EventBus, type EventEnvelope, type Caller } from '@tandem/platform';
import { Counter, Gauge } from 'prom-client';
import { metricsRegistry } from '@tandem/platform';
import { SUBSCRIPTIONS } from './subscription-catalogue.js';
import { planSubscription, type SubscriptionPlan } from './selection-query.js';

const log = createLogger('subscriptions');

const openSubscriptions = new Gauge({ name: 'tandem_subscriptions_open', help: 'Open GraphQL subscriptions', registers: [metricsRegistry] });
const eventsFannedOut = new Counter({
  name: 'tandem_subscription_events_total',
  help: 'Subscription payloads sent, by field',
  labelNames: ['field'] as const,
  registers: [metricsRegistry],
});

export type QueryExecutor = (query: string, variables: Record<string, unknown>, caller: Caller) => Promise<ExecutionResult>;

/** A slow client is dropped rather than buffered without bound. */
const MAX_BUFFERED_EVENTS = 1000;
const SHARED_RESULT_TTL_MS = 5_000;

/**
 * graphql-ws `subscribe` for the gateway: listens on the bus, keeps only the
 * caller's tenant, and resolves each event's payload through the gateway.
 * Subscribers with the same selection, tenant and permissions share one
 * resolution per event.
 */
export function createSubscriptionExecutor(bus: EventBus, executeQuery: QueryExecutor) {
  const shared = new Map<string, Promise<ExecutionResult | null>>();

  return async function subscribe(args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
    const caller = (args.contextValue as { caller?: Caller } | undefined)?.caller;
    if (!caller || caller.kind === 'anonymous' || !caller.tenantId) {
      return { errors: [new GraphQLError('Sign in first', { extensions: { code: 'UNAUTHENTICATED' } })] };
    }
    let plan: SubscriptionPlan;
    let fieldName: string;
    try {
      const probe = planSubscription(args.document, args.operationName, { topic: 'x' as never, permission: 'x' as never, typename: '', fields: () => ({}) });
      fieldName = probe.rootField;
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
    const shareKey = JSON.stringify([plan, plan.entityQuery?.usedVariables.map((v) => variables[v]), caller.tenantId, [...caller.permissions].sort()]);

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
      return { data: { [plan.rootAlias]: payload } };
    };

    // Events buffer here between the bus and the client's pace.
    const buffer: EventEnvelope[] = [];
    let wake: (() => void) | undefined;
    let overflowed = false;
    const unlisten = bus.listen((event) => {
      if (event.type !== source.topic || event.tenantId !== caller.tenantId) return;
      if (buffer.length >= MAX_BUFFERED_EVENTS) {
        overflowed = true;
      } else buffer.push(event);
      wake?.();
    });
    openSubscriptions.inc();

    let closed = false;
    const cleanup = async () => {
      if (closed) return;
      closed = true;
      openSubscriptions.dec();
      wake?.();
      await unlisten();
    };

    async function* iterate(): AsyncGenerator<ExecutionResult> {
      try {
        while (!closed) {
          if (overflowed) {
            yield { errors: [new GraphQLError('Subscriber too slow: events were dropped; resubscribe and refetch', { extensions: { code: 'RESYNC' } })] };
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
            if (result && !closed) {
              eventsFannedOut.inc({ field: fieldName });
              yield result;
            }
          } catch (err) {
            log.error({ err, eventId: event.id }, 'could not resolve a subscription payload');
          }
        }
      } finally {
        await cleanup();
      }
    }
    // Wrapped so that a client leaving before the first event still unsubscribes from the bus.
    const gen = iterate();
    const iterator: AsyncGenerator<ExecutionResult> = {
      next: () => gen.next(),
      return: async (value) => {
        await cleanup();
        return gen.return(value);
      },
      throw: async (err) => {
        await cleanup();
        return gen.throw(err);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    return iterator;
  };
}
