/**
 * A closed-loop load runner: `concurrency` workers call `task` back to back
 * until `durationMs` or `maxRequests` is reached, whichever comes first, so a
 * run always stops by itself. Latency percentiles are over successful calls.
 */
export interface LoadResult {
  name: string;
  requests: number;
  errors: number;
  seconds: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  target?: string;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export async function runLoad(
  name: string,
  opts: { concurrency: number; durationMs: number; maxRequests: number; target?: string },
  task: (worker: number, i: number) => Promise<boolean>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let issued = 0;
  const started = performance.now();
  const deadline = started + opts.durationMs;
  const worker = async (w: number) => {
    while (performance.now() < deadline && issued < opts.maxRequests) {
      const i = issued++;
      const t0 = performance.now();
      let ok = false;
      try {
        ok = await task(w, i);
      } catch {
        ok = false;
      }
      if (ok) latencies.push(performance.now() - t0);
      else errors++;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, (_, w) => worker(w)));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    name,
    requests: latencies.length,
    errors,
    seconds,
    throughput: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    target: opts.target,
  };
}

export function formatResults(results: LoadResult[]): string {
  const rows = results.map(
    (r) =>
      `${r.name.padEnd(34)} ${r.throughput.toFixed(1).padStart(8)}/s  p50 ${r.p50.toFixed(1).padStart(7)} ms  p95 ${r.p95.toFixed(1).padStart(7)} ms  p99 ${r.p99
        .toFixed(1)
        .padStart(7)} ms  ok ${String(r.requests).padStart(6)}  errors ${String(r.errors).padStart(4)}  ${r.target ?? ''}`,
  );
  return rows.join('\n');
}
