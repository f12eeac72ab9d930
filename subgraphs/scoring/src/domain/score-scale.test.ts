import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ModelCard } from './features.js';
import { DEFAULT_RISK_BANDS, pdToPoints, pdToScore, riskBand, type ScoreScaling } from './score-scale.js';

const scaling: ScoreScaling = { baseScore: 600, baseOdds: 50, pdo: 20 };

describe('pdToPoints', () => {
  it('scores base odds at the base score and adds pdo per doubling of the odds', () => {
    expect(pdToPoints(1 / 51, scaling)).toBeCloseTo(600, 9); // odds 50:1
    expect(pdToPoints(1 / 101, scaling)).toBeCloseTo(620, 9); // odds 100:1
    expect(pdToPoints(1 / 26, scaling)).toBeCloseTo(580, 9); // odds 25:1
    expect(pdToPoints(0.5, scaling)).toBeCloseTo(600 - 20 * Math.log2(50), 9);
  });

  it('falls as PD rises', () => {
    const pds = [0.01, 0.05, 0.1, 0.3, 0.6, 0.95];
    const points = pds.map((pd) => pdToPoints(pd, scaling));
    expect(points).toEqual([...points].sort((a, b) => b - a));
  });

  it('keeps PD 0 and 1 finite and rejects non-probabilities', () => {
    expect(Number.isFinite(pdToPoints(0, scaling))).toBe(true);
    expect(Number.isFinite(pdToPoints(1, scaling))).toBe(true);
    expect(pdToPoints(0, scaling)).toBeGreaterThan(pdToPoints(1e-5, scaling));
    for (const bad of [Number.NaN, -0.1, 1.1]) expect(() => pdToPoints(bad, scaling)).toThrow(RangeError);
  });

  it('rounds to whole points for display', () => {
    expect(pdToScore(1 / 51, scaling)).toBe(600);
    expect(Number.isInteger(pdToScore(0.137, scaling))).toBe(true);
    expect(pdToScore(0.137, scaling)).toBe(Math.round(pdToPoints(0.137, scaling)));
  });
});

describe('riskBand', () => {
  it('puts a PD in the first band it is strictly below', () => {
    expect(riskBand(0)).toBe('A');
    expect(riskBand(0.0499)).toBe('A');
    expect(riskBand(0.05)).toBe('B');
    expect(riskBand(0.15)).toBe('C');
    expect(riskBand(0.3999)).toBe('D');
    expect(riskBand(0.4)).toBe('E');
    expect(riskBand(1)).toBe('E');
  });

  it('accepts custom bands and rejects non-probabilities', () => {
    expect(
      riskBand(0.3, [
        { band: 'A', maxPd: 0.5 },
        { band: 'E', maxPd: 1 },
      ]),
    ).toBe('A');
    expect(() => riskBand(Number.NaN)).toThrow(RangeError);
  });

  it('uses the same cut-offs the model card documents', () => {
    const card = JSON.parse(
      readFileSync(new URL('../../../../models/credit-default/0.1.0/model-card.json', import.meta.url), 'utf8'),
    ) as ModelCard;
    expect(card.riskBands).toEqual(DEFAULT_RISK_BANDS);
    expect(card.scoreScaling).toMatchObject(scaling);
  });
});
