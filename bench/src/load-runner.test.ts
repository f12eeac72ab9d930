import { describe, expect, it } from 'vitest';
import { percentile, runLoad } from './load-runner.js';

describe('load runner', () => {
  it('takes nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile([7], 95)).toBe(7);
  });
  it('stops at maxRequests and counts failures apart', async () => {
    const r = await runLoad('t', { concurrency: 4, durationMs: 10_000, maxRequests: 40 }, async (_w, i) => i % 4 !== 0);
    expect(r.requests + r.errors).toBe(40);
    expect(r.errors).toBe(10);
  });
});
