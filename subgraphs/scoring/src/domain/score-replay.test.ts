import { describe, expect, it } from 'vitest';
import { CONTRIBUTION_TOLERANCE, compareReplay, PD_TOLERANCE, sameFeatures } from './score-replay.js';

const stored = { probabilityOfDefault: 0.125, baseValue: -1.5, contributions: [0.25, -0.5, 0] };

describe('compareReplay', () => {
  it('matches an identical replay with zero differences', () => {
    expect(compareReplay(stored, { ...stored, contributions: [...stored.contributions] })).toEqual({
      probabilityOfDefaultDifference: 0,
      baseValueDifference: 0,
      maxContributionDifference: 0,
      matches: true,
    });
  });

  it('tolerates differences within the tolerances and no more', () => {
    const near = compareReplay(stored, {
      probabilityOfDefault: 0.125 + PD_TOLERANCE / 2,
      baseValue: -1.5 + CONTRIBUTION_TOLERANCE / 2,
      contributions: [0.25 - CONTRIBUTION_TOLERANCE / 2, -0.5, 0],
    });
    expect(near.matches).toBe(true);
    expect(near.maxContributionDifference).toBeCloseTo(CONTRIBUTION_TOLERANCE / 2, 15);
    expect(compareReplay(stored, { ...stored, probabilityOfDefault: 0.125 + 1e-8 }).matches).toBe(false);
    expect(compareReplay(stored, { ...stored, baseValue: -1.5 + 1e-5 }).matches).toBe(false);
    const off = compareReplay(stored, { ...stored, contributions: [0.25, -0.5, 2e-6] });
    expect(off.matches).toBe(false);
    expect(off.maxContributionDifference).toBeCloseTo(2e-6, 15);
  });

  it('treats contributions of another length, and NaN, as mismatches', () => {
    const shorter = compareReplay(stored, { ...stored, contributions: [0.25, -0.5] });
    expect(shorter.maxContributionDifference).toBe(Number.POSITIVE_INFINITY);
    expect(shorter.matches).toBe(false);
    expect(compareReplay(stored, { ...stored, probabilityOfDefault: Number.NaN }).matches).toBe(false);
  });

  it('compares the PD alone when the score was stored without its explanation', () => {
    const legacy = { probabilityOfDefault: 0.125, baseValue: null, contributions: null };
    const result = compareReplay(legacy, stored);
    expect(result).toEqual({ probabilityOfDefaultDifference: 0, baseValueDifference: null, maxContributionDifference: null, matches: true });
    expect(compareReplay({ ...legacy, probabilityOfDefault: 0.2 }, stored).matches).toBe(false);
  });
});

describe('sameFeatures', () => {
  it('is true only for the same vector', () => {
    expect(sameFeatures([1, 2.5, 0], [1, 2.5, 0])).toBe(true);
    expect(sameFeatures([1, 2.5, 0], [1, 2.5 + 1e-6, 0])).toBe(false);
    expect(sameFeatures([1, 2.5], [1, 2.5, 0])).toBe(false);
  });
});
