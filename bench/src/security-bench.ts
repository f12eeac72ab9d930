import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RunningGateway, startGateway } from '@tandem/gateway';
import { InProcessBus, issueAccessToken, loadConfig, permissionsForRole, type SubgraphName } from '@tandem/platform';
import { formatResults, type LoadResult, runLoad } from './load-runner.js';

/**
 * What the gateway's security layers cost (target: < 10% of throughput), in
 * one process on loopback: the same gateway code over the real supergraph,
 * once with the layers (graphql-armor depth/cost/alias/directive rules and
 * suggestion masking, token count, rate limit, trusted-document lookup,
 * introspection guard) and once without, each answering a workbench query
 * whose one subgraph fetch a canned stub serves, so the difference is the
 * layers and not the database. Alternating rounds; bounded in time.
 */
export interface SecurityBenchOptions {
  secondsPerRun?: number;
  rounds?: number;
  concurrency?: number;
  log?: (line: string) => void;
}

export interface SecurityBenchResult {
  runs: LoadResult[];
  /** Best throughput of each variant (requests/s). */
  withoutLayers: number;
  withLayers: number;
  /** 1 - with/without: the share of throughput the layers cost. */
  overhead: number;
  target: string;
}

const QUERY = 'query Me { me { id email name role permissions tenant { id slug name } } }';
const ME = {
  id: '6d1c0a3e-3f4f-4f55-9a36-0a7f7f0c2b11',
  email: 'analyst@demo.test',
  name: 'Ana Analyst',
  role: 'analyst',
  permissions: permissionsForRole('analyst'),
  tenant: { id: 'demo', slug: 'demo', name: 'Demo Lender' },
};

/** Answers every subgraph fetch with the same `me`: the query plan has exactly one fetch, to identity. */
function startStubSubgraph(): Promise<Server> {
  const body = JSON.stringify({ data: { me: ME } });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export async function runSecurityBench(options: SecurityBenchOptions = {}): Promise<SecurityBenchResult> {
  const seconds = options.secondsPerRun ?? 5;
  const rounds = options.rounds ?? 2;
  const concurrency = options.concurrency ?? 16;
  const log = options.log ?? (() => {});
  const config = loadConfig({ TANDEM_MODE: 'demo', LOG_LEVEL: 'warn' });
  const stub = await startStubSubgraph();
  const stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}/graphql`;
  const subgraphUrls = Object.fromEntries(['identity', 'applications', 'scoring', 'queue', 'decisions', 'analytics'].map((n) => [n, stubUrl])) as Record<
    SubgraphName,
    string
  >;
  const bus = new InProcessBus();
  const token = await issueAccessToken(
    { sub: ME.id, tenantId: 'demo', kind: 'user', role: 'analyst', permissions: ME.permissions, sessionId: 'bench' },
    config.jwtSecret,
    3600,
  );
  const gateways: Record<'with' | 'without', RunningGateway> = {
    // A budget no run can reach: the limiter still counts every request.
    with: await startGateway({
      config,
      bus,
      port: 0,
      host: '127.0.0.1',
      subgraphUrls,
      security: { rateLimit: { windowSeconds: 60, perUser: 1e9, perClient: 1e9, perAnonymousAddress: 1e9 } },
    }),
    without: await startGateway({ config, bus, port: 0, host: '127.0.0.1', subgraphUrls, securityLayers: false }),
  };
  const body = JSON.stringify({ query: QUERY });
  const call = (url: string) => async () => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
    const json = (await res.json()) as { data?: { me?: { id: string } }; errors?: unknown[] };
    return res.ok && !json.errors && json.data?.me?.id === ME.id;
  };
  const runs: LoadResult[] = [];
  try {
    // Warm both (JIT, query plan cache) before measuring.
    for (const g of Object.values(gateways)) await runLoad('warm-up', { concurrency, durationMs: 1_000, maxRequests: 2_000 }, call(g.url));
    for (let round = 1; round <= rounds; round++) {
      for (const variant of ['without', 'with'] as const) {
        const result = await runLoad(
          `security layers ${variant === 'with' ? 'on ' : 'off'} (round ${round})`,
          { concurrency, durationMs: seconds * 1000, maxRequests: 1_000_000 },
          call(gateways[variant].url),
        );
        runs.push(result);
        log(formatResults([result]));
      }
    }
  } finally {
    for (const g of Object.values(gateways)) await g.stop();
    await new Promise((r) => stub.close(r));
    await bus.close();
  }
  const best = (on: boolean) => Math.max(...runs.filter((r) => r.name.includes(on ? 'on ' : 'off')).map((r) => r.throughput));
  const withLayers = best(true);
  const withoutLayers = best(false);
  const overhead = 1 - withLayers / withoutLayers;
  return { runs, withLayers, withoutLayers, overhead, target: 'overhead < 10% of throughput' };
}
