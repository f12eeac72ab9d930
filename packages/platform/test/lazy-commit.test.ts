import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { commitLazily } from '../src/db/lazy-commit.js';
import { openSubgraphDatabase } from '../src/db/orm.js';
import type { EventBus } from '../src/events/event-bus.js';
import { newEnvelope } from '../src/events/event-envelope.js';
import { InProcessBus } from '../src/events/in-process-bus.js';
import { idempotentConsumer, OutboxRelay, recordEvent } from '../src/events/outbox.js';
import { createTestDatabase } from '../src/testing/test-infra.js';

const setting = async (em: { execute: MikroORM['em']['execute'] }) =>
  ((await em.execute<{ synchronous_commit: string }[]>('SHOW synchronous_commit'))[0] as { synchronous_commit: string }).synchronous_commit;

describe('lazy commits (synchronous_commit off) for work that is redone when lost', () => {
  let url: string;
  let orm: MikroORM;

  beforeAll(async () => {
    url = await createTestDatabase(inject('databaseUrl'));
    // One connection: every transaction below runs on the same backend, so a setting that outlived its transaction would show.
    orm = await openSubgraphDatabase({ url, schema: 'lazy', entities: [], migrations: [], poolSize: 1 });
    await orm.em.fork().execute('CREATE TABLE IF NOT EXISTS lazy.marks (id text PRIMARY KEY)');
  });
  afterAll(async () => {
    await orm.close();
  });

  it('turns the flush wait off for its own transaction only, and the transaction still commits', async () => {
    await orm.em.fork().transactional(async (tx) => {
      await commitLazily(tx);
      expect(await setting(tx)).toBe('off');
      await tx.execute(`INSERT INTO lazy.marks (id) VALUES ('lazy-1')`);
    });
    const em = orm.em.fork();
    expect(await em.execute(`SELECT id FROM lazy.marks WHERE id = 'lazy-1'`)).toHaveLength(1);
    // Same backend, next transaction: back to the server's default.
    expect(await setting(em)).toBe('on');
    await orm.em.fork().transactional(async (tx) => {
      expect(await setting(tx)).toBe('on');
    });
  });

  it('is dropped with a rolled-back transaction, and nothing of it is left behind', async () => {
    await expect(
      orm.em.fork().transactional(async (tx) => {
        await commitLazily(tx);
        await tx.execute(`INSERT INTO lazy.marks (id) VALUES ('lazy-rolled-back')`);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    const em = orm.em.fork();
    expect(await em.execute(`SELECT id FROM lazy.marks WHERE id = 'lazy-rolled-back'`)).toHaveLength(0);
    expect(await setting(em)).toBe('on');
  });

  it('applies to a consumer only when asked (the in-process bus), for one event and for a batch', async () => {
    const seen: Record<string, string[]> = { lazy: [], durable: [] };
    const handlers = (kind: 'lazy' | 'durable') => ({
      'mark.made': async (em: Parameters<typeof setting>[0]) => {
        seen[kind]!.push(await setting(em));
      },
    });
    const lazy = idempotentConsumer(orm, 'lazy-consumer', handlers('lazy'), { lazyCommit: true });
    const durable = idempotentConsumer(orm, 'durable-consumer', handlers('durable'));
    const events = ['a', 'b', 'c'].map((n) => newEnvelope('test', 'mark.made', 't1', { n }));
    await lazy(events[0]!);
    await durable(events[0]!);
    await lazy.batch!(events.slice(1));
    await durable.batch!(events.slice(1));
    expect(seen).toEqual({ lazy: ['off', 'off', 'off'], durable: ['on', 'on', 'on'] });
  });

  it("lets the relay's pass commit lazily: its delete only decides whether a batch goes out again", async () => {
    const relayOrm = await openSubgraphDatabase({ url, schema: 'lazy_relay', entities: [], migrations: [] });
    const observer = orm.em.fork();
    const relayStatements: string[] = [];
    const bus = new InProcessBus();
    // While the relay's transaction is open (it awaits the delivery), what did it send?
    const unsubscribe = bus.consume('observer', async () => {
      const rows = await observer.execute<{ query: string }[]>(
        `SELECT query FROM pg_stat_activity WHERE state = 'idle in transaction' AND query LIKE '%lazy_relay%outbox_events%'`,
      );
      relayStatements.push(...rows.map((r) => r.query));
    });
    const relay = new OutboxRelay(relayOrm, bus as EventBus, { pollMs: 60_000 });
    try {
      await relayOrm.em.fork().transactional(async (em) => {
        recordEvent(em, 'lazy_relay', 'mark.made', 't1', {});
      });
      // The commit wakes the relay; its pass delivers the event and deletes its row.
      const left = async () => (await relayOrm.em.fork().execute(`SELECT count(*)::int AS n FROM lazy_relay.outbox_events`))[0]!.n;
      for (const until = Date.now() + 10_000; (await left()) !== 0 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 25));
      expect(await left()).toBe(0);
      expect(relayStatements).toHaveLength(1);
      // With the claim, prepared in the same message the first time the connection runs it.
      expect(relayStatements[0]).toMatch(/SET LOCAL synchronous_commit TO OFF;\s*(PREPARE tandem_\w+ AS )?SELECT id, type/);
    } finally {
      await unsubscribe();
      await relay.stop();
      await relayOrm.close();
    }
  });
});
