import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sendWithNextStatement } from '../src/db/deferred-statements.js';
import { openSubgraphDatabase } from '../src/db/orm.js';
import { executePrepared, preparedStatementName } from '../src/db/prepared-statements.js';
import { createTestDatabase } from '../src/testing/test-infra.js';
import { deferringPool } from './deferring-pool.js';

const NOTE_BY_ID = 'SELECT id, body FROM notes WHERE id = $1 OR id = $1 + 1000 ORDER BY id';

describe('prepared statements on a pg connection', () => {
  let url: string;
  let pool: pg.Pool;
  let observer: pg.Pool;
  const sent: string[] = [];
  const name = preparedStatementName(NOTE_BY_ID);
  /** The statements PostgreSQL holds prepared for the client's own session. */
  const preparedOn = async (client: pg.PoolClient) =>
    (await client.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name')).rows.map((r) => r.name);

  beforeAll(async () => {
    url = await createTestDatabase(inject('databaseUrl'));
    pool = deferringPool(url, sent);
    observer = new pg.Pool({ connectionString: url, max: 1 });
    await observer.query("CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL); INSERT INTO notes VALUES (1, 'one'), (2, 'two')");
  });
  afterAll(async () => {
    await pool?.end();
    await observer?.end();
  });

  it('names a statement by its text, the same in every process', () => {
    expect(name).toMatch(/^tandem_[0-9a-f]{16}$/);
    expect(preparedStatementName(NOTE_BY_ID)).toBe(name);
    expect(preparedStatementName(`${NOTE_BY_ID} `)).not.toBe(name);
  });

  it('prepares in the first message of a transaction, with its begin, and executes by name afterwards', async () => {
    const client = await pool.connect();
    sent.length = 0;
    await client.query('begin');
    expect((await client.query(`EXECUTE ${name}(1)`)).rows).toEqual([{ id: 1, body: 'one' }]);
    expect((await client.query(`EXECUTE ${name}(2)`)).rows).toEqual([{ id: 2, body: 'two' }]);
    await client.query('commit');
    expect(sent).toEqual([`begin;\nPREPARE ${name}_1 AS ${NOTE_BY_ID};\nEXECUTE ${name}_1(1)`, `EXECUTE ${name}_1(2)`, 'commit']);
    expect(await preparedOn(client)).toEqual([`${name}_1`]);
    client.release();
  });

  it('prepares once per connection, and another connection prepares for itself', async () => {
    const two = deferringPool(url, sent, 2);
    try {
      const [a, b] = [await two.connect(), await two.connect()];
      sent.length = 0;
      await a.query(`EXECUTE ${name}(1)`);
      await b.query(`EXECUTE ${name}(2)`);
      await a.query(`EXECUTE ${name}(2)`);
      expect(sent).toEqual([
        `PREPARE ${name}_1 AS ${NOTE_BY_ID};\nEXECUTE ${name}_1(1)`,
        `PREPARE ${name}_1 AS ${NOTE_BY_ID};\nEXECUTE ${name}_1(2)`,
        `EXECUTE ${name}_1(2)`,
      ]);
      a.release();
      b.release();
    } finally {
      await two.end();
    }
  });

  it('prepares again under a new name when the message that carried the PREPARE failed', async () => {
    const fresh = deferringPool(url, sent);
    try {
      const client = await fresh.connect();
      await client.query('begin');
      await client.query('SELECT 1/0').catch(() => undefined); // the transaction is aborted: the PREPARE will not run
      await expect(client.query(`EXECUTE ${name}(1)`)).rejects.toMatchObject({ code: '25P02' });
      await client.query('rollback');
      expect(await preparedOn(client)).toEqual([]);
      sent.length = 0;
      expect((await client.query(`EXECUTE ${name}(1)`)).rows).toEqual([{ id: 1, body: 'one' }]);
      expect(sent).toEqual([`PREPARE ${name}_2 AS ${NOTE_BY_ID};\nEXECUTE ${name}_2(1)`]);
      // A PREPARE that ran in a message whose statement then failed is left alone; the next name is used all the same.
      const other = preparedStatementName('SELECT 1 / $1 AS q');
      await expect(client.query(`EXECUTE ${other}(0)`)).rejects.toMatchObject({ code: '22012' });
      expect((await client.query(`EXECUTE ${other}(1)`)).rows).toEqual([{ q: 1 }]);
      expect(await preparedOn(client)).toEqual([`${name}_2`, `${other}_3`, `${other}_4`].sort());
      client.release();
    } finally {
      await fresh.end();
    }
  });

  it('forgets what the connection had prepared when PostgreSQL no longer has it', async () => {
    const client = await pool.connect();
    await client.query(`EXECUTE ${name}(1)`);
    await client.query('DEALLOCATE ALL');
    await expect(client.query(`EXECUTE ${name}(1)`)).rejects.toMatchObject({ code: '26000' });
    expect((await client.query(`EXECUTE ${name}(2)`)).rows).toEqual([{ id: 2, body: 'two' }]);
    client.release();
  });

  it('prepares afresh after a rollback dropped a held PREPARE that never reached the server', async () => {
    const fresh = deferringPool(url, sent);
    try {
      const client = await fresh.connect();
      sent.length = 0;
      await client.query('begin');
      await sendWithNextStatement(() => client.query(`EXECUTE ${name}(1)`));
      await client.query('rollback');
      expect(sent).toEqual([]);
      expect((await client.query(`EXECUTE ${name}(2)`)).rows).toEqual([{ id: 2, body: 'two' }]);
      expect(sent).toEqual([`PREPARE ${name}_2 AS ${NOTE_BY_ID};\nEXECUTE ${name}_2(2)`]);
      client.release();
    } finally {
      await fresh.end();
    }
  });
});

describe('executePrepared through MikroORM', () => {
  let orm: MikroORM;

  beforeAll(async () => {
    const url = await createTestDatabase(inject('databaseUrl'));
    orm = await openSubgraphDatabase({ url, schema: 'prep', entities: [], migrations: [], poolSize: 1 });
    await orm.em.fork().execute('CREATE TABLE IF NOT EXISTS prep.events (id text PRIMARY KEY, note text, at timestamptz NOT NULL, amount numeric(12,2))');
  });
  afterAll(async () => {
    await orm.close();
  });

  const INSERT = 'INSERT INTO prep.events (id, note, at, amount) VALUES ($1, $2, $3, $4) RETURNING id, note, at, amount';
  const BY_ID = 'SELECT id, note, at, amount FROM prep.events WHERE id = $1 FOR UPDATE';

  it('writes and reads quotes, nulls, instants and numbers as em.execute does, inside a transaction', async () => {
    const at = new Date('2026-11-23T10:15:30.123Z');
    const inserted = await orm.em.fork().transactional((tx) => executePrepared(tx, INSERT, ["o'brien", "it's; DROP TABLE prep.events --", at, 1234.5]));
    await orm.em.fork().transactional((tx) => executePrepared(tx, INSERT, ['plain', null, at, null]));
    const em = orm.em.fork();
    const read = (id: string) => em.execute('SELECT id, note, at, amount FROM prep.events WHERE id = ?', [id]);
    // The same rows em.execute reads back (MikroORM leaves timestamptz as PostgreSQL's text), and the instant intact.
    expect(inserted).toEqual(await read("o'brien"));
    expect(inserted[0]).toMatchObject({ note: "it's; DROP TABLE prep.events --", amount: '1234.50' });
    expect(new Date((inserted[0] as { at: string }).at).getTime()).toBe(at.getTime());
    expect(await executePrepared(em, BY_ID, ['plain'])).toEqual(await read('plain'));
    expect(await read('plain')).toMatchObject([{ note: null, amount: null }]);
  });

  it('rolls back with its transaction, and the statement stays usable afterwards', async () => {
    const at = new Date();
    await expect(
      orm.em.fork().transactional(async (tx) => {
        await executePrepared(tx, INSERT, ['rolled-back', 'x', at, 1]);
        await executePrepared(tx, INSERT, ['rolled-back', 'x', at, 1]); // unique violation
      }),
    ).rejects.toMatchObject({ code: '23505' });
    const em = orm.em.fork();
    expect(await executePrepared(em, BY_ID, ['rolled-back'])).toEqual([]);
    await orm.em.fork().transactional((tx) => executePrepared(tx, INSERT, ['after', 'y', at, 2]));
    expect(await executePrepared(em, BY_ID, ['after'])).toHaveLength(1);
  });
});
