import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Migration } from '@mikro-orm/migrations';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase } from '../src/testing/test-infra.js';
import { openSubgraphDatabase } from '../src/db/orm.js';
import { InProcessBus } from '../src/events/in-process-bus.js';
import { RedisStreamBus } from '../src/events/redis-stream-bus.js';
import { OutboxRelay, idempotentConsumer, recordEvent } from '../src/events/outbox.js';
import type { EventBus } from '../src/events/event-bus.js';
import type { EventEnvelope } from '../src/events/event-envelope.js';

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

const unpublished = async (orm: MikroORM) =>
  Number((await orm.em.fork().execute(`SELECT count(*)::int AS n FROM "${orm.config.get('schema')}".outbox_events WHERE published_at IS NULL`))[0].n);

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
});
