import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openSubgraphDatabase } from '../src/db/orm.js';
import type { EventEnvelope } from '../src/events/event-envelope.js';
import { InProcessBus } from '../src/events/in-process-bus.js';
import { OutboxRelay } from '../src/events/outbox.js';
import { createTestDatabase } from '../src/testing/test-infra.js';

const SCHEMA = 'outbox_upgrade';
const open = (url: string) => openSubgraphDatabase({ url, schema: SCHEMA, entities: [], migrations: [] });

describe('an outbox from before the relay deleted what it delivered', () => {
  let url: string;
  let orm: MikroORM;

  beforeAll(async () => {
    url = await createTestDatabase(inject('databaseUrl'));
    // The table as the relay used to leave it: delivered rows kept, marked published_at, and the migration not yet run.
    const old = await open(url);
    const em = old.em.fork();
    await em.execute(`DROP INDEX ${SCHEMA}.outbox_events_seq_idx`);
    await em.execute(`ALTER TABLE ${SCHEMA}.outbox_events ADD COLUMN published_at timestamptz`);
    await em.execute(`CREATE INDEX outbox_events_unpublished_idx ON ${SCHEMA}.outbox_events (seq) WHERE published_at IS NULL`);
    await em.execute(`DELETE FROM ${SCHEMA}.mikro_orm_migrations WHERE name = '0000_platform_tables_outbox_deletes_delivered'`);
    await em.execute(
      `INSERT INTO ${SCHEMA}.outbox_events (id, type, tenant_id, source, payload, published_at) VALUES
         (gen_random_uuid(), 'old.delivered', 't1', 'test', '{}', now()),
         (gen_random_uuid(), 'old.pending.1', 't1', 'test', '{}', NULL),
         (gen_random_uuid(), 'old.delivered', 't1', 'test', '{}', now()),
         (gen_random_uuid(), 'old.pending.2', 't1', 'test', '{}', NULL)`,
    );
    await old.close();
    orm = await open(url);
  });
  afterAll(async () => {
    await orm.close();
  });

  it('keeps only the rows still to publish, drops the mark, and the relay delivers them in order and deletes them', async () => {
    const em = orm.em.fork();
    expect((await em.execute<{ type: string }[]>(`SELECT type FROM ${SCHEMA}.outbox_events ORDER BY seq`)).map((r) => r.type)).toEqual([
      'old.pending.1',
      'old.pending.2',
    ]);
    const columns = await em.execute<{ column_name: string }[]>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = '${SCHEMA}' AND table_name = 'outbox_events'`,
    );
    expect(columns.map((c) => c.column_name)).not.toContain('published_at');

    const bus = new InProcessBus();
    const delivered: string[] = [];
    const unsubscribe = bus.consume('upgrade', async (event: EventEnvelope) => {
      delivered.push(event.type);
    });
    const relay = new OutboxRelay(orm, bus, { pollMs: 60_000 });
    relay.start();
    try {
      const left = async () => (await orm.em.fork().execute(`SELECT count(*)::int AS n FROM ${SCHEMA}.outbox_events`))[0]!.n as number;
      for (const until = Date.now() + 10_000; (await left()) !== 0 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 25));
      expect(await left()).toBe(0);
      expect(delivered).toEqual(['old.pending.1', 'old.pending.2']);
    } finally {
      await relay.stop();
      await unsubscribe();
    }
  });
});
