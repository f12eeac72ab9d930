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
  let gateway: RunningGateway | undefined;
  // Newest first, as they depend on each other. Also when start-up fails part-way: the subgraphs' relays and
  // jobs would otherwise go on writing to a database that the caller stops next.
  // Every step is tried even when one fails; the first failure is thrown at the end.
  const stopStarted = async () => {
    const steps = [() => gateway?.stop(), () => scheduler.stop(), ...[...subgraphs].reverse().map((s) => () => s.stop())];
    if (!opts.bus) steps.push(() => bus.close());
    const failures: unknown[] = [];
    for (const step of steps) await Promise.resolve(step()).catch((err: unknown) => failures.push(err));
    if (failures.length) throw failures[0];
  };
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
    const subgraphUrls = Object.fromEntries(subgraphs.map((s) => [s.name, s.url])) as Record<SubgraphName, string>;
    // In one process the gateway calls each subgraph's Apollo pipeline directly; the HTTP ports stay open for everything else.
    const inProcessSubgraphs = Object.fromEntries(subgraphs.map((s) => [s.url, s.inProcess]));
    gateway = await startGateway({ config, bus, port: opts.gatewayPort, subgraphUrls, inProcessSubgraphs, webDist: opts.webDist });
  } catch (err) {
    // The start-up error is the one to report; one from stopping is only logged.
    await stopStarted().catch((stopErr) => log.warn({ err: stopErr }, 'could not stop everything after a failed start'));
    throw err;
  }
  log.info({ url: gateway.url }, 'tandem is up');
  return {
    gateway,
    subgraphs,
    bus,
    graphqlUrl: gateway.url,
    stop: stopStarted,
  };
}
