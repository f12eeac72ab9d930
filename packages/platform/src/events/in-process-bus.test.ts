import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from './event-envelope.js';
import { InProcessBus } from './in-process-bus.js';

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
});
