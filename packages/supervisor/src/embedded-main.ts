import { join } from 'node:path';
import { type EmbeddedDatabase, exitOnFatalError, loadConfig, onShutdown, startEmbeddedPostgres } from '@tandem/platform';
import { readDemoApplications, startDemoTrickle } from './demo-trickle.js';
import { DEMO_APPLICATIONS, WEB_DIST } from './repo-paths.js';
import { startTandem } from './tandem.js';

// npm start: everything in one process. Embedded PostgreSQL (data kept in
// .data/postgres) unless DATABASE_URL is set; the in-process bus unless
// REDIS_URL is set; demo data and a trickle of applications in demo mode.
process.env.TANDEM_SERVICE ??= 'tandem';
exitOnFatalError('tandem');
const config = loadConfig();
let db: EmbeddedDatabase | undefined;
let databaseUrl = config.databaseUrl;
if (!databaseUrl) {
  db = await startEmbeddedPostgres({ dataDir: join(config.dataDir, 'postgres'), port: config.embeddedPostgresPort });
  databaseUrl = db.url;
}
const tandem = await startTandem({ config, databaseUrl, webDist: config.webDist ?? WEB_DIST }).catch(async (err) => {
  await db?.stop();
  throw err;
});
const base = `http://localhost:${tandem.gateway.port}`;
const trickle =
  config.mode === 'demo' && config.demoTrickle
    ? startDemoTrickle({
        baseUrl: base,
        applications: await readDemoApplications(DEMO_APPLICATIONS),
        initialBatch: 30,
        everyMs: 20_000,
        runId: Date.now().toString(36),
      })
    : undefined;

const lines = [
  '',
  `  Tandem is running (${config.mode} mode, ${db ? 'embedded PostgreSQL' : 'PostgreSQL from DATABASE_URL'}, ${config.redisUrl ? 'Redis bus' : 'in-process bus'})`,
  '',
  `  Workbench  ${base}/`,
  `  GraphQL    ${base}/graphql   (HTTP and graphql-ws)`,
  `  OAuth      ${base}/oauth/token   (client credentials)`,
];
if (config.mode === 'demo') {
  lines.push(
    '',
    '  Demo accounts (password tandem-demo):',
    '    admin@demo.test  senior@demo.test  analyst@demo.test  analyst2@demo.test  readonly@demo.test',
    '    analyst@acme.test  (tenant acme)',
    '  Partner API clients (secret tandem-demo-secret): demo-partner, acme-partner',
    '',
    '  A demo partner submits an application every 20 seconds. Ctrl-C stops everything.',
  );
}
console.log(lines.join('\n'));

onShutdown('tandem', async () => {
  await trickle?.stop();
  await tandem.stop();
  await db?.stop();
});
