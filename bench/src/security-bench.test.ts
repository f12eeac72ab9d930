import { describe, expect, it } from 'vitest';
import { runSecurityBench } from './security-bench.js';

describe('security layers bench', () => {
  it('drives the same query through a gateway with and without the layers, without errors', async () => {
    const result = await runSecurityBench({ secondsPerRun: 0.3, rounds: 1, concurrency: 4 });
    expect(result.runs.map((r) => r.name)).toEqual([expect.stringMatching(/off/), expect.stringMatching(/on /)]);
    for (const r of result.runs) {
      expect(r.errors).toBe(0);
      expect(r.requests).toBeGreaterThan(0);
    }
    expect(result.overhead).toBeCloseTo(1 - result.withLayers / result.withoutLayers);
  }, 30_000);
});
