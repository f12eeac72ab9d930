import { createLogger } from '../logging/logger.js';
import type { BatchDelivery, EventBus, EventHandler, EventListener, Unsubscribe } from './event-bus.js';
import type { EventEnvelope } from './event-envelope.js';

const log = createLogger('in-process-bus');

/** The longest the consumers of a batch wait for its listeners' work (see EventListener). */
export const LISTENER_HEAD_START_MS = 50;

function headStart(work: Promise<unknown>[]): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, LISTENER_HEAD_START_MS);
  });
  return Promise.race([Promise.allSettled(work), cap]).finally(() => clearTimeout(timer));
}

/**
 * The single-process default. Delivery resolves only when every consumer
 * group has handled the events, so the relay deletes an outbox row as published
 * only after its effects are durable; if a group fails, the relay retries
 * later (groups that succeeded dedupe on redelivery).
 */
export class InProcessBus implements EventBus {
  readonly kind = 'in-process' as const;
  private readonly groups = new Map<string, EventHandler[]>();
  private readonly listeners = new Set<EventListener>();
  /** Each subscribed handler's calls in flight, which its unsubscribe waits for. */
  private readonly inFlight = new Map<EventHandler, Set<Promise<void>>>();

  async publish(event: EventEnvelope<object>): Promise<void> {
    const { error } = await this.publishBatch([event as EventEnvelope]);
    if (error) throw error;
  }

  /**
   * Groups are independent (each its own subgraph and transaction), so they
   * work through the batch side by side, each in publish order: a batch costs
   * the slowest group's time, not the sum over events of each event's slowest
   * group. A group stops at its first failure, so it never sees an event
   * before one it failed on.
   */
  async publishBatch(events: readonly EventEnvelope[]): Promise<BatchDelivery> {
    // Listeners (the gateway's live subscriptions) first, as on Redis where they read the stream
    // alongside the consumer groups: a live payload does not wait for every projection to commit.
    const heard: Promise<unknown>[] = [];
    for (const event of events) {
      for (const listener of this.listeners) {
        try {
          const work = listener(event);
          if (work instanceof Promise) heard.push(work);
        } catch (err) {
          log.error({ err, eventId: event.id }, 'listener threw');
        }
      }
    }
    // Sharing one event loop, consumers would otherwise slow the resolution of the payload people wait for.
    // Bounded: a slow resolution holds the consumers LISTENER_HEAD_START_MS at most.
    if (heard.length) await headStart(heard);
    const failures: { index: number; err: unknown }[] = [];
    await Promise.all(
      [...this.groups].map(async ([group, handlers]) => {
        // Several members of one group compete; in one process, the first one serves.
        const handler = handlers[0];
        if (!handler) return;
        if (handler.batch && events.length > 1) {
          try {
            await this.call(group, handler, () => handler.batch!(events));
            return;
          } catch {
            // Nothing of the batch was applied: one at a time below, to find the failing event and keep the ones before it.
          }
        }
        for (let index = 0; index < events.length; index++) {
          const event = events[index]!;
          try {
            await this.call(group, handler, () => handler(event));
          } catch (err) {
            log.warn({ err, group, eventId: event.id, type: event.type }, 'consumer failed; event will be redelivered');
            failures.push({ index, err });
            return;
          }
        }
      }),
    );
    if (!failures.length) return { delivered: events.length };
    const delivered = Math.min(...failures.map((f) => f.index));
    const errors = failures.filter((f) => f.index === delivered).map((f) => f.err);
    return { delivered, error: new AggregateError(errors, `${errors.length} consumer group(s) failed on ${events[delivered]!.type}`) };
  }

  consume(group: string, handler: EventHandler): Unsubscribe {
    const list = this.groups.get(group) ?? [];
    list.push(handler);
    this.groups.set(group, list);
    this.inFlight.set(handler, new Set());
    return async () => {
      const current = this.groups.get(group) ?? [];
      const next = current.filter((h) => h !== handler);
      if (next.length) this.groups.set(group, next);
      else this.groups.delete(group);
      const running = this.inFlight.get(handler);
      this.inFlight.delete(handler);
      if (running) await Promise.allSettled(running);
    };
  }

  /**
   * Runs a handler's work, counted as in flight; refused once the handler has
   * left its group, so the events stay unpublished and are delivered again
   * (after a restart, in one process) rather than handled on a closed database.
   */
  private call(group: string, handler: EventHandler, work: () => Promise<void>): Promise<void> {
    const running = this.inFlight.get(handler);
    if (!running) return Promise.reject(new Error(`consumer group ${group} has stopped`));
    const done = work();
    running.add(done);
    return done.finally(() => running.delete(done));
  }

  listen(listener: EventListener): Unsubscribe {
    this.listeners.add(listener);
    return async () => {
      this.listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    const running = [...this.inFlight.values()].flatMap((set) => [...set]);
    this.groups.clear();
    this.listeners.clear();
    this.inFlight.clear();
    await Promise.allSettled(running);
  }
}
