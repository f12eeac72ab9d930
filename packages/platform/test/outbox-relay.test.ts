import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Migration } from '@mikro-orm/migrations';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { openSubgraphDatabase } from '../src/db/orm.js';
import type { EventBus } from '../src/events/event-bus.js';
import { type EventEnvelope, newEnvelope } from '../src/events/event-envelope.js';
import { InProcessBus } from '../src/events/in-process-bus.js';
import { handlerWithBatch, idempotentConsumer, OutboxRelay, recordEvent } from '../src/events/outbox.js';
import { RedisStreamBus } from '../src/events/redis-stream-bus.js';
import { createTestDatabase } from '../src/testing/test-infra.js';

@Entity({ tableName: 'widgets' })
class Widget {
  @PrimaryKey({ type: 'text' })
  id!: string;
  @Property({ type: 'integer' })
  count = 0;
}

class WidgetsMigration extends Migration {
  override up(): void {
    this.addSql('CREATE TABLE widgets (id text PRIMARY KEY, count integer NOT NULL DEFAULT 0)');
  }
}

async function openOrm(url: string, schema: string) {
  return openSubgraphDatabase({ url, schema, entities: [Widget], migrations: [{ name: '0001_widgets', class: WidgetsMigration }] });
}

async function waitFor(check: () => Promise<boolean> | boolean, ms = 10_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not met in time');
}

// The relay deletes what it delivered: every row left is still to publish.
const unpublished = async (orm: MikroORM) =>
  Number((await orm.em.fork().execute(`SELECT count(*)::int AS n FROM "${orm.config.get('schema')}".outbox_events`))[0].n);

describe.each([
  ['in-process', () => new InProcessBus() as EventBus],
  ['redis', () => new RedisStreamBus(inject('redisUrl'), `tandem:test:${Date.now()}:${Math.random()}`) as EventBus],
])('outbox, relay and idempotent consumers on the %s bus', (_name, makeBus) => {
  let url: string;
  let producer: MikroORM;
  let consumerOrm: MikroORM;
  let bus: EventBus;

  beforeAll(async () => {
    url = await createTestDatabase(inject('databaseUrl'));
    producer = await openOrm(url, 'producer');
    consumerOrm = await openOrm(url, 'consumer');
    bus = makeBus();
  });
  afterAll(async () => {
    await bus.close();
    await producer.close();
    await consumerOrm.close();
  });

  it('publishes only committed events, and each is applied once even when delivered twice', async () => {
    const seen: EventEnvelope[] = [];
    const handle = idempotentConsumer(consumerOrm, 'counter', {
      'widget.bumped': async (em, event) => {
        seen.push(event);
        const w = (await em.findOne(Widget, { id: event.payload.widgetId })) ?? em.create(Widget, { id: event.payload.widgetId, count: 0 });
        w.count += 1;
        em.persist(w);
      },
    });
    // Deliver every event twice: the inbox must absorb the duplicate.
    const unsubscribe = bus.consume('counter', async (e) => {
      await handle(e);
      await handle(e);
    });
    const relay = new OutboxRelay(producer, bus, { pollMs: 200 });
    relay.start();

    // A rolled-back transaction stages an event that must never be published.
    await expect(
      producer.em.fork().transactional(async (em) => {
        recordEvent(em, 'producer', 'widget.bumped', 't1', { widgetId: 'ghost' });
        await em.flush();
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');

    for (let i = 0; i < 5; i++) {
      await producer.em.fork().transactional(async (em) => {
        recordEvent(em, 'producer', 'widget.bumped', 't1', { widgetId: 'w1' });
      });
    }
    await waitFor(async () => (await consumerOrm.em.fork().findOne(Widget, { id: 'w1' }))?.count === 5);
    await waitFor(async () => (await unpublished(producer)) === 0);
    expect(seen.filter((e) => e.payload.widgetId === 'w1')).toHaveLength(5);
    expect(await consumerOrm.em.fork().findOne(Widget, { id: 'ghost' })).toBeNull();
    await relay.stop();
    await unsubscribe();
  });

  it('publishes as soon as the staging transaction commits, even when other transactions commit between its flush and its commit', async () => {
    const received: string[] = [];
    const unsubscribe = bus.consume('prompt', async (e) => {
      if (e.type === 'widget.prompt') received.push(e.payload.n as string);
    });
    // No poll within the test: only the commit itself can wake the relay.
    const relay = new OutboxRelay(producer, bus, { pollMs: 600_000 });
    relay.start();
    await waitFor(async () => (await unpublished(producer)) === 0);

    await producer.em.fork().transactional(async (em) => {
      recordEvent(em, 'producer', 'widget.prompt', 't1', { n: 'interleaved' });
      await em.flush();
      // Other transactions of this subgraph commit meanwhile: a request's, and the relay's own pass.
      await producer.em.fork().transactional(async (other) => {
        await other.execute('SELECT 1');
      });
      await relay.relayBatch();
    });
    await waitFor(() => received.includes('interleaved'), 3_000);

    // Staged inside a nested transaction (a savepoint): published when the outer one commits.
    await producer.em.fork().transactional(async (outer) => {
      await outer.transactional(async (inner) => {
        recordEvent(inner, 'producer', 'widget.prompt', 't1', { n: 'nested' });
        await inner.flush();
      });
      await outer.execute('SELECT 1');
    });
    await waitFor(() => received.includes('nested'), 3_000);
    expect(received).toEqual(['interleaved', 'nested']);
    await relay.stop();
    await unsubscribe();
  });

  it('loses nothing when the relay was down: a new relay publishes what was committed meanwhile', async () => {
    const received: string[] = [];
    const unsubscribe = bus.consume('late', async (e) => {
      if (e.type === 'widget.late') received.push(e.payload.n as string);
    });
    // No relay running: events wait in the outbox.
    await producer.em.fork().transactional(async (em) => {
      for (const n of ['a', 'b', 'c']) recordEvent(em, 'producer', 'widget.late', 't1', { n });
    });
    expect(await unpublished(producer)).toBeGreaterThanOrEqual(3);
    const relay = new OutboxRelay(producer, bus, { pollMs: 200 });
    relay.start();
    await waitFor(() => received.length === 3);
    expect(received).toEqual(['a', 'b', 'c']);
    await relay.stop();
    await unsubscribe();
  });

  it('drains a backlog of several batches in one wake-up, and a short batch ends the pass', async () => {
    const received: string[] = [];
    const unsubscribe = bus.consume('backlog', async (e) => {
      if (e.type === 'widget.backlog') received.push(e.payload.n as string);
    });
    // No relay running: seven events wait, more than two batches of three.
    const staged = ['0', '1', '2', '3', '4', '5', '6'];
    await producer.em.fork().transactional(async (em) => {
      for (const n of staged) recordEvent(em, 'producer', 'widget.backlog', 't1', { n });
    });
    // No poll within the test: the start's own wake-up must carry the whole backlog.
    const relay = new OutboxRelay(producer, bus, { pollMs: 600_000, batchSize: 3 });
    const passes = vi.spyOn(relay, 'relayBatch');
    relay.start();
    await waitFor(() => received.length === staged.length);
    await relay.stop();
    expect(received).toEqual(staged);
    // 3 + 3 + 1: the short batch took every row there was, so no fourth (empty) round trip to find out.
    expect(passes).toHaveBeenCalledTimes(3);
    await unsubscribe();
  });

  it('retries a consumer that failed, and the event arrives once it recovers', async () => {
    let failuresLeft = 2;
    let applied = 0;
    const handle = idempotentConsumer(consumerOrm, 'flaky', {
      'widget.flaky': async () => {
        if (failuresLeft-- > 0) throw new Error('temporary');
        applied++;
      },
    });
    const unsubscribe = bus.consume('flaky', handle);
    const relay = new OutboxRelay(producer, bus, { pollMs: 100 });
    relay.start();
    await producer.em.fork().transactional(async (em) => {
      recordEvent(em, 'producer', 'widget.flaky', 't1', {});
    });
    if (bus.kind === 'in-process') {
      // The relay backs off and publishes again until the group succeeds.
      await waitFor(() => applied === 1, 15_000);
    } else {
      // Redis: the failed delivery stays pending in the group; we only check it was not acked as applied.
      await new Promise((r) => setTimeout(r, 500));
      expect(applied).toBe(0);
    }
    await relay.stop();
    await unsubscribe();
  });

  it('publishes a batch up to a failing event, backs that one off, and goes on with the rest', async () => {
    let refuse = true;
    // Effects in the handler's transaction: a batch that fails leaves none of them behind.
    const handle = idempotentConsumer(consumerOrm, 'batch', {
      'widget.batch': async (em, e) => {
        if (e.payload.n === 'c' && refuse) throw new Error('not yet');
        em.persist(em.create(Widget, { id: `batch-${e.payload.n}`, count: 1 }));
      },
    });
    const applied = async () =>
      (await consumerOrm.em.fork().find(Widget, { id: { $like: 'batch-%' } }, { orderBy: { id: 'asc' } })).map((w) => w.id.slice('batch-'.length));
    const unsubscribe = bus.consume('batch', handle);
    await producer.em.fork().transactional(async (em) => {
      for (const n of ['a', 'b', 'c', 'd', 'e']) recordEvent(em, 'producer', 'widget.batch', 't1', { n });
    });
    const relay = new OutboxRelay(producer, bus, { pollMs: 100 });
    relay.start();
    await waitFor(async () => (await applied()).includes('e'));
    expect(await applied()).toEqual(['a', 'b', 'd', 'e']);
    if (bus.kind === 'in-process') {
      const [row] = await producer.em.fork().execute(`SELECT next_attempt_at FROM producer.outbox_events WHERE type = 'widget.batch' AND payload->>'n' = 'c'`);
      // Kept, to be tried again after its backoff; the delivered ones are gone.
      expect(row).toBeDefined();
      expect(row.next_attempt_at).not.toBeNull();
      expect(
        (
          await producer.em.fork().execute<{ n: string }[]>(`SELECT payload->>'n' AS n FROM producer.outbox_events WHERE type = 'widget.batch' ORDER BY seq`)
        ).map((r) => r.n),
      ).toEqual(['c']);
      refuse = false;
      await waitFor(async () => (await applied()).includes('c'), 15_000);
      expect(await applied()).toEqual(['a', 'b', 'c', 'd', 'e']);
    }
    // Redis takes the whole batch in one pipeline; the group's failure stays pending there, not in the outbox.
    await waitFor(async () => (await unpublished(producer)) === 0, 15_000);
    await relay.stop();
    await unsubscribe();
  });

  it('applies a batch in one transaction, each event once, skipping what the inbox already holds', async () => {
    const handle = idempotentConsumer(consumerOrm, 'batch-once', {
      'widget.counted': async (em, e) => {
        const w = (await em.findOne(Widget, { id: 'counted' })) ?? em.create(Widget, { id: 'counted', count: 0 });
        w.count += e.payload.by as number;
        em.persist(w);
      },
    });
    const events = [1, 2, 4].map((by) => ({
      id: crypto.randomUUID(),
      type: 'widget.counted',
      tenantId: 't1',
      source: 'test',
      occurredAt: new Date().toISOString(),
      payload: { by },
    }));
    await handle(events[0]!);
    // The first is a redelivery; an event of a type the consumer has no handler for is acknowledged untouched.
    await handle.batch!([...events, { ...events[0]!, id: crypto.randomUUID(), type: 'widget.unknown' }]);
    await handle.batch!(events);
    expect((await consumerOrm.em.fork().findOne(Widget, { id: 'counted' }))?.count).toBe(7);
  });

  it('hands every event of its type in a batch to a handler that takes them at once, in order, each fresh event once even if the batch holds it twice', async () => {
    const seen: string[][] = [];
    const add = async (em: Parameters<Parameters<typeof handlerWithBatch>[0]>[0], id: string, by: number) => {
      const w = (await em.findOne(Widget, { id })) ?? em.create(Widget, { id, count: 0 });
      w.count += by;
      em.persist(w);
    };
    const handle = idempotentConsumer(consumerOrm, 'runs', {
      // A lone event reaches the handler as a run of one.
      'widget.run': handlerWithBatch(async (em, run) => {
        seen.push(run.map((e) => e.id));
        await add(
          em,
          'runs',
          run.reduce((sum, e) => sum + (e.payload.by as number), 0),
        );
      }),
      'widget.other': async (em, e) => add(em, 'others', e.payload.by as number),
    });
    const event = (type: string, by: number) => newEnvelope('test', type, 't1', { by });
    const [a, b, c, d] = [event('widget.run', 1), event('widget.run', 2), event('widget.run', 4), event('widget.run', 8)];
    const other = event('widget.other', 16);
    await handle(d); // handled before: a redelivery in the batch below
    await handle.batch!([a, b, a, other, c, d]);
    // d alone, then a, b, c at once (a twice is one event); other after them
    expect(seen).toEqual([[d.id], [a.id, b.id, c.id]]);
    const counts = await consumerOrm.em.fork().find(Widget, { id: { $in: ['runs', 'others'] } }, { orderBy: { id: 'asc' } });
    expect(counts.map((w) => [w.id, w.count])).toEqual([
      ['others', 16],
      ['runs', 15],
    ]);
  });

  it('with `consecutive`, hands over each run of its type and keeps the batch order across types', async () => {
    const order: string[] = [];
    const handle = idempotentConsumer(consumerOrm, 'consecutive-runs', {
      'widget.step': handlerWithBatch(
        async (_em, run) => {
          order.push(`steps ${run.map((e) => e.payload.n).join('+')}`);
        },
        { consecutive: true },
      ),
      'widget.other': async (_em, e) => {
        order.push(`other ${e.payload.n}`);
      },
    });
    const event = (type: string, n: number) => newEnvelope('test', type, 't1', { n });
    await handle.batch!([
      event('widget.step', 1),
      event('widget.step', 2),
      event('widget.other', 3),
      event('widget.step', 4),
      event('widget.unknown', 5),
      event('widget.step', 6),
    ]);
    // An event no handler takes is not in the way: 4 and 6 follow one another among the events handled.
    expect(order).toEqual(['steps 1+2', 'other 3', 'steps 4+6']);
  });

  it("unsubscribing waits for the consumer's work in flight, and the consumer is handed nothing after it", async () => {
    const group = `leaving-${Math.random().toString(36).slice(2, 8)}`;
    const handled: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const stop = bus.consume(group, async (e) => {
      if (e.type !== group) return; // Redis: a new group reads the stream from its start, earlier tests' events too
      handled.push(`start:${e.id}`);
      await gate;
      handled.push(`end:${e.id}`);
    });
    const first = newEnvelope('leaving', group, 'demo', {});
    const publishing = bus.publish(first);
    await waitFor(() => handled.length === 1);
    let stopped = false;
    const stopping = stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 100));
    // Its subgraph must not close its database while the event is being handled.
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(handled).toEqual([`start:${first.id}`, `end:${first.id}`]);
    await publishing;
    await bus.publish(newEnvelope('leaving', group, 'demo', {}));
    await new Promise((r) => setTimeout(r, 300));
    expect(handled).toHaveLength(2);
  });
});
