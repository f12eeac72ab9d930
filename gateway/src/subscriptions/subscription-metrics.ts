import { Counter, Gauge, Histogram } from 'prom-client';
import { metricsRegistry } from '@tandem/platform';

export const openSubscriptions = new Gauge({ name: 'tandem_subscriptions_open', help: 'Open GraphQL subscriptions', registers: [metricsRegistry] });

export const eventsFannedOut = new Counter({
  name: 'tandem_subscription_events_total',
  help: 'Subscription payloads sent, by field',
  labelNames: ['field'] as const,
  registers: [metricsRegistry],
});

/** From the event's occurredAt (stamped in the owning subgraph's transaction) to the payload leaving for the client. */
export const eventToClientSeconds = new Histogram({
  name: 'tandem_subscription_event_to_client_seconds',
  help: 'Seconds from an event occurring to its subscription payload being sent, by field',
  labelNames: ['field'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

export const slowClientsDropped = new Counter({
  name: 'tandem_subscription_slow_clients_dropped_total',
  help: 'Subscribers dropped for not keeping up, by what overflowed (socket: bytes queued on the socket; events: the per-subscription event buffer)',
  labelNames: ['overflow'] as const,
  registers: [metricsRegistry],
});
