import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deferBeginOnPool } from '../src/db/deferred-begin.js';
import { createTestDatabase } from '../src/testing/test-infra.js';

// A deferred `begin` must be invisible to callers: the server sees the same transaction, one round trip sooner.
describe('deferred begin: a transaction starts with its first statement', () => {
  let pool: pg.Pool;
  let observer: pg.Pool;
  let client: pg.PoolClient;
  let pid: number;
  /** What PostgreSQL says the client's backend is doing: `idle` or `idle in transaction`. */
  const state = async () => (await observer.query<{ state: string }>('SELECT state FROM pg_stat_activity WHERE pid = $1', [pid])).rows[0]?.state;

  beforeAll(async () => {
    const url = await createTestDatabase(inject('databaseUrl'));
    pool = new pg.Pool({ connectionString: url, max: 1 });
    deferBeginOnPool(pool);
    observer = new pg.Pool({ connectionString: url, max: 1 });
    await pool.query('CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)');
  });
  afterAll(async () => {
    await pool?.end();
    await observer?.end();
  });

  const acquire = async () => {
    client = await pool.connect();
    pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  };

  it('answers begin at once, and opens the transaction with the first statement', async () => {
    await acquire();
    expect(await client.query('begin')).toMatchObject({ command: 'BEGIN' });
    expect(await state()).toBe('idle');
    const inserted = await client.query("INSERT INTO notes VALUES (1, 'one') RETURNING id");
    expect(inserted).toMatchObject({ command: 'INSERT', rowCount: 1, rows: [{ id: 1 }] });
    expect(await state()).toBe('idle in transaction');
    await client.query('rollback');
    client.release();
    expect((await observer.query('SELECT count(*)::int AS n FROM notes')).rows[0].n).toBe(0);
  });

  it('commits what the transaction wrote', async () => {
    await acquire();
    await client.query('begin');
    await client.query("INSERT INTO notes VALUES (2, 'two')");
    await client.query("INSERT INTO notes VALUES (3, 'three')");
    await client.query('commit');
    expect(await state()).toBe('idle');
    client.release();
    expect((await observer.query('SELECT id FROM notes ORDER BY id')).rows).toEqual([{ id: 2 }, { id: 3 }]);
  });

  it('leaves a failed first statement aborting the transaction, as a begin of its own would', async () => {
    await acquire();
    await client.query('begin');
    await expect(client.query("INSERT INTO notes VALUES (2, 'again')")).rejects.toMatchObject({ code: '23505' });
    await expect(client.query('SELECT 1')).rejects.toMatchObject({ code: '25P02' }); // in failed transaction
    await client.query('rollback');
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect(await state()).toBe('idle');
    client.release();
  });

  it('sends nothing for a transaction without a statement', async () => {
    await acquire();
    await client.query('begin');
    expect(await client.query('commit')).toMatchObject({ command: 'COMMIT' });
    await client.query('begin');
    expect(await client.query('rollback')).toMatchObject({ command: 'ROLLBACK' });
    expect(await state()).toBe('idle');
    client.release();
  });

  it('queues begin ahead of a first statement with bound parameters', async () => {
    await acquire();
    await client.query('begin');
    await client.query('INSERT INTO notes VALUES ($1, $2)', [4, 'four']);
    expect(await state()).toBe('idle in transaction');
    await client.query('rollback');
    expect((await observer.query('SELECT count(*)::int AS n FROM notes WHERE id = 4')).rows[0].n).toBe(0);
    client.release();
  });

  it('answers several statements in the first message with their own results', async () => {
    await acquire();
    await client.query('begin');
    const results = (await client.query('SELECT 1 AS a; SELECT 2 AS b')) as unknown as pg.QueryResult[];
    expect(results.map((r) => r.rows)).toEqual([[{ a: 1 }], [{ b: 2 }]]);
    await client.query('commit');
    client.release();
  });

  it('never hands the next user a begin its last user left pending', async () => {
    await acquire();
    await client.query('begin');
    client.release();
    await acquire(); // the pool's only connection, again
    await client.query("INSERT INTO notes VALUES (5, 'five')");
    expect(await state()).toBe('idle');
    client.release();
    expect((await observer.query('SELECT count(*)::int AS n FROM notes WHERE id = 5')).rows[0].n).toBe(1);
  });
});
