import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { holdWritesUntilCommit, sendWithNextStatement } from '../src/db/deferred-statements.js';
import { createTestDatabase } from '../src/testing/test-infra.js';
import { deferringPool } from './deferring-pool.js';

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
    pool = deferringPool(url, []);
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

// Held writes must be invisible too: the same statements, in the same order, committed or refused as before.
describe('held writes: a flush travels with the commit', () => {
  let pool: pg.Pool;
  let observer: pg.Pool;
  const sent: string[] = [];
  const count = async (where = 'true') => (await observer.query(`SELECT count(*)::int AS n FROM notes WHERE ${where}`)).rows[0].n as number;
  /** A client in a transaction that has reached the server; `sent` is cleared, so it records from here. */
  const begun = async () => {
    const client = await pool.connect();
    await client.query('begin');
    await client.query('SELECT 1');
    sent.length = 0;
    return client;
  };

  beforeAll(async () => {
    const url = await createTestDatabase(inject('databaseUrl'));
    pool = deferringPool(url, sent);
    observer = new pg.Pool({ connectionString: url, max: 1 });
    await observer.query('CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)');
  });
  afterAll(async () => {
    await pool?.end();
    await observer?.end();
  });

  it('answers the held inserts at once and sends them with the commit, in one message', async () => {
    const client = await begun();
    const answers = await holdWritesUntilCommit(async () => [
      await client.query("INSERT INTO notes VALUES (10, 'ten')"),
      await client.query("insert into notes values (11, 'eleven'), (12, 'twelve')"),
    ]);
    expect(answers).toMatchObject([
      { command: 'INSERT', rowCount: 0, rows: [] },
      { command: 'INSERT', rowCount: 0, rows: [] },
    ]);
    expect(sent).toEqual([]);
    expect(await count('id >= 10')).toBe(0);
    expect(await client.query('commit')).toMatchObject({ command: 'COMMIT' });
    expect(sent).toEqual(["INSERT INTO notes VALUES (10, 'ten');\ninsert into notes values (11, 'eleven'), (12, 'twelve');\ncommit"]);
    client.release();
    expect(await count('id >= 10')).toBe(3);
  });

  it('sends begin, the held writes and the commit together when nothing else ran', async () => {
    const client = await pool.connect();
    sent.length = 0;
    await client.query('begin');
    await holdWritesUntilCommit(() => client.query("INSERT INTO notes VALUES (20, 'twenty')"));
    await client.query('commit');
    expect(sent).toEqual(["begin;\nINSERT INTO notes VALUES (20, 'twenty');\ncommit"]);
    client.release();
    expect(await count('id = 20')).toBe(1);
  });

  it("fails the commit with the held insert's own error, and commits nothing", async () => {
    const client = await pool.connect();
    await client.query('begin');
    await client.query("INSERT INTO notes VALUES (30, 'thirty')");
    await holdWritesUntilCommit(() => client.query("INSERT INTO notes VALUES (10, 'ten again')"));
    await expect(client.query('commit')).rejects.toMatchObject({ code: '23505' });
    await client.query('rollback');
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    client.release();
    expect(await count('id = 30')).toBe(0);
  });

  it("reports a held insert's error on a statement with bound parameters that follows it", async () => {
    const client = await begun();
    await holdWritesUntilCommit(() => client.query("INSERT INTO notes VALUES (11, 'eleven again')"));
    await expect(client.query('SELECT $1::int AS n', [1])).rejects.toMatchObject({ code: '23505' });
    await client.query('rollback');
    client.release();
  });

  it('drops the held writes of a transaction that rolls back', async () => {
    const client = await begun();
    await holdWritesUntilCommit(() => client.query("INSERT INTO notes VALUES (40, 'forty')"));
    await client.query('rollback');
    expect(sent).toEqual(['rollback']);
    client.release();
    expect(await count('id = 40')).toBe(0);
  });

  it('holds nothing outside a transaction, and no insert that returns rows', async () => {
    const client = await pool.connect();
    sent.length = 0;
    await holdWritesUntilCommit(() => client.query("INSERT INTO notes VALUES (50, 'fifty')"));
    expect(sent).toEqual(["INSERT INTO notes VALUES (50, 'fifty')"]);
    expect(await count('id = 50')).toBe(1);
    await client.query('begin');
    const returned = await holdWritesUntilCommit(() => client.query("INSERT INTO notes VALUES (51, 'fifty-one') RETURNING id"));
    expect(returned).toMatchObject({ rowCount: 1, rows: [{ id: 51 }] });
    await client.query('commit');
    client.release();
    expect(await count('id = 51')).toBe(1);
  });

  it('holds nothing outside the scope: a statement after it is sent as before', async () => {
    const client = await begun();
    await client.query("INSERT INTO notes VALUES (60, 'sixty')");
    expect(sent).toEqual(["INSERT INTO notes VALUES (60, 'sixty')"]);
    await client.query('commit');
    client.release();
  });

  it('sends a lock with the statement it guards, and holds it until the transaction ends', async () => {
    const client = await begun();
    const lock = await sendWithNextStatement(() => client.query('SELECT pg_advisory_xact_lock(4242)'));
    expect(lock).toMatchObject({ command: 'SELECT', rowCount: 0, rows: [] });
    expect(sent).toEqual([]);
    const guarded = await client.query('SELECT count(*)::int AS n FROM notes');
    expect(sent).toEqual(['SELECT pg_advisory_xact_lock(4242);\nSELECT count(*)::int AS n FROM notes']);
    expect(guarded.rows[0].n).toBeGreaterThan(0);
    // Another session cannot take it while this transaction lives, and can once it has ended.
    const tryLock = async () => (await observer.query('SELECT pg_try_advisory_lock(4242) AS got')).rows[0].got as boolean;
    expect(await tryLock()).toBe(false);
    await client.query('commit');
    expect(await tryLock()).toBe(true);
    await observer.query('SELECT pg_advisory_unlock(4242)');
    client.release();
  });
});
