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

/** What the server's process said of its own event loop and garbage collector, in one scrape. */
export interface ServerLoop {
  /** the longest event-loop delay since the previous scrape (prom-client resets it on every scrape), in ms; null if not reported */
  loopMaxMs: number | null;
  /** cumulative GC pause time, in ms, by kind (minor, major, incremental, weakcb) */
  gcMs: Map<string, number>;
}

/** The server's loop delay (`nodejs_eventloop_lag_max_seconds`) and GC pauses (`nodejs_gc_duration_seconds_sum`) from a scrape. */
export function serverLoop(metrics: string): ServerLoop {
  let loopMaxMs: number | null = null;
  const gcMs = new Map<string, number>();
  for (const line of metrics.split('\n')) {
    if (line.startsWith('nodejs_eventloop_lag_max_seconds')) {
      const value = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (Number.isFinite(value)) loopMaxMs = value * 1000;
    } else if (line.startsWith('nodejs_gc_duration_seconds_sum{')) {
      const kind = /kind="([^"]*)"/.exec(line)?.[1] ?? 'unknown';
      const value = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (Number.isFinite(value)) gcMs.set(kind, (gcMs.get(kind) ?? 0) + value * 1000);
    }
  }
  return { loopMaxMs, gcMs };
}

/**
 * ", the server's event loop delayed up to 12 ms (34 ms of GC pauses, 20 ms of them major)" between two scrapes;
 * `after` must be the scrape that directly follows `before`, since the loop's maximum is reset by each one.
 */
export function describeServerLoop(before: ServerLoop, after: ServerLoop): string {
  if (after.loopMaxMs === null) return '';
  const spent = (kind: string) => Math.max(0, (after.gcMs.get(kind) ?? 0) - (before.gcMs.get(kind) ?? 0));
  const total = [...after.gcMs.keys()].reduce((sum, kind) => sum + spent(kind), 0);
  const major = spent('major');
  return `, the server's event loop delayed up to ${after.loopMaxMs.toFixed(0)} ms (${total.toFixed(0)} ms of GC pauses${major > 0 ? `, ${major.toFixed(0)} ms of them major` : ''})`;
}

/** ", in the server p95 ≤ 10 ms in decisions, ≤ 25 ms in gateway" — or nothing when nothing was observed. */
export function describeServerPercentiles(found: readonly ServerPercentile[], p: number): string {
  if (!found.length) return '';
  const bound = (ms: number) => (Number.isFinite(ms) ? `≤ ${ms} ms` : '> the last bucket');
  return `, in the server p${p} ${found.map((f) => `${bound(f.atMostMs)} in ${f.service}`).join(', ')}`;
}
