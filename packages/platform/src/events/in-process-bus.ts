import { createLogger } from '../logging/logger.js';
import type { EventBus, EventHandler, EventListener, Unsubscribe } from './event-bus.js';
import type { EventEnvelope } from './event-envelope.js';

const log = createLogger('in-process-bus');

/**
 * The single-process default. publish() resolves only when every consumer
 * group has handled the event, so the relay marks an outbox row published
 * only after its effects are durable; if a group fails, publish rejects and
 * the relay retries later (groups that succeeded dedupe on redelivery).
 */
export class InProcessBus implements EventBus {
  readonly kind = 'in-process' as const;
  private readonly groups = new Map<string, EventHandler[]>();
  private readonly listeners = new Set<EventListener>();

  async publish(event: EventEnvelope<object>): Promise<void> {
    // Listeners (the gateway's live subscriptions) first, as on Redis where they read the stream
    // alongside the consumer groups: a live payload does not wait for every projection to commit.
    for (const listener of this.listeners) {
      try {
        listener(event as EventEnvelope);
      } catch (err) {
        log.error({ err, eventId: event.id }, 'listener threw');
      }
    }
    // Groups are independent (each its own subgraph and transaction), so they handle the event side by side:
    // an event costs the slowest group's time, not the sum. Each group still sees events in publish order,
    // because the relay publishes one event after the previous one resolved.
    const failures: unknown[] = [];
    await Promise.all(
      [...this.groups].map(async ([group, handlers]) => {
        // Several members of one group compete; in one process, the first one serves.
        const handler = handlers[0];
        if (!handler) return;
        try {
          await handler(event as EventEnvelope);
        } catch (err) {
          log.warn({ err, group, eventId: event.id, type: event.type }, 'consumer failed; event will be redelivered');
          failures.push(err);
        }
      }),
    );
    if (failures.length) throw new AggregateError(failures, `${failures.length} consumer group(s) failed on ${event.type}`);
  }

  consume(group: string, handler: EventHandler): Unsubscribe {
    const list = this.groups.get(group) ?? [];
    list.push(handler);
    this.groups.set(group, list);
    return async () => {
      const current = this.groups.get(group) ?? [];
      const next = current.filter((h) => h !== handler);
      if (next.length) this.groups.set(group, next);
      else this.groups.delete(group);
    };
  }

  listen(listener: EventListener): Unsubscribe {
    this.listeners.add(listener);
    return async () => {
      this.listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    this.groups.clear();
    this.listeners.clear();
  }
}
