import {
  createEventBus,
  createLogger,
  createScheduler,
  exitOnFatalError,
  loadConfig,
  type Orm,
  onShutdown,
  openSubgraphDatabase,
  type SubgraphRuntime,
} from '@tandem/platform';
import { SUBGRAPH_MODULES } from './subgraph-modules.js';

// The worker process of the cluster: every subgraph's scheduled jobs (SLA
// watcher, auto-assign, drift checks) as BullMQ repeatable jobs. Subgraph
// processes run with jobs off, so each tick runs exactly once.
process.env.TANDEM_SERVICE ??= 'workers';
exitOnFatalError('workers');
const log = createLogger('workers');
const config = loadConfig();
if (!config.databaseUrl || !config.redisUrl) throw new Error('workers: DATABASE_URL and REDIS_URL must be set');
const bus = createEventBus(config.redisUrl);
const scheduler = createScheduler(config.redisUrl, 'tandem');
const orms: Orm[] = [];
for (const module of SUBGRAPH_MODULES) {
  if (!module.jobs) continue;
  const orm = await openSubgraphDatabase({
    url: config.databaseUrl,
    schema: module.name,
    entities: module.entities,
    migrations: module.migrations,
    poolSize: config.databasePoolSize,
    poolIdleSeconds: config.databasePoolIdleSeconds,
  });
  orms.push(orm);
  const runtime: SubgraphRuntime = { config, orm, bus, scheduler };
  const services = (await module.createServices?.(runtime)) as never;
  for (const job of module.jobs(runtime, services)) await scheduler.every(`${module.name}-${job.name}`, job.everyMs, job.run);
  log.info({ subgraph: module.name }, 'jobs scheduled');
}
onShutdown('workers', async () => {
  await scheduler.stop();
  for (const orm of orms) await orm.close();
  await bus.close();
});
