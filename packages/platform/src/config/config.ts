import { resolve } from 'node:path';
import { type GatewayLimits, gatewayLimitsFrom } from './gateway-limits.js';

export * from './gateway-limits.js';

/**
 * One place that reads the environment. Every process (subgraph, gateway,
 * worker, supervisor) calls loadConfig() and receives the same shape, so a
 * setting means the same thing everywhere.
 */
export interface TandemConfig {
  /** demo seeds tenants, users and a trickle of applications; production seeds nothing. */
  mode: 'demo' | 'production';
  /** Unset: the supervisor starts embedded PostgreSQL and fills this in. */
  databaseUrl?: string;
  /** Connections each subgraph's ORM may hold (DATABASE_POOL_SIZE), requests' and background work's together: per subgraph and process, so fit their sum to PostgreSQL's max_connections. */
  databasePoolSize: number;
  /** How long a pool keeps a connection nobody uses before closing it (DATABASE_POOL_IDLE_SECONDS); 0 keeps it for good. */
  databasePoolIdleSeconds: number;
  /** Unset: events travel on the in-process bus (single-process default). */
  redisUrl?: string;
  dataDir: string;
  gatewayPort: number;
  /** Embedded PostgreSQL's port when no DATABASE_URL is given (npm start, bench). */
  embeddedPostgresPort: number;
  subgraphPorts: Record<SubgraphName, number>;
  /** <NAME>_URL: where the gateway finds a subgraph when it is not on subgraphHost (compose, k8s). */
  subgraphUrlOverrides: Partial<Record<SubgraphName, string>>;
  /** Host the subgraphs listen on and the gateway reaches them at. */
  subgraphHost: string;
  /** Signs access tokens (HS256). */
  jwtSecret: string;
  /** Signs the internal context the gateway passes to subgraphs. */
  internalSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  logLevel: string;
  /** Web workbench build served by the gateway at / (embedded default). */
  webDist?: string;
  /** Whether this process runs scheduled jobs; the cluster's subgraph processes leave them to the worker. */
  runJobs: boolean;
  /** Demo mode: keep submitting demo applications (off for benchmarks and browser tests). */
  demoTrickle: boolean;
  /** Depth, cost, aliases, tokens, directives, body size and rate-limit budgets at the gateway (gateway-limits.ts). */
  gatewayLimits: GatewayLimits;
  /** The gateway's cache of the workbench's hot reads (gateway/src/response-cache); maxAgeMs 0 turns it off. */
  gatewayResponseCache: { maxEntries: number; maxBytes: number; maxAgeMs: number };
  /**
   * A helper thread that writes part of every large subscription fan-out (GATEWAY_FANOUT_HELPER, on or off; on by
   * default, used only when the machine has more than one CPU): gateway/src/subscriptions/frame-write-pool.ts.
   */
  gatewayFanoutHelper: boolean;
}

export const SUBGRAPHS = ['identity', 'applications', 'scoring', 'queue', 'decisions', 'analytics'] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number];

const DEFAULT_PORTS: Record<SubgraphName, number> = {
  identity: 4001,
  applications: 4002,
  scoring: 4003,
  queue: 4004,
  decisions: 4005,
  analytics: 4006,
};

// Demo secrets exist so `npm start` needs no environment; production refuses them.
const DEMO_JWT_SECRET = 'tandem-demo-jwt-secret-change-me-in-production-000';
const DEMO_INTERNAL_SECRET = 'tandem-demo-internal-secret-change-me-in-prod-000';

/**
 * Connections per subgraph and process: three quarters for requests, a quarter for background work (consumers,
 * relays, jobs; db/background-pool.ts), so a request never waits for a connection behind the consumers. Sized for
 * bursts, not the mean: at 300 decisions/s, with one pool for all, a pool of 10 made a decision wait 15–93 ms on
 * average for a connection (p95 87–289 ms) once an event-loop stall had bunched requests up; 20 waited 2.4–6.6 ms in
 * the same hours. 30 slowed PostgreSQL's answers (more backends on the same cores). Deployments fit
 * DATABASE_POOL_SIZE × pools to PostgreSQL's max_connections.
 */
export const DEFAULT_DATABASE_POOL_SIZE = 20;

/**
 * Idle connections are kept this long, so that a burst finds the connections the last one opened. With pg's default
 * (10 s) the pools shrank between the bench's rounds of decisions, and each round began by opening 15–20 backends
 * (fork, SCRAM authentication, cold catalog caches) while its first decisions waited on them.
 */
export const DEFAULT_DATABASE_POOL_IDLE_SECONDS = 300;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): TandemConfig {
  const mode = (env.TANDEM_MODE ?? 'demo') as TandemConfig['mode'];
  if (mode !== 'demo' && mode !== 'production') {
    throw new ConfigError(`TANDEM_MODE must be demo or production, got ${mode}`);
  }
  const port = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`${name} must be a port number, got ${raw}`);
    return n;
  };
  const count = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a whole number, 0 or more, got ${raw}`);
    return n;
  };
  const onOff = (name: string, fallback: boolean) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (raw !== 'on' && raw !== 'off') throw new ConfigError(`${name} must be on or off, got ${raw}`);
    return raw === 'on';
  };
  const databasePoolSize = count('DATABASE_POOL_SIZE', DEFAULT_DATABASE_POOL_SIZE);
  if (databasePoolSize < 1) throw new ConfigError('DATABASE_POOL_SIZE must be 1 or more');
  const databasePoolIdleSeconds = count('DATABASE_POOL_IDLE_SECONDS', DEFAULT_DATABASE_POOL_IDLE_SECONDS);
  const subgraphPorts = Object.fromEntries(SUBGRAPHS.map((s) => [s, port(`${s.toUpperCase()}_PORT`, DEFAULT_PORTS[s])])) as Record<SubgraphName, number>;
  const jwtSecret = env.JWT_SECRET ?? (mode === 'demo' ? DEMO_JWT_SECRET : '');
  const internalSecret = env.INTERNAL_SECRET ?? (mode === 'demo' ? DEMO_INTERNAL_SECRET : '');
  if (jwtSecret.length < 32 || internalSecret.length < 32) {
    throw new ConfigError('JWT_SECRET and INTERNAL_SECRET must be set (32+ characters) outside demo mode');
  }
  return {
    mode,
    databaseUrl: env.DATABASE_URL || undefined,
    databasePoolSize,
    databasePoolIdleSeconds,
    redisUrl: env.REDIS_URL || undefined,
    dataDir: resolve(env.TANDEM_DATA_DIR ?? '.data'),
    gatewayPort: port('PORT', 4000),
    embeddedPostgresPort: port('EMBEDDED_POSTGRES_PORT', 54329),
    subgraphPorts,
    subgraphUrlOverrides: Object.fromEntries(SUBGRAPHS.filter((s) => env[`${s.toUpperCase()}_URL`]).map((s) => [s, env[`${s.toUpperCase()}_URL`] as string])),
    subgraphHost: env.SUBGRAPH_HOST ?? '127.0.0.1',
    jwtSecret,
    internalSecret,
    accessTokenTtlSeconds: 15 * 60,
    refreshTokenTtlSeconds: 7 * 24 * 3600,
    logLevel: env.LOG_LEVEL ?? 'info',
    webDist: env.TANDEM_WEB_DIST || undefined,
    runJobs: env.TANDEM_JOBS !== 'off',
    demoTrickle: env.TANDEM_DEMO_TRICKLE !== 'off',
    gatewayLimits: gatewayLimitsFrom(env, (message) => {
      throw new ConfigError(message);
    }),
    gatewayResponseCache: {
      maxEntries: count('GATEWAY_CACHE_MAX_ENTRIES', 10_000),
      maxBytes: count('GATEWAY_CACHE_MAX_MB', 64) * 1024 * 1024,
      maxAgeMs: count('GATEWAY_CACHE_MAX_AGE_SECONDS', 15) * 1000,
    },
    gatewayFanoutHelper: onOff('GATEWAY_FANOUT_HELPER', true),
  };
}

export function subgraphUrl(config: TandemConfig, name: SubgraphName): string {
  return config.subgraphUrlOverrides[name] ?? `http://${config.subgraphHost}:${config.subgraphPorts[name]}/graphql`;
}
