import { describe, expect, it } from 'vitest';
import { runScoringBench, SCORING_BATCH_SIZE } from './scoring-bench.js';

describe('scoring bench', () => {
  it('scores and explains with the real model, without errors, and reports per application', async () => {
    const results = await runScoringBench({ seconds: 0.3 });
    expect(results.map((r) => r.name)).toEqual([
      expect.stringMatching(/single score \+ SHAP/),
      expect.stringMatching(/batch .* \+ SHAP/),
      expect.stringMatching(/PD only/),
    ]);
    for (const r of results) {
      expect(r.errors).toBe(0);
      expect(r.requests).toBeGreaterThan(0);
      expect(r.p50).toBeGreaterThan(0);
    }
    expect((results[1]?.requests ?? 0) % SCORING_BATCH_SIZE).toBe(0);
  });
});
