import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded-postgres.js';

/**
 * Real infrastructure for integration tests: the embedded PostgreSQL server
 * and Debian's redis-server, each on a free loopback port, torn down after.
 * TEST_DATABASE_URL / REDIS_URL in the environment take precedence.
 */
export interface TestInfra {
  databaseUrl: string;
  redisUrl?: string;
  stop(): Promise<void>;
}

export async function startTestInfra(opts: { redis?: boolean } = {}): Promise<TestInfra> {
  let db: EmbeddedDatabase | undefined;
  let dir: string | undefined;
  let databaseUrl = process.env.TEST_DATABASE_URL;
  if (!databaseUrl) {
    dir = await mkdtemp(join(tmpdir(), 'tandem-pg-'));
    // The server runs as the postgres user, which must be able to enter the folder.
    await chmod(dir, 0o755);
    db = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), database: 'tandem_test' });
    databaseUrl = db.url;
  }
  let redis: ChildProcess | undefined;
  let redisUrl = process.env.REDIS_URL;
  if (opts.redis && !redisUrl) {
    const bin = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((b) => existsSync(b));
    if (!bin) throw new Error('redis-server is not installed: run .ci/run once, or apt-get install redis-server');
    const port = await freePort();
    redis = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    redisUrl = `redis://127.0.0.1:${port}`;
    await waitForPort(port);
  }
  return {
    databaseUrl,
    redisUrl,
    async stop() {
      redis?.kill('SIGTERM');
      await db?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number): Promise<void> {
  const { connect } = await import('node:net');
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.end();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listening on ${port}`);
}

/** A fresh database on the test server, so test files never see each other's rows. */
export async function createTestDatabase(serverUrl: string, name = `t_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
