import { describe, expect, it } from 'vitest';
import { drainWork, summarise } from './workflow-bench.js';

describe('drainWork', () => {
  it('does each item once, never more than `concurrency` at a time, and counts refusals and throws as errors', async () => {
    const seen: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const outcome = await drainWork([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      seen.push(n);
      if (n === 7) throw new Error('boom');
      return n % 2 === 0;
    });
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(maxInFlight).toBe(3);
    expect(outcome.latencies).toHaveLength(3);
    expect(outcome.errors).toBe(4);
  });
});

describe('summarise', () => {
  it('adds windows: throughput over the measured time only, percentiles over every success', () => {
    const row = summarise('x', [
      { latencies: [1, 2, 3], errors: 1, seconds: 1 },
      { latencies: [4, 5, 6, 7, 8, 9, 10], errors: 0, seconds: 1.5 },
    ]);
    expect(row.requests).toBe(10);
    expect(row.errors).toBe(1);
    expect(row.throughput).toBe(4);
    expect(row.p50).toBe(5);
    expect(row.p95).toBe(10);
  });
});
