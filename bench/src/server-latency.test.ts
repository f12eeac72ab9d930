import { describe, expect, it } from 'vitest';
import { describeServerLoop, describeServerPercentiles, operationBuckets, serverLoop, serverPercentiles } from './server-latency.js';

const scrape = (gateway: number[], decisions: number[]) => {
  const bounds = ['0.005', '0.025', '0.1', '+Inf'];
  const lines = ['# HELP tandem_graphql_operation_seconds x', '# TYPE tandem_graphql_operation_seconds histogram'];
  bounds.forEach((le, i) => {
    lines.push(`tandem_graphql_operation_seconds_bucket{le="${le}",service="gateway",operation="BenchDecide",type="mutation"} ${gateway[i]}`);
    lines.push(`tandem_graphql_operation_seconds_bucket{le="${le}",service="decisions",operation="BenchDecide__decisions__0",type="mutation"} ${decisions[i]}`);
    lines.push(`tandem_graphql_operation_seconds_bucket{le="${le}",service="queue",operation="ReviewQueue",type="query"} 999`);
    lines.push(`tandem_http_request_seconds_bucket{le="${le}",service="gateway",answered_by="graphql"} ${gateway[i]! * 2}`);
    lines.push(`tandem_http_request_seconds_bucket{le="${le}",service="gateway",answered_by="admission"} 999`);
  });
  lines.push('tandem_graphql_operation_seconds_count{service="gateway",operation="BenchDecide",type="mutation"} 1');
  return lines.join('\n');
};

describe('server-side latency from the operation histogram', () => {
  it('reads the cumulative buckets of one operation per service, and nothing else', () => {
    const buckets = operationBuckets(scrape([1, 2, 3, 4], [5, 6, 7, 8]), 'BenchDecide');
    expect([...buckets.keys()].sort()).toEqual(['decisions', 'gateway', 'gateway HTTP']);
    expect(buckets.get('gateway')!.get(0.025)).toBe(2);
    // The host's requests the pipeline answered; not those admission answered.
    expect(buckets.get('gateway HTTP')!.get(0.025)).toBe(4);
    expect(buckets.get('decisions')!.get(Number.POSITIVE_INFINITY)).toBe(8);
  });

  it('finds the bucket of a percentile among what was observed between two scrapes', () => {
    const before = operationBuckets(scrape([10, 10, 10, 10], [0, 0, 0, 0]), 'BenchDecide');
    // Gateway: 100 more, 90 of them within 25 ms, 96 within 100 ms. Decisions: 100, all within 5 ms.
    const after = operationBuckets(scrape([60, 100, 106, 110], [100, 100, 100, 100]), 'BenchDecide');
    const p95 = serverPercentiles(before, after, 95);
    expect(p95).toEqual([
      { service: 'decisions', count: 100, atMostMs: 5 },
      { service: 'gateway', count: 100, atMostMs: 100 },
      { service: 'gateway HTTP', count: 200, atMostMs: 100 },
    ]);
    expect(describeServerPercentiles(p95, 95)).toBe(', in the server p95 ≤ 5 ms in decisions, ≤ 100 ms in gateway, ≤ 100 ms in gateway HTTP');
    // Above the last finite bound.
    expect(serverPercentiles(before, operationBuckets(scrape([10, 10, 10, 20], [0, 0, 0, 0]), 'BenchDecide'), 95)).toEqual([
      { service: 'gateway', count: 10, atMostMs: Number.POSITIVE_INFINITY },
      { service: 'gateway HTTP', count: 20, atMostMs: Number.POSITIVE_INFINITY },
    ]);
    expect(describeServerPercentiles([], 95)).toBe('');
  });

  it("reads the server's loop delay since the last scrape and its GC pauses between two scrapes", () => {
    const scrapeLoop = (maxSeconds: number, minor: number, major: number) =>
      [
        '# TYPE nodejs_eventloop_lag_max_seconds gauge',
        `nodejs_eventloop_lag_max_seconds ${maxSeconds}`,
        'nodejs_eventloop_lag_p99_seconds 0.5',
        `nodejs_gc_duration_seconds_sum{kind="minor"} ${minor}`,
        `nodejs_gc_duration_seconds_sum{kind="major"} ${major}`,
        'nodejs_gc_duration_seconds_count{kind="minor"} 12',
      ].join('\n');
    const before = serverLoop(scrapeLoop(0.5, 1.0, 2.0));
    expect(before.loopMaxMs).toBe(500);
    expect(before.gcMs.get('minor')).toBe(1000);
    const after = serverLoop(scrapeLoop(0.0312, 1.04, 2.025));
    expect(describeServerLoop(before, after)).toBe(", the server's event loop delayed up to 31 ms (65 ms of GC pauses, 25 ms of them major)");
    // No major collection in between: not named.
    expect(describeServerLoop(before, serverLoop(scrapeLoop(0.004, 1.01, 2.0)))).toBe(", the server's event loop delayed up to 4 ms (10 ms of GC pauses)");
    // A server that does not report its loop: nothing said.
    expect(describeServerLoop(before, serverLoop('tandem_up 1'))).toBe('');
  });
});
