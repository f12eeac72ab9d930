import { type RunningGateway, startGateway } from '@tandem/gateway';
import {
  createEventBus,
  createLogger,
  createScheduler,
  type EventBus,
  type RunningSubgraph,
  type Scheduler,
  type SubgraphName,
  startSubgraph,
  type TandemConfig,
} from '@tandem/platform';
import { SUBGRAPH_MODULES } from './subgraph-modules.js';

const log = createLogger('supervisor');

export interface TandemOptions {
  config: TandemConfig;
  databaseUrl: string;
  bus?: EventBus;
  scheduler?: Scheduler;
  /** 0 = any free port (tests, bench); default: the config's ports. */
  gatewayPort?: number;
  subgraphPortsFromZero?: boolean;
  webDist?: string;
}

export interface RunningTandem {
  gateway: RunningGateway;
  subgraphs: RunningSubgraph<unknown>[];
  bus: EventBus;
  graphqlUrl: string;
  stop(): Promise<void>;
}

/**
 * Every subgraph, its consumers and jobs, and the gateway, in this process.
 * The embedded default (`npm start`), the end-to-end tests and the bench use it.
 */
export async function startTandem(opts: TandemOptions): Promise<RunningTandem> {
  const { config } = opts;
  const bus = opts.bus ?? createEventBus(config.redisUrl);
  const scheduler = opts.scheduler ?? createScheduler(config.redisUrl, 'tandem');
  const subgraphs: RunningSubgraph<unknown>[] = [];
  try {
    for (const module of SUBGRAPH_MODULES) {
      subgraphs.push(
        await startSubgraph(module, {
          config,
          databaseUrl: opts.databaseUrl,
          bus,
          scheduler,
          port: opts.subgraphPortsFromZero ? 0 : undefined,
          holdRelay: true,
        }),
      );
    }
    // Every consumer group is on the bus now: what the subgraphs staged meanwhile (the demo seed, a backlog) reaches all of them.
    for (const s of subgraphs) s.relay.start();
  } catch (err) {
    for (const s of subgraphs.reverse()) await s.stop().catch(() => undefined);
    throw err;
  }
  const subgraphUrls = Object.fromEntries(subgraphs.map((s) => [s.name, s.url])) as Record<SubgraphName, string>;
  // In one process the gateway calls each subgraph's Apollo pipeline directly; the HTTP ports stay open for everything else.
  const inProcessSubgraphs = Object.fromEntries(subgraphs.map((s) => [s.url, s.inProcess]));
  const gateway = await startGateway({ config, bus, port: opts.gatewayPort, subgraphUrls, inProcessSubgraphs, webDist: opts.webDist });
  log.info({ url: gateway.url }, 'tandem is up');
  return {
    gateway,
    subgraphs,
    bus,
    graphqlUrl: gateway.url,
    async stop() {
      await gateway.stop();
      await scheduler.stop();
      for (const s of [...subgraphs].reverse()) await s.stop();
      if (!opts.bus) await bus.close();
    },
  };
}
