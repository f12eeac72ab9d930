import { type EventBus, type EventEnvelope, runAsForeground, type Unsubscribe } from '@tandem/platform';

/** Per tenant, how many recent events the gateway remembers for the resync check. */
const RECENT_EVENTS_PER_TENANT = 2_000;

/** May return a promise of its work on the event (see the platform's EventListener). */
export type HubListener = (event: EventEnvelope) => unknown;

/** What a reconnecting client may have missed since the last event it saw. */
export type MissedEvents = { known: true; missed: number } | { known: false };

/**
 * One bus listener per gateway process, however many subscriptions are open:
 * events are routed by (topic, tenant) to the subscriptions that want them,
 * so a subscription never sees another tenant's event. It also remembers the
 * tenant's recent event ids so a reconnecting client can be told whether it
 * missed anything (the `resync` hint).
 */
export class EventHub {
  private readonly routes = new Map<string, Set<HubListener>>();
  private readonly recent = new Map<string, { id: string; type: string }[]>();
  private readonly everyEvent = new Set<HubListener>();
  private readonly unlisten: Unsubscribe;
  private closed = false;

  constructor(bus: EventBus) {
    // A live subscriber is someone waiting: its payload is not background work, though the relay that delivers it is.
    this.unlisten = bus.listen((event) => runAsForeground(() => this.dispatch(event)));
  }

  /** Routes the event; resolves when the routed subscriptions have resolved their payloads (undefined when none started). */
  private dispatch(event: EventEnvelope): Promise<unknown> | undefined {
    let ring = this.recent.get(event.tenantId);
    if (!ring) {
      ring = [];
      this.recent.set(event.tenantId, ring);
    }
    ring.push({ id: event.id, type: event.type });
    if (ring.length > RECENT_EVENTS_PER_TENANT) ring.splice(0, ring.length - RECENT_EVENTS_PER_TENANT);
    for (const listener of this.everyEvent) listener(event);
    const listeners = this.routes.get(routeKey(event.type, event.tenantId));
    if (!listeners) return undefined;
    let work: Promise<unknown>[] | undefined;
    for (const listener of listeners) {
      const resolving = listener(event);
      if (resolving instanceof Promise) (work ??= []).push(resolving);
    }
    return work && Promise.allSettled(work);
  }

  /** Every event of every tenant (the response cache's invalidation); returns the way out. */
  onEveryEvent(listener: HubListener): () => void {
    this.everyEvent.add(listener);
    return () => this.everyEvent.delete(listener);
  }

  /** Events of `topic` for `tenantId` only; returns the way out. */
  subscribe(topic: string, tenantId: string, listener: HubListener): () => void {
    const key = routeKey(topic, tenantId);
    let listeners = this.routes.get(key);
    if (!listeners) {
      listeners = new Set();
      this.routes.set(key, listeners);
    }
    listeners.add(listener);
    return () => {
      const current = this.routes.get(key);
      current?.delete(listener);
      if (current?.size === 0) this.routes.delete(key);
    };
  }

  /**
   * Events of `topic` for the tenant after `lastEventId`. Unknown when this
   * process never saw that id (it started later, or the id fell out of the
   * ring): the caller must then assume it missed something.
   */
  missedSince(tenantId: string, topic: string, lastEventId: string): MissedEvents {
    const ring = this.recent.get(tenantId) ?? [];
    for (let i = ring.length - 1; i >= 0; i--) {
      if (ring[i]!.id !== lastEventId) continue;
      let missed = 0;
      for (let j = i + 1; j < ring.length; j++) if (ring[j]!.type === topic) missed++;
      return { known: true, missed };
    }
    return { known: false };
  }

  /** Subscriptions currently routed (for tests and shutdown checks). */
  get listenerCount(): number {
    let n = 0;
    for (const set of this.routes.values()) n += set.size;
    return n;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.routes.clear();
    await this.unlisten();
  }
}

const routeKey = (topic: string, tenantId: string) => `${topic}\u0000${tenantId}`;
