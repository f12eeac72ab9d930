import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from './event-envelope.js';
import { InProcessBus, LISTENER_HEAD_START_MS } from './in-process-bus.js';

const event = (id: string): EventEnvelope => ({ id, type: 'Test', tenantId: 'demo', source: 'test', occurredAt: new Date().toISOString(), payload: {} });

describe('InProcessBus', () => {
  it('hands an event to every group side by side, and resolves only when all have handled it', async () => {
    const log: string[] = [];
    let releaseSlow!: () => void;
    const slowGate = new Promise<void>((r) => (releaseSlow = r));
    const bus = new InProcessBus();
    bus.consume('slow', async (e) => {
      log.push(`slow:start:${e.id}`);
      await slowGate;
      log.push(`slow:end:${e.id}`);
    });
    bus.consume('fast', async (e) => {
      log.push(`fast:${e.id}`);
    });
    let resolved = false;
    const published = bus.publish(event('e1')).then(() => (resolved = true));
    await new Promise((r) => setTimeout(r, 10));
    // The fast group did not wait for the slow one; publish did.
    expect(log).toEqual(['slow:start:e1', 'fast:e1']);
    expect(resolved).toBe(false);
    releaseSlow();
    await published;
    expect(log).toEqual(['slow:start:e1', 'fast:e1', 'slow:end:e1']);
  });

  it("lets a listener's work on a batch go first, and holds the consumers for it no longer than the head start", async () => {
    const log: string[] = [];
    const bus = new InProcessBus();
    bus.consume('projection', async (e) => {
      log.push(`consumed:${e.id}`);
    });
    bus.listen(async (e) => {
      log.push(`heard:${e.id}`);
      await new Promise((r) => setTimeout(r, 5));
      log.push(`resolved:${e.id}`);
    });
    await bus.publishBatch([event('a'), event('b')]);
    expect(log).toEqual(['heard:a', 'heard:b', 'resolved:a', 'resolved:b', 'consumed:a', 'consumed:b']);

    // A listener whose work never ends, or fails: the consumers go on after LISTENER_HEAD_START_MS.
    const stuck = new InProcessBus();
    const consumed: string[] = [];
    stuck.consume('projection', async (e) => {
      consumed.push(e.id);
    });
    stuck.listen(() => new Promise(() => {}));
    stuck.listen(() => Promise.reject(new Error('resolution failed')));
    const started = Date.now();
    expect(await stuck.publishBatch([event('c')])).toEqual({ delivered: 1 });
    expect(consumed).toEqual(['c']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(LISTENER_HEAD_START_MS - 5);
  });

  it('keeps each group in publish order', async () => {
    const seen: Record<string, string[]> = { a: [], b: [] };
    const bus = new InProcessBus();
    bus.consume('a', async (e) => {
      await new Promise((r) => setTimeout(r, e.id === '1' ? 20 : 0));
      seen.a.push(e.id);
    });
    bus.consume('b', async (e) => {
      seen.b.push(e.id);
    });
    for (const id of ['1', '2', '3']) await bus.publish(event(id));
    expect(seen).toEqual({ a: ['1', '2', '3'], b: ['1', '2', '3'] });
  });

  it('rejects when a group fails, after the other groups have handled the event (the relay redelivers; they dedupe)', async () => {
    const handled: string[] = [];
    const bus = new InProcessBus();
    bus.consume('broken', async () => {
      throw new Error('projection down');
    });
    bus.consume('working', async (e) => {
      await new Promise((r) => setTimeout(r, 5));
      handled.push(e.id);
    });
    await expect(bus.publish(event('e1'))).rejects.toThrow(/1 consumer group\(s\) failed on Test/);
    expect(handled).toEqual(['e1']);
  });

  it('works through a batch in order per group, groups side by side, and reports the prefix every group handled', async () => {
    const seen: Record<string, string[]> = { steady: [], picky: [] };
    const bus = new InProcessBus();
    bus.consume('steady', async (e) => {
      seen.steady.push(e.id);
    });
    bus.consume('picky', async (e) => {
      if (e.id === '3') throw new Error('cannot take 3 yet');
      seen.picky.push(e.id);
    });
    const delivery = await bus.publishBatch(['1', '2', '3', '4', '5'].map(event));
    expect(delivery.delivered).toBe(2);
    expect(String(delivery.error)).toMatch(/1 consumer group\(s\) failed on Test/);
    // The failing group stopped at its failure, so it never sees 4 before 3; the other group went on (it dedupes on redelivery).
    expect(seen).toEqual({ steady: ['1', '2', '3', '4', '5'], picky: ['1', '2'] });
    expect(await bus.publishBatch([])).toEqual({ delivered: 0 });
  });

  it('hands a batch to a group that takes batches, and falls back to one event at a time when the batch fails', async () => {
    const calls: string[] = [];
    const bus = new InProcessBus();
    const handler = Object.assign(
      async (e: EventEnvelope) => {
        if (e.id === '2') throw new Error('2 is bad');
        calls.push(`one:${e.id}`);
      },
      {
        batch: async (events: readonly EventEnvelope[]) => {
          calls.push(`batch:${events.map((e) => e.id).join(',')}`);
          if (events.some((e) => e.id === '2')) throw new Error('2 is bad');
        },
      },
    );
    bus.consume('g', handler);
    expect(await bus.publishBatch(['1', '3'].map(event))).toEqual({ delivered: 2 });
    const delivery = await bus.publishBatch(['1', '2', '3'].map(event));
    expect(delivery.delivered).toBe(1);
    expect(calls).toEqual(['batch:1,3', 'batch:1,2,3', 'one:1']);
  });

  it("unsubscribing waits for the group's work in flight, and the group is handed nothing after it", async () => {
    const bus = new InProcessBus();
    const handled: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const stop = bus.consume('closing', async (e) => {
      handled.push(`start:${e.id}`);
      if (e.id === '1') await gate;
      handled.push(`end:${e.id}`);
    });
    bus.consume('staying', async () => {});
    const delivery = bus.publishBatch(['1', '2'].map(event));
    await new Promise((r) => setTimeout(r, 10));
    let stopped = false;
    const stopping = stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 10));
    // Event 1 is still being handled: its subgraph must not close its database yet.
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(handled).toEqual(['start:1', 'end:1']);
    // Event 2 was not handed to the stopped group: not delivered, so its relay keeps it for later.
    const { delivered, error } = await delivery;
    expect(delivered).toBe(1);
    expect(String((error as AggregateError).errors[0])).toMatch(/consumer group closing has stopped/);
    // Later batches reach only the groups still subscribed.
    expect(await bus.publishBatch([event('3')])).toEqual({ delivered: 1 });
    expect(handled).toEqual(['start:1', 'end:1']);
  });
});
