import { describe, expect, it } from 'vitest';
import { driftReport, type ModelReference } from './drift-report.js';
import {
  binIndex,
  cdfAt,
  chiSquare,
  compareBinned,
  ksPValue,
  ksStatistic,
  logGamma,
  mergeBinsForSample,
  populationStabilityIndex,
  psiSeverity,
  referenceCdf,
  upperRegularizedGamma,
} from './drift-statistics.js';

describe('binning', () => {
  it('puts v in bin i when cuts[i−1] < v ≤ cuts[i]', () => {
    expect([0.5, 1, 1.5, 2, 3].map((v) => binIndex([1, 2], v))).toEqual([0, 0, 1, 1, 2]);
  });

  it('merges deciles until each bin expects 5 observations of a small window', () => {
    const deciles = new Array(10).fill(0.1);
    // 20 observations: 2 expected per decile → groups of 3, the short tail joins the last group
    expect(mergeBinsForSample(deciles, 20)).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8, 9],
    ]);
    expect(mergeBinsForSample(deciles, 1000)).toHaveLength(10);
    expect(mergeBinsForSample(deciles, 1)).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]);
    expect(compareBinned([0.25, 0.25, 0.5], [1, 2, 7])).toEqual({ expected: [0.5, 0.5], observed: [3, 7] });
  });
});

describe('population stability index', () => {
  it('matches the hand-computed value', () => {
    // (0.3−0.5)·ln(0.3/0.5) + (0.7−0.5)·ln(0.7/0.5) = 0.102165 + 0.067294
    expect(populationStabilityIndex([0.5, 0.5], [30, 70])).toBeCloseTo(0.169459, 5);
    expect(populationStabilityIndex([0.2, 0.3, 0.5], [20, 30, 50])).toBeCloseTo(0, 12);
  });

  it('stays finite when a window bin is empty (+0.5 per bin)', () => {
    // a = (0.5/11, 10.5/11): (0.04545−0.5)·ln(0.0909) + (0.95455−0.5)·ln(1.90909)
    expect(populationStabilityIndex([0.5, 0.5], [0, 10])).toBeCloseTo(1.383873, 5);
  });

  it('grades 0.1 as WARNING and 0.25 as CRITICAL', () => {
    expect(psiSeverity(0.0999)).toBeNull();
    expect(psiSeverity(0.1)).toBe('WARNING');
    expect(psiSeverity(0.2499)).toBe('WARNING');
    expect(psiSeverity(0.25)).toBe('CRITICAL');
  });
});

describe('Kolmogorov–Smirnov against the reference CDF', () => {
  it('is 0.6 for 0.1…0.4 against the uniform distribution', () => {
    const uniform = referenceCdf({ p0: 0, p100: 1 });
    expect(cdfAt(uniform, 0.25)).toBeCloseTo(0.25, 12);
    expect(ksStatistic([0.1, 0.2, 0.3, 0.4], uniform)).toBeCloseTo(0.6, 12);
  });

  it('compares ties and atoms at their jumps', () => {
    // half the reference mass sits at 0
    const atom = referenceCdf({ p0: 0, p50: 0, p100: 1 });
    expect(cdfAt(atom, 0, true)).toBe(0);
    expect(cdfAt(atom, 0)).toBe(0.5);
    expect(cdfAt(atom, 1, true)).toBe(1);
    // Fₙ(0) = 0.75 against F(0) = 0.5
    expect(ksStatistic([0, 0, 0, 1], atom)).toBeCloseTo(0.25, 12);
  });

  it('uses the histogram cuts as exact CDF knots', () => {
    const ref = referenceCdf({ p0: 0, p100: 10 }, { cuts: [2], proportions: [0.8, 0.2] });
    expect(cdfAt(ref, 2)).toBeCloseTo(0.8, 12);
    expect(cdfAt(ref, 1)).toBeCloseTo(0.4, 12);
  });

  it('gives the Kolmogorov tail probability (λ ≈ 1.36 → 5%)', () => {
    expect(ksPValue(0.0136, 10_000)).toBeCloseTo(0.049, 3);
    expect(ksPValue(0, 50)).toBe(1);
  });
});

describe('chi-square goodness of fit', () => {
  it('matches hand-computed statistics and p-values', () => {
    // (30−50)²/50 + (70−50)²/50 = 16, 1 df: P(χ²₁ > 16) = erfc(√8) = 6.334e−5
    const two = chiSquare([0.5, 0.5], [30, 70]);
    expect(two.statistic).toBeCloseTo(16, 10);
    expect(two.degreesOfFreedom).toBe(1);
    expect(two.pValue).toBeCloseTo(6.3342e-5, 8);
    // (10−20)²/20 + 0 + (30−20)²/20 = 10, 2 df: P = e^−5
    const three = chiSquare([1 / 3, 1 / 3, 1 / 3], [10, 20, 30]);
    expect(three.statistic).toBeCloseTo(10, 10);
    expect(three.pValue).toBeCloseTo(Math.exp(-5), 10);
  });

  it('has a correct Γ underneath', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    // Q(1, x) = e^−x on both sides of the series / continued-fraction switch
    expect(upperRegularizedGamma(1, 0.5)).toBeCloseTo(Math.exp(-0.5), 12);
    expect(upperRegularizedGamma(1, 7)).toBeCloseTo(Math.exp(-7), 12);
  });
});

describe('driftReport', () => {
  const reference: ModelReference = {
    model: 'm',
    version: '1',
    features: {
      x: { quantiles: { p0: 0, p50: 5, p100: 10 }, mean: 5, histogram: { cuts: [5], proportions: [0.5, 0.5] } },
      flag: { quantiles: { p0: 0, p100: 1 }, mean: 0.2, histogram: { cuts: [0, 1], proportions: [0.8, 0.2, 0] } },
      h_A: { quantiles: { p0: 0, p100: 1 }, mean: 0.6, histogram: { cuts: [0, 1], proportions: [0.4, 0.6, 0] } },
      h_B: { quantiles: { p0: 0, p100: 1 }, mean: 0.4, histogram: { cuts: [0, 1], proportions: [0.6, 0.4, 0] } },
    },
    score: { pd: { quantiles: { p0: 0, p100: 1 }, mean: 0.5, histogram: { cuts: [0.5], proportions: [0.5, 0.5] } } },
  };
  const features = [
    { name: 'x', type: 'continuous' },
    { name: 'flag', type: 'binary' },
    { name: 'h_A', type: 'binary', group: 'h' },
    { name: 'h_B', type: 'binary', group: 'h' },
  ];

  it('reports each variable, the one-hot group as one categorical, and the score', () => {
    // 100 rows: x 30 low / 70 high, flag 20% set, h 60/40, pd half and half
    const vectors = Array.from({ length: 100 }, (_, i) => [i < 30 ? 1 : 9, i < 20 ? 1 : 0, i < 60 ? 1 : 0, i < 60 ? 0 : 1]);
    const pds = Array.from({ length: 100 }, (_, i) => (i < 50 ? 0.2 : 0.8));
    const rows = driftReport(features, reference, vectors, pds);
    expect(rows.map((r) => [r.feature, r.kind])).toEqual([
      ['x', 'NUMERIC'],
      ['flag', 'CATEGORICAL'],
      ['h', 'CATEGORICAL'],
      ['score', 'SCORE'],
    ]);
    const byName = Object.fromEntries(rows.map((r) => [r.feature, r]));
    expect(byName.x?.psi).toBeCloseTo(0.169459, 5);
    expect(byName.x?.severity).toBe('WARNING');
    expect(byName.x?.ks).toBeGreaterThan(0);
    expect(byName.flag?.psi).toBeCloseTo(0, 10);
    expect(byName.flag?.chiSquarePValue).toBeCloseTo(1, 10);
    expect(byName.h?.psi).toBeCloseTo(0, 10);
    expect(byName.score?.psi).toBeCloseTo(0, 10);
    expect(byName.score?.severity).toBeNull();
  });
});
