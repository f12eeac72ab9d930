import { loadConfig } from '../config/config.js';
import { createEventBus } from '../events/create-bus.js';
import { type SubgraphModule, startSubgraph } from '../graphql/subgraph.js';
import { createScheduler } from '../jobs/scheduler.js';
import { createLogger } from '../logging/logger.js';
import { asyncContextFramesOn } from './async-context-frames.js';
import { exitOnFatalError } from './fatal-error.js';

/**
 * Stops the listed parts in order on SIGINT/SIGTERM, once, then exits. Every
 * process entry calls it once, when it is up: it also says there if the
 * process runs without async context frames (slower, see async-context-frames.ts).
 */
export function onShutdown(name: string, stop: () => Promise<void>): void {
  const log = createLogger(name);
  if (!asyncContextFramesOn()) {
    log.warn(
      'running without async context frames: set NODE_OPTIONS=--experimental-async-context-frame (npm scripts and the image do) for about a fifth less CPU',
    );
  }
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    stop()
      .then(() => process.exit(0))
      .catch((err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGINT', () => handler('SIGINT'));
  process.once('SIGTERM', () => handler('SIGTERM'));
}

/**
 * The entry of one subgraph as its own process (cluster and production):
 * DATABASE_URL and REDIS_URL are required, since separate processes can only
 * share events through Redis.
 */
export async function runSubgraphProcess<S>(module: SubgraphModule<S>): Promise<void> {
  process.env.TANDEM_SERVICE ??= module.name;
  exitOnFatalError(module.name);
  const config = loadConfig();
  if (!config.databaseUrl || !config.redisUrl) {
    throw new Error(`${module.name}: DATABASE_URL and REDIS_URL must be set to run a subgraph as its own process (npm start runs everything in one)`);
  }
  const bus = createEventBus(config.redisUrl);
  const scheduler = createScheduler(config.redisUrl, 'tandem');
  const running = await startSubgraph(module, { config, databaseUrl: config.databaseUrl, bus, scheduler, runJobs: config.runJobs });
  onShutdown(module.name, async () => {
    await running.stop();
    await scheduler.stop();
    await bus.close();
  });
}
