import type { EventEnvelope } from './event-envelope.js';

export type EventHandler = ((event: EventEnvelope) => Promise<void>) & {
  /**
   * Optional: handles several events, in order, all or nothing (one
   * transaction). A bus may hand a batch here; when it rejects, the bus
   * falls back to one event at a time to find the one that fails.
   */
  batch?: (events: readonly EventEnvelope[]) => Promise<void>;
};
/**
 * Hears every event as it is published (the gateway's live subscriptions).
 * It may return a promise of its own work on the event (resolving the live
 * payload): in one process, the consumers then wait for it, briefly, so a
 * person watching does not wait behind the projections.
 */
export type EventListener = (event: EventEnvelope) => unknown;

export interface BatchDelivery {
  delivered: number;
  error?: unknown;
}

/**
 * Ends a subscription. For a consumer, it resolves once the handler's work in
 * flight is over and no more is handed to it: its subgraph can close its
 * database next.
 */
export interface Unsubscribe {
  (): Promise<void>;
}

/**
 * The bus between subgraphs. Two ways to receive:
 * - consume: competing consumers in a named group, at-least-once; a handler
 *   that throws gets the event again (handlers are idempotent via the inbox).
 * - listen: every process sees every event, live only (the gateway's
 *   subscriptions); nothing is redelivered.
 */
export interface EventBus {
  readonly kind: 'in-process' | 'redis';
  publish(event: EventEnvelope<object>): Promise<void>;
  /**
   * Publishes events in order (the outbox relay's path). Resolves with how
   * many of them, from the first, are delivered: every consumer group has
   * handled them (in process) or the broker holds them (Redis). Fewer than
   * all means the next one failed, and `error` says why; the ones after it
   * may have reached some groups, which dedupe them on redelivery.
   */
  publishBatch(events: readonly EventEnvelope[]): Promise<BatchDelivery>;
  consume(group: string, handler: EventHandler): Unsubscribe;
  listen(listener: EventListener): Unsubscribe;
  close(): Promise<void>;
}
