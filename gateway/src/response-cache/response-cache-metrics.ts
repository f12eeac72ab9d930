import { metricsRegistry } from '@tandem/platform';
import { Counter, Gauge } from 'prom-client';
import type { ResponseCache } from './response-cache.js';

export const responseCacheAnswers = new Counter({
  name: 'tandem_gateway_response_cache_total',
  help: "Cacheable reads by how the gateway's response cache took them: hit (answered from it), miss (executed), stored (kept after executing)",
  labelNames: ['result'] as const,
  registers: [metricsRegistry],
});

// Module-level: several gateways in one process (tests) share the metric names, not the caches.
const caches = new Set<ResponseCache>();

new Gauge({
  name: 'tandem_gateway_response_cache_entries',
  help: "Entries held in the gateway's response cache",
  registers: [metricsRegistry],
  collect() {
    this.set([...caches].reduce((n, c) => n + c.stats().entries, 0));
  },
});

new Gauge({
  name: 'tandem_gateway_response_cache_bytes',
  help: "Serialised size of the gateway's response cache entries",
  registers: [metricsRegistry],
  collect() {
    this.set([...caches].reduce((n, c) => n + c.stats().bytes, 0));
  },
});

/** Puts a cache's size on /metrics until the returned function is called. */
export function observeResponseCache(cache: ResponseCache): () => void {
  caches.add(cache);
  return () => caches.delete(cache);
}
