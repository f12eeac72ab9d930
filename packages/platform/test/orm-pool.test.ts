import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_DATABASE_POOL_IDLE_SECONDS, DEFAULT_DATABASE_POOL_SIZE } from '../src/config/config.js';
import { openSubgraphDatabase } from '../src/db/orm.js';
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

  it('holds at most poolSize connections: transactions beyond it wait for one, and all of them complete', async () => {
    const orm = await open('pool_small', 3);
    const pool = await poolOf(orm);
    expect(pool.options.max).toBe(3);
    let most = 0;
    const pids = await Promise.all(
      Array.from({ length: 7 }, () =>
        orm.em.fork().transactional(async (em) => {
          const [row] = await em.execute<{ pid: number }[]>('SELECT pg_backend_pid() AS pid, pg_sleep(0.05)');
          most = Math.max(most, pool.totalCount);
          return row!.pid;
        }),
      ),
    );
    expect(pids).toHaveLength(7);
    expect(most).toBeLessThanOrEqual(3);
    // Seven transactions over three connections: some of them shared a backend, one after another.
    expect(new Set(pids).size).toBeLessThanOrEqual(3);
  });

  it('defaults to DEFAULT_DATABASE_POOL_SIZE connections, each kept DEFAULT_DATABASE_POOL_IDLE_SECONDS when unused', async () => {
    expect(DEFAULT_DATABASE_POOL_SIZE).toBeGreaterThan(10);
    const pool = await poolOf(await open('pool_default'));
    expect(pool.options.max).toBe(DEFAULT_DATABASE_POOL_SIZE);
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
    const short = await open('pool_idle_short', 4, 1);
    const kept = await open('pool_idle_kept', 4, 0);
    await Promise.all([burst(short), burst(kept)]);
    expect((await poolOf(short)).totalCount).toBe(4);
    expect((await poolOf(kept)).totalCount).toBe(4);
    // pg-pool's own default (10 s) would still hold them here, as would the default of this setting.
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await poolOf(short)).totalCount).toBe(0);
    expect((await poolOf(kept)).totalCount).toBe(4);
    expect(await backendsOf(kept, probe)).toBe(4);
  });
});
