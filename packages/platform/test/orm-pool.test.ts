import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_DATABASE_POOL_SIZE } from '../src/config/config.js';
import { openSubgraphDatabase } from '../src/db/orm.js';
import { createTestDatabase } from '../src/testing/test-infra.js';

const poolOf = async (orm: MikroORM) => (await orm.em.getConnection().getNativeClient()) as pg.Pool & { options: { max: number } };

describe("a subgraph's connection pool", () => {
  let url: string;
  const opened: MikroORM[] = [];
  const open = async (schema: string, poolSize?: number) => {
    const orm = await openSubgraphDatabase({ url, schema, entities: [], migrations: [], poolSize });
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

  it('defaults to DEFAULT_DATABASE_POOL_SIZE', async () => {
    expect(DEFAULT_DATABASE_POOL_SIZE).toBeGreaterThan(10);
    expect((await poolOf(await open('pool_default'))).options.max).toBe(DEFAULT_DATABASE_POOL_SIZE);
  });
});
