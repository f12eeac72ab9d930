import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayReadiness, readyUrlOf } from './readiness.js';

/** A subgraph stand-in whose /ready answers `status`. */
function subgraph(status: () => number): Promise<Server> {
  const server = createServer((req, res) => res.writeHead(req.url === '/ready' ? status() : 404).end());
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
const graphqlUrl = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}/graphql`;

describe('gateway readiness', () => {
  let healthy: Server;
  let flaky: Server;
  let flakyStatus = 200;
  beforeAll(async () => {
    healthy = await subgraph(() => 200);
    flaky = await subgraph(() => flakyStatus);
  });
  afterAll(async () => {
    for (const s of [healthy, flaky]) await new Promise((r) => s.close(r));
  });

  it('asks each subgraph at /ready beside its /graphql', () => {
    expect(readyUrlOf('http://10.0.0.5:4002/graphql')).toBe('http://10.0.0.5:4002/ready');
  });

  it('is ready only with the schema loaded, every subgraph ready and the limits’ store reachable', async () => {
    let schema = false;
    let store = true;
    const ready = gatewayReadiness({
      schemaLoaded: () => schema,
      subgraphUrls: { identity: graphqlUrl(healthy), scoring: graphqlUrl(flaky) },
      limitsReachable: async () => store,
      timeoutMs: 500,
      cacheMs: 0,
    });
    expect(await ready()).toBe(false);
    schema = true;
    expect(await ready()).toBe(true);
    flakyStatus = 503;
    expect(await ready()).toBe(false);
    flakyStatus = 200;
    store = false;
    expect(await ready()).toBe(false);
    store = true;
    const gone = gatewayReadiness({
      schemaLoaded: () => true,
      subgraphUrls: { decisions: 'http://127.0.0.1:1/graphql' },
      limitsReachable: async () => true,
      timeoutMs: 500,
    });
    expect(await gone()).toBe(false);
  });

  it('answers a burst of probes with one check', async () => {
    let checks = 0;
    const ready = gatewayReadiness({
      schemaLoaded: () => {
        checks++;
        return true;
      },
      subgraphUrls: { identity: graphqlUrl(healthy) },
      limitsReachable: async () => true,
      cacheMs: 60_000,
    });
    expect(await Promise.all(Array.from({ length: 20 }, () => ready()))).toEqual(Array(20).fill(true));
    expect(checks).toBe(1);
  });
});
