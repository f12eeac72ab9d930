import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createLogger, type EmbeddedDatabase, exitOnFatalError, freePort, loadConfig, onShutdown, startEmbeddedPostgres } from '@tandem/platform';
import { readDemoApplications, startDemoTrickle } from './demo-trickle.js';
import { DEMO_APPLICATIONS, REPO_ROOT, WEB_DIST } from './repo-paths.js';
import { SUBGRAPH_MODULES } from './subgraph-modules.js';

// npm run start:cluster: each subgraph, the workers and two gateways (4000,
// 4100) as separate processes sharing PostgreSQL and Redis, so a subscription
// on one gateway sees events caused through the other. DATABASE_URL and
// REDIS_URL are used when set; otherwise embedded PostgreSQL and a local
// redis-server on loopback are started here.
const log = createLogger('cluster');
exitOnFatalError('cluster');
const config = loadConfig();

let db: EmbeddedDatabase | undefined;
let databaseUrl = config.databaseUrl;
if (!databaseUrl) {
  db = await startEmbeddedPostgres({ dataDir: join(config.dataDir, 'postgres'), port: config.embeddedPostgresPort });
  databaseUrl = db.url;
}
let redis: ChildProcess | undefined;
let redisUrl = config.redisUrl;
if (!redisUrl) {
  const bin = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((b) => existsSync(b));
  if (!bin) throw new Error('REDIS_URL is not set and redis-server is not installed (apt-get install redis-server)');
  const port = await freePort(6390);
  redis = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  redisUrl = `redis://127.0.0.1:${port}`;
  await new Promise((r) => setTimeout(r, 300));
}

const baseEnv = { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, TANDEM_MODE: config.mode };
const children = new Map<string, ChildProcess>();
let stopping = false;

/** Starts a child and restarts it if it dies on its own (at most 5 times a minute). */
function supervise(name: string, script: string, env: Record<string, string | undefined>) {
  const restarts: number[] = [];
  const start = () => {
    const child = spawn(process.execPath, ['--enable-source-maps', resolve(REPO_ROOT, script)], {
      env: { ...baseEnv, ...env, TANDEM_SERVICE: name },
      stdio: 'inherit',
    });
    children.set(name, child);
    child.on('exit', (code, signal) => {
      if (stopping) return;
      const now = Date.now();
      restarts.push(now);
      while (restarts.length && now - restarts[0] > 60_000) restarts.shift();
      if (restarts.length > 5) {
        log.error({ name, code, signal }, 'crashing repeatedly; not restarting');
        return;
      }
      log.warn({ name, code, signal }, 'exited; restarting');
      setTimeout(start, 1000);
    });
  };
  start();
}

for (const m of SUBGRAPH_MODULES) supervise(m.name, `subgraphs/${m.name}/dist/main.js`, { TANDEM_JOBS: 'off' });
supervise('workers', 'packages/supervisor/dist/worker-main.js', {});
for (const port of [4000, 4100]) supervise(`gateway-${port}`, 'gateway/dist/main.js', { PORT: String(port), TANDEM_WEB_DIST: WEB_DIST });

// Wait for both gateways to answer before announcing.
const until = Date.now() + 60_000;
for (const port of [4000, 4100]) {
  while (Date.now() < until) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 250));
  }
}
const trickle =
  config.mode === 'demo' && config.demoTrickle
    ? startDemoTrickle({
        baseUrl: 'http://localhost:4000',
        applications: await readDemoApplications(DEMO_APPLICATIONS),
        initialBatch: 10,
        everyMs: 20_000,
        runId: Date.now().toString(36),
      })
    : undefined;
console.log(`\n  Tandem cluster: gateways http://localhost:4000/graphql and http://localhost:4100/graphql, ${children.size} processes, Redis ${redisUrl}\n`);

onShutdown('cluster', async () => {
  stopping = true;
  await trickle?.stop();
  await Promise.all(
    [...children.values()].map(
      (c) =>
        new Promise<void>((r) => {
          if (c.exitCode !== null) return r();
          c.once('exit', () => r());
          c.kill('SIGTERM');
        }),
    ),
  );
  redis?.kill('SIGTERM');
  await db?.stop();
});
