/**
 * What the server itself measured for the bench's own operation during a window, from its Prometheus
 * histograms: `tandem_graphql_operation_seconds` (every Apollo pipeline, the gateway's and each subgraph's,
 * from request start to response) and `tandem_http_request_seconds` (the gateway's HTTP host, from the
 * request's arrival to the end of its answer). Laid beside the latency the callers saw, they say whether a
 * slow window went inside the pipelines, in the host around them (reading the body, admission, the context,
 * writing), or outside the server's sight (the kernel's queues, the callers' own event loop).
 */

/** Per series kept, the cumulative count per bucket bound (seconds; Infinity for +Inf). */
export type OperationBuckets = Map<string, Map<number, number>>;

/** The buckets of one histogram's series, each kept under the name `keyOf` gives its labels (null: skipped); series with one name are summed. */
export function histogramBuckets(metrics: string, histogram: string, keyOf: (labels: Record<string, string>) => string | null): OperationBuckets {
  const series = `${histogram}_bucket`;
  const out: OperationBuckets = new Map();
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(`${series}{`)) continue;
    const close = line.lastIndexOf('}');
    const labels = Object.fromEntries([...line.slice(series.length + 1, close).matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
    const key = labels.le ? keyOf(labels) : null;
    if (key === null) continue;
    const le = labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(labels.le);
    const count = Number(line.slice(close + 1).trim());
    if (!Number.isFinite(count) || Number.isNaN(le)) continue;
    const buckets = out.get(key) ?? new Map<number, number>();
    buckets.set(le, (buckets.get(le) ?? 0) + count);
    out.set(key, buckets);
  }
  return out;
}

/**
 * Per service, the operations whose name starts with `operation` (the gateway's, and a subgraph's generated
 * fetch names), from request start to response in each Apollo pipeline; and the gateway's HTTP host's whole
 * time for the /graphql requests the pipeline answered (`tandem_http_request_seconds`), as "gateway HTTP".
 */
export function operationBuckets(metrics: string, operation: string): OperationBuckets {
  const pipelines = histogramBuckets(metrics, 'tandem_graphql_operation_seconds', (l) => (l.operation?.startsWith(operation) && l.service ? l.service : null));
  const host = histogramBuckets(metrics, 'tandem_http_request_seconds', (l) =>
    l.service === 'gateway' && l.answered_by === 'graphql' ? 'gateway HTTP' : null,
  );
  return new Map([...pipelines, ...host]);
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

/** ", in the server p95 ≤ 10 ms in decisions, ≤ 25 ms in gateway" — or nothing when nothing was observed. */
export function describeServerPercentiles(found: readonly ServerPercentile[], p: number): string {
  if (!found.length) return '';
  const bound = (ms: number) => (Number.isFinite(ms) ? `≤ ${ms} ms` : '> the last bucket');
  return `, in the server p${p} ${found.map((f) => `${bound(f.atMostMs)} in ${f.service}`).join(', ')}`;
}
