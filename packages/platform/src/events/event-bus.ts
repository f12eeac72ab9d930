import type { EventEnvelope } from './event-envelope.js';

export type EventHandler = (event: EventEnvelope) => Promise<void>;
export type EventListener = (event: EventEnvelope) => void;

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
  consume(group: string, handler: EventHandler): Unsubscribe;
  listen(listener: EventListener): Unsubscribe;
  close(): Promise<void>;
}
