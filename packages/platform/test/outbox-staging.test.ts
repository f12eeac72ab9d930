import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Migration } from '@mikro-orm/migrations';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { holdWritesUntilCommit } from '../src/db/deferred-statements.js';
import { openSubgraphDatabase } from '../src/db/orm.js';
import type { EventEnvelope } from '../src/events/event-envelope.js';
import { recordEvent } from '../src/events/outbox.js';
import { createTestDatabase } from '../src/testing/test-infra.js';

@Entity({ tableName: 'gadgets' })
class Gadget {
  @PrimaryKey({ type: 'text' })
  id!: string;
  @Property({ type: 'text' })
  name!: string;
}

class GadgetsMigration extends Migration {
  override up(): void {
    this.addSql('CREATE TABLE gadgets (id text PRIMARY KEY, name text NOT NULL)');
  }
}

interface OutboxRow {
  id: string;
  type: string;
  tenant_id: string;
  source: string;
  payload: unknown;
  request_id: string | null;
  created_at: Date;
  attempts: number;
}

describe('outbox rows recorded in a transaction, written at its flush', () => {
  let url: string;
  let orm: MikroORM;
  let observer: pg.Client;

  beforeAll(async () => {
    url = await createTestDatabase(inject('databaseUrl'));
    // One connection, so the last message its backend received is the transaction's last.
    orm = await openSubgraphDatabase({
      url,
      schema: 'staging',
      entities: [Gadget],
      migrations: [{ name: '0001_gadgets', class: GadgetsMigration }],
      poolSize: 1,
    });
    observer = new pg.Client({ connectionString: url });
    await observer.connect();
  });
  afterAll(async () => {
    await observer.end();
    await orm.close();
  });

  const outbox = async (ids: string[]) =>
    (
      await observer.query<OutboxRow>(
        'SELECT id, type, tenant_id, source, payload, request_id, created_at, attempts FROM staging.outbox_events WHERE id = ANY($1::uuid[]) ORDER BY seq',
        [ids],
      )
    ).rows;
  /** The last message the ORM's one backend received (a deferred begin, held writes and the commit share one). */
  const lastMessage = async (state: 'idle' | 'idle in transaction') =>
    (
      await observer.query<{ query: string }>(
        `SELECT query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND state = $1`,
        [state],
      )
    ).rows.map((r) => r.query);

  it('writes every event in the order recorded, exactly as recorded', async () => {
    const recorded: EventEnvelope[] = [];
    await orm.em.fork().transactional(async (em) => {
      em.create(Gadget, { id: 'g1', name: 'first' });
      recorded.push(
        recordEvent(em, 'staging', 'gadget.made', 't1', { gadgetId: 'g1', note: `it's "quoted" \\ and ünïcödé`, nested: { list: [1, null, 'x'] } }, 'req-1'),
      );
      recorded.push(recordEvent(em, 'staging', 'audit.recorded', 't1', { entityId: 'g1', oldValue: null }));
      recorded.push(recordEvent(em, 'staging', 'gadget.named', 't2', { gadgetId: 'g1', name: 'first' }));
    });

    const rows = await outbox(recorded.map((e) => e.id));
    // seq follows the order the events were recorded in.
    expect(rows.map((r) => r.id)).toEqual(recorded.map((e) => e.id));
    for (const [i, row] of rows.entries()) {
      const e = recorded[i]!;
      expect(row).toMatchObject({
        type: e.type,
        tenant_id: e.tenantId,
        source: e.source,
        payload: e.payload,
        request_id: e.requestId ?? null,
        attempts: 0,
      });
      expect(row.created_at.toISOString()).toBe(e.occurredAt);
    }
  });

  // pg_stat_activity keeps a message's first 1,024 bytes: the events below are small.
  it("has no round trip of its own: it goes with the flush's next statement", async () => {
    let flushMessage: string | undefined;
    await orm.em.fork().transactional(async (em) => {
      recordEvent(em, 'staging', 'gadget.made', 't1', { gadgetId: 'g5' });
      em.create(Gadget, { id: 'g5', name: 'fifth' });
      await em.flush();
      [flushMessage] = await lastMessage('idle in transaction');
    });
    expect(flushMessage).toMatch(
      /^begin;\n(PREPARE tandem_\w+ AS INSERT INTO "staging"\.outbox_events[^;]*;\n)?EXECUTE tandem_\w+\( ?E?'\[[^;]*;\ninsert into "staging"\."gadgets"[^;]*$/,
    );
  });

  it("travels with the commit when the flush's writes are held for it", async () => {
    let recorded: EventEnvelope | undefined;
    await orm.em.fork().transactional(async (em) => {
      recorded = recordEvent(em, 'staging', 'gadget.made', 't1', { gadgetId: 'g4' });
      em.create(Gadget, { id: 'g4', name: 'fourth' });
      await holdWritesUntilCommit(() => em.flush());
    });
    expect(await outbox([recorded!.id])).toHaveLength(1);
    const [message] = await lastMessage('idle');
    expect(message).toMatch(
      /^begin;\n(PREPARE tandem_\w+ AS INSERT INTO "staging"\.outbox_events[^;]*;\n)?EXECUTE tandem_\w+\( ?E?'\[[^;]*;\ninsert into "staging"\."gadgets"[^;]*;\ncommit$/,
    );
  });

  it('writes nothing when the transaction rolls back after its flush', async () => {
    let recorded: EventEnvelope | undefined;
    await expect(
      orm.em.fork().transactional(async (em) => {
        recorded = recordEvent(em, 'staging', 'gadget.made', 't1', { gadgetId: 'g2' });
        em.create(Gadget, { id: 'g2', name: 'second' });
        await em.flush();
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await outbox([recorded!.id])).toEqual([]);
    expect((await observer.query(`SELECT 1 FROM staging.gadgets WHERE id = 'g2'`)).rowCount).toBe(0);
  });

  it('writes the events of each flush of one transaction at that flush, in order across flushes', async () => {
    const recorded: EventEnvelope[] = [];
    await orm.em.fork().transactional(async (em) => {
      recorded.push(recordEvent(em, 'staging', 'gadget.made', 't1', { n: 1 }));
      await em.flush();
      // Visible to the transaction's own next statement: the held insert travels ahead of it.
      const seen = await em.execute<{ n: number }[]>('SELECT count(*)::int AS n FROM staging.outbox_events WHERE id = ?', [recorded[0]!.id]);
      expect(seen[0]!.n).toBe(1);
      recorded.push(recordEvent(em, 'staging', 'gadget.made', 't1', { n: 2 }));
    });
    expect((await outbox(recorded.map((e) => e.id))).map((r) => r.payload)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('outside a transaction, writes the event with the next flush, as before', async () => {
    const em = orm.em.fork();
    const recorded = recordEvent(em, 'staging', 'gadget.made', 't1', { gadgetId: 'g3' });
    em.create(Gadget, { id: 'g3', name: 'third' });
    await em.flush();
    const [row] = await outbox([recorded.id]);
    expect(row).toMatchObject({ type: 'gadget.made', payload: { gadgetId: 'g3' }, request_id: null });
  });
});
