import { createLogger } from '@tandem/platform';

const log = createLogger('gateway:ready');

/** What the gateway needs to answer a query: its schema, every subgraph, and (when configured) Redis. */
export interface ReadinessDeps {
  schemaLoaded: () => boolean;
  /** Each subgraph's GraphQL URL; its readiness is asked at /ready beside it. */
  subgraphUrls: Record<string, string>;
  /** Redis-backed budgets and revocations answer (always true in memory). */
  limitsReachable: () => Promise<boolean>;
  timeoutMs?: number;
  /** One answer serves every /ready within this long: probes are unauthenticated, and each asks every subgraph. */
  cacheMs?: number;
}

/** A subgraph's /ready beside its /graphql: 200 when its database answers. */
export const readyUrlOf = (graphqlUrl: string) => new URL('/ready', graphqlUrl).toString();

/**
 * GET /ready for the gateway: ready only when the supergraph is loaded, every
 * subgraph says it is ready (each checks its database) and Redis answers when
 * the budgets live there. A load balancer stops sending traffic to a gateway
 * that cannot serve; /health stays a liveness check of the process alone.
 */
export function gatewayReadiness(deps: ReadinessDeps): () => Promise<boolean> {
  const timeoutMs = deps.timeoutMs ?? 2_000;
  const cacheMs = deps.cacheMs ?? 1_000;
  let last: { at: number; answer: Promise<boolean> } | undefined;
  const check = async () => {
    if (!deps.schemaLoaded()) return false;
    const checks = await Promise.all([
      ...Object.entries(deps.subgraphUrls).map(async ([name, url]) => {
        const ok = await fetch(readyUrlOf(url), { signal: AbortSignal.timeout(timeoutMs) })
          .then((res) => {
            void res.body?.cancel();
            return res.ok;
          })
          .catch(() => false);
        if (!ok) log.warn({ subgraph: name }, 'subgraph not ready');
        return ok;
      }),
      deps.limitsReachable().catch(() => false),
    ]);
    return checks.every(Boolean);
  };
  return () => {
    const now = Date.now();
    if (!last || now - last.at >= cacheMs) last = { at: now, answer: check() };
    return last.answer;
  };
}
