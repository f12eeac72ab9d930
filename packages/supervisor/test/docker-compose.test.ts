import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadConfig, SUBGRAPHS } from '@tandem/platform';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../src/repo-paths.js';

// No Docker engine runs here, so the production topology is checked for what
// can be checked without one: structure, commands, health checks, ports.
describe('docker-compose.yml (production topology)', async () => {
  const compose = parse(await readFile(resolve(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<
      string,
      { command?: string[]; healthcheck?: { test: string[] }; depends_on?: Record<string, { condition: string }>; environment?: Record<string, string> }
    >;
  };
  const services = compose.services;
  const ports = loadConfig({ TANDEM_MODE: 'demo' }).subgraphPorts;

  it('runs postgres, redis, every subgraph, the workers, the gateway and the web front', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres', 'redis', ...SUBGRAPHS, 'workers', 'gateway', 'web']));
  });

  it('starts each Node service from an entry point that exists in the source tree', () => {
    for (const [name, svc] of Object.entries(services)) {
      if (svc.command?.[0] !== 'node') continue;
      const entry = svc.command[1].replace('/dist/', '/src/').replace(/\.js$/, '.ts');
      expect(existsSync(resolve(REPO_ROOT, entry)), `${name}: ${entry}`).toBe(true);
    }
  });

  it('gives every long-running service a health check, subgraphs on their configured port', () => {
    for (const [name, svc] of Object.entries(services)) {
      if (name === 'workers') continue;
      expect(svc.healthcheck?.test, name).toBeTruthy();
    }
    for (const s of SUBGRAPHS) expect(services[s].healthcheck!.test.at(-1)).toBe(String(ports[s]));
  });

  it('only depends on services that exist, waiting for them to be healthy', () => {
    for (const [name, svc] of Object.entries(services)) {
      for (const [dep, cond] of Object.entries(svc.depends_on ?? {})) {
        expect(services[dep], `${name} -> ${dep}`).toBeTruthy();
        expect(cond.condition).toBe('service_healthy');
      }
    }
  });

  it('lets PostgreSQL accept every connection the pools may open, with room for an operator', () => {
    // PostgreSQL's own default when the service does not set it.
    const maxConnections = Number(/max_connections=(\d+)/.exec(services.postgres.command?.join(' ') ?? '')?.[1] ?? 100);
    const poolSize = loadConfig({ TANDEM_MODE: 'demo', DATABASE_POOL_SIZE: services.identity.environment?.DATABASE_POOL_SIZE }).databasePoolSize;
    // One pool in each subgraph's service, and at most one per subgraph in the worker.
    const pools = SUBGRAPHS.length * 2;
    expect(pools * poolSize).toBeLessThanOrEqual(maxConnections - 10);
  });

  it('points the gateway at each subgraph by service name and needs real secrets', () => {
    const env = services.gateway.environment!;
    for (const s of SUBGRAPHS) expect(env[`${s.toUpperCase()}_URL`]).toBe(`http://${s}:${ports[s]}/graphql`);
    expect(env.JWT_SECRET).toMatch(/\$\{JWT_SECRET:\?/);
    expect(env.REDIS_URL).toBe('redis://redis:6379');
  });
});
