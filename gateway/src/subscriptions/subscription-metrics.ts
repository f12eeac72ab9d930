import { metricsRegistry } from '@tandem/platform';
import { Counter, Gauge, Histogram } from 'prom-client';

export const openSubscriptions = new Gauge({ name: 'tandem_subscriptions_open', help: 'Open GraphQL subscriptions', registers: [metricsRegistry] });

export const eventsFannedOut = new Counter({
  name: 'tandem_subscription_events_total',
  help: 'Subscription payloads sent, by field',
  labelNames: ['field'] as const,
  registers: [metricsRegistry],
});

/**
 * From the event's occurredAt (stamped in the owning subgraph's transaction) to its payload written to the last
 * subscriber of a shared resolution: one observation per event and group of identical subscriptions, not per client.
 */
export const eventToClientSeconds = new Histogram({
  name: 'tandem_subscription_event_to_client_seconds',
  help: 'Seconds from an event occurring to its subscription payload being written to every subscriber of one shared resolution, by field',
  labelNames: ['field'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

/** The fan-out alone: from a resolved payload to its last write, per event and group of identical subscriptions (yields between slices included). */
export const fanoutSeconds = new Histogram({
  name: 'tandem_subscription_fanout_seconds',
  help: 'Seconds to write one resolved event to every subscriber of a shared resolution, by field',
  labelNames: ['field'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  registers: [metricsRegistry],
});

export const slowClientsDropped = new Counter({
  name: 'tandem_subscription_slow_clients_dropped_total',
  help: 'Subscribers dropped for not keeping up, by what overflowed (socket: bytes queued on the socket; events: the per-subscription event buffer)',
  labelNames: ['overflow'] as const,
  registers: [metricsRegistry],
});

/** Frames a fan-out wrote straight to sockets, by the thread that wrote them (frame-write-pool.ts): how much the helper takes. */
export const fanoutFramesWritten = new Counter({
  name: 'tandem_subscription_direct_frames_total',
  help: 'Subscription frames written straight to sockets during fan-outs, by writer thread (event-loop or helper)',
  labelNames: ['writer'] as const,
  registers: [metricsRegistry],
});
