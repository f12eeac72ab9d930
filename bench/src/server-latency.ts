/**
 * What the server itself measured for the bench's own operation during a window, from its Prometheus
 * histogram `tandem_graphql_operation_seconds` (recorded by every Apollo server, the gateway's and each
 * subgraph's, from request start to response). Laid beside the latency the callers saw, it says whether a
 * slow window was spent inside the GraphQL pipeline or before and after it (accepting and reading the
 * request, writing the answer, the callers' own event loop).
 */

const SERIES = 'tandem_graphql_operation_seconds_bucket';

/** Per service, the cumulative count per bucket bound (seconds; Infinity for +Inf) of the operations whose name starts with `operation`. */
export type OperationBuckets = Map<string, Map<number, number>>;

export function operationBuckets(metrics: string, operation: string): OperationBuckets {
  const out: OperationBuckets = new Map();
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(`${SERIES}{`)) continue;
    const close = line.lastIndexOf('}');
    const labels = Object.fromEntries([...line.slice(SERIES.length + 1, close).matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (!labels.operation?.startsWith(operation) || !labels.service || !labels.le) continue;
    const le = labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(labels.le);
    const count = Number(line.slice(close + 1).trim());
    if (!Number.isFinite(count) || Number.isNaN(le)) continue;
    const service = out.get(labels.service) ?? new Map<number, number>();
    // Several operation names with one prefix (the gateway's, a subgraph's generated fetch names): summed.
    service.set(le, (service.get(le) ?? 0) + count);
    out.set(labels.service, service);
  }
  return out;
}

export interface ServerPercentile {
  service: string;
  /** operations observed between the two scrapes */
  count: number;
  /** the upper bound of the bucket holding the percentile, in ms (Infinity: above the last bound) */
  atMostMs: number;
}

/** Per service, the bucket holding the p-th percentile of what was observed between `before` and `after`. */
export function serverPercentiles(before: OperationBuckets, after: OperationBuckets, p: number): ServerPercentile[] {
  const result: ServerPercentile[] = [];
  for (const [service, buckets] of after) {
    const bounds = [...buckets.keys()].sort((a, b) => a - b);
    const delta = bounds.map((le) => (buckets.get(le) ?? 0) - (before.get(service)?.get(le) ?? 0));
    const count = delta.at(-1) ?? 0;
    if (count <= 0) continue;
    const index = delta.findIndex((cumulative) => cumulative >= (p / 100) * count);
    result.push({ service, count, atMostMs: bounds[index]! * 1000 });
  }
  return result.sort((a, b) => a.service.localeCompare(b.service));
}

/** ", in the server p95 ≤ 25 ms at the gateway, ≤ 10 ms in decisions" — or nothing when nothing was observed. */
export function describeServerPercentiles(found: readonly ServerPercentile[], p: number): string {
  if (!found.length) return '';
  const bound = (ms: number) => (Number.isFinite(ms) ? `≤ ${ms} ms` : '> the last bucket');
  return `, in the server p${p} ${found.map((f) => `${bound(f.atMostMs)} in ${f.service}`).join(', ')}`;
}
