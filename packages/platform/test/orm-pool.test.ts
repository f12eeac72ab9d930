import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_DATABASE_POOL_IDLE_SECONDS, DEFAULT_DATABASE_POOL_SIZE } from '../src/config/config.js';
import { splitPoolSize } from '../src/db/background-pool.js';
import { openSubgraphDatabase } from '../src/db/orm.js';
import { runAsBackground } from '../src/process/background-work.js';
import { createTestDatabase } from '../src/testing/test-infra.js';

const poolOf = async (orm: MikroORM) => (await orm.em.getConnection().getNativeClient()) as pg.Pool & { options: { max: number; idleTimeoutMillis: number } };

describe("a subgraph's connection pool", () => {
  let url: string;
  const opened: MikroORM[] = [];
  const open = async (schema: string, poolSize?: number, poolIdleSeconds?: number) => {
    const orm = await openSubgraphDatabase({ url, schema, entities: [], migrations: [], poolSize, poolIdleSeconds });
    opened.push(orm);
    return orm;
  };

  beforeAll(async () => {
    url = await createTestDatabase(inject('databaseUrl'));
  });
  afterAll(async () => {
    for (const orm of opened) await orm.close();
  });

  /** `n` transactions at once, each holding its connection 50 ms; the backends they ran on, and the most connections the request pool held meanwhile. */
  const transactions = async (orm: MikroORM, n: number) => {
    const pool = await poolOf(orm);
    let most = 0;
    const pids = await Promise.all(
      Array.from({ length: n }, () =>
        orm.em.fork().transactional(async (em) => {
          const [row] = await em.execute<{ pid: number }[]>('SELECT pg_backend_pid() AS pid, pg_sleep(0.05)');
          most = Math.max(most, pool.totalCount);
          return row!.pid;
        }),
      ),
    );
    expect(pids).toHaveLength(n);
    return { backends: new Set(pids), most };
  };

  it('holds at most poolSize connections, a quarter of them for background work: transactions beyond them wait for one, and all complete', async () => {
    const orm = await open('pool_small', 4);
    expect(splitPoolSize(4)).toEqual({ requests: 3, background: 1 });
    expect((await poolOf(orm)).options.max).toBe(3);
    const requests = await transactions(orm, 7);
    expect(requests.most).toBeLessThanOrEqual(3);
    // Seven transactions over three connections: some of them shared a backend, one after another.
    expect(requests.backends.size).toBeLessThanOrEqual(3);
    // Background work (consumers, relays, jobs) runs on its own connection, never on a request's.
    const background = await runAsBackground(() => transactions(orm, 4));
    expect(background.backends.size).toBe(1);
    expect([...background.backends].some((pid) => requests.backends.has(pid))).toBe(false);
  });

  it('answers a request while background work waits for connections of its own', async () => {
    const orm = await open('pool_busy_background', 4);
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    // More background transactions than the whole pool has connections, each holding its own until released.
    const holding = Array.from({ length: 6 }, () =>
      runAsBackground(() =>
        orm.em.fork().transactional(async (em) => {
          await em.execute('SELECT 1');
          await held;
        }),
      ),
    );
    await new Promise((r) => setTimeout(r, 100));
    const request = orm.em
      .fork()
      .execute<{ one: number }[]>('SELECT 1 AS one')
      .then((rows) => rows[0]!.one);
    const answer = await Promise.race([request, new Promise((r) => setTimeout(() => r('waited for background work'), 2_000))]);
    release();
    await Promise.all(holding);
    expect(answer).toBe(1);
  });

  it('defaults to DEFAULT_DATABASE_POOL_SIZE connections, each kept DEFAULT_DATABASE_POOL_IDLE_SECONDS when unused', async () => {
    expect(DEFAULT_DATABASE_POOL_SIZE).toBeGreaterThan(10);
    const pool = await poolOf(await open('pool_default'));
    const split = splitPoolSize(DEFAULT_DATABASE_POOL_SIZE);
    expect(split.requests + split.background).toBe(DEFAULT_DATABASE_POOL_SIZE);
    expect(pool.options.max).toBe(split.requests);
    expect(pool.options.idleTimeoutMillis).toBe(DEFAULT_DATABASE_POOL_IDLE_SECONDS * 1000);
  });

  /** The backends a pool holds open right now, as PostgreSQL sees them. */
  const backendsOf = async (orm: MikroORM, probe: MikroORM) => {
    const pool = await poolOf(orm);
    const pids = await Promise.all(
      // Every connection the pool holds, each asked for its backend; each is held 50 ms, so no two asks share one.
      Array.from({ length: pool.idleCount }, () =>
        orm.em.fork().transactional(async (em) => (await em.execute<{ pid: number }[]>('SELECT pg_backend_pid() AS pid, pg_sleep(0.05)'))[0]!.pid),
      ),
    );
    const alive = await probe.em.fork().execute<{ pid: number }[]>('SELECT pid FROM pg_stat_activity WHERE pid IN (?)', [pids]);
    return alive.length;
  };

  it('keeps the connections a burst opened for poolIdleSeconds, then closes them; 0 keeps them', async () => {
    const burst = (orm: MikroORM) => Promise.all(Array.from({ length: 4 }, () => orm.em.fork().transactional((em) => em.execute('SELECT pg_sleep(0.05)'))));
    const probe = await open('pool_probe', 1);
    // Five connections: four for requests, one for background work.
    const short = await open('pool_idle_short', 5, 1);
    const kept = await open('pool_idle_kept', 5, 0);
    await Promise.all([burst(short), burst(kept)]);
    expect((await poolOf(short)).totalCount).toBe(4);
    expect((await poolOf(kept)).totalCount).toBe(4);
    // pg-pool's own default (10 s) would still hold them here, as would the default of this setting.
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await poolOf(short)).totalCount).toBe(0);
    expect((await poolOf(kept)).totalCount).toBe(4);
    expect(await backendsOf(kept, probe)).toBe(4);
  });

  it('fails a transaction whose connection the server drops between its statements, and never the process; the pool serves on (requests and background work)', async () => {
    const orm = await open('pool_dropped', 4);
    const admin = await open('pool_dropped_admin', 2);
    const pool = await poolOf(orm);
    for (const background of [false, true]) {
      // Twice each: the background pool holds one connection here, so a connection leaked by the first would stall the second.
      for (let round = 0; round < 2; round++) {
        const work = () =>
          orm.em.fork().transactional(async (em) => {
            const [row] = await em.execute<{ pid: number }[]>('SELECT pg_backend_pid() AS pid');
            // Between statements the connection is checked out and idle: the server drops it now (a restart, a failover, an admin).
            await admin.em.fork().execute(`SELECT pg_terminate_backend(${row!.pid})`);
            await new Promise((r) => setTimeout(r, 200));
            await em.execute('SELECT 1');
          });
        await expect(background ? runAsBackground(work) : work()).rejects.toThrow(/connection error|terminat/);
      }
    }
    // The broken connections went back and were discarded: none is still checked out, and both pools answer.
    expect(pool.totalCount - pool.idleCount).toBe(0);
    const [row] = await orm.em.fork().execute<{ one: number }[]>('SELECT 1 AS one');
    expect(row!.one).toBe(1);
    const [again] = await runAsBackground(() => orm.em.fork().execute<{ one: number }[]>('SELECT 1 AS one'));
    expect(again!.one).toBe(1);
  });
});
