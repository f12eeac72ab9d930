import { describe, expect, it } from 'vitest';
import { ageBand, type FairnessCase, fairnessMetrics } from './fairness.js';
import { auc, brierScore, calibrationByBand, ksSeparation } from './model-performance.js';
import { resolveWindow } from './monitoring-window.js';
import { simulatePolicy } from './policy-simulation.js';
import { nearestNeighbours } from './similar-cases.js';

const fc = (ageYears: number, approved: boolean, extra: Partial<FairnessCase> = {}): FairnessCase => ({
  ageYears,
  maritalStatus: 'SINGLE',
  approved,
  modelApproves: approved,
  defaulted: null,
  ...extra,
});
const times = <T>(n: number, f: () => T) => Array.from({ length: n }, f);

describe('fairness', () => {
  it('bands ages', () => {
    expect([18, 24, 25, 44, 45, 64, 65, Number.NaN].map(ageBand)).toEqual(['18-24', '18-24', '25-34', '35-44', '45-54', '55-64', '65+', 'UNKNOWN']);
  });

  it('computes the four-fifths ratio and parity difference', () => {
    // 18-24: 3 of 10 approved; 35-44: 6 of 10 → ratio 0.5, difference 0.3
    const cases = [...times(3, () => fc(20, true)), ...times(7, () => fc(20, false)), ...times(6, () => fc(40, true)), ...times(4, () => fc(40, false))];
    const m = fairnessMetrics('AGE_BAND', cases);
    expect(m.groups.map((g) => [g.group, g.applications, g.approvalRate])).toEqual([
      ['18-24', 10, 0.3],
      ['35-44', 10, 0.6],
    ]);
    expect(m.approvalRateRatio).toBeCloseTo(0.5, 12);
    expect(m.demographicParityDifference).toBeCloseTo(0.3, 12);
    expect(m.breach).toBe('WARNING');
    expect(m.equalizedOddsDifference).toBeNull();
    // 8 of 10 vs 10 of 10: 0.8 is not below four-fifths
    const fine = fairnessMetrics('AGE_BAND', [...times(8, () => fc(20, true)), ...times(2, () => fc(20, false)), ...times(10, () => fc(40, true))]);
    expect(fine.approvalRateRatio).toBeCloseTo(0.8, 12);
    expect(fine.breach).toBeNull();
  });

  it('computes the equalized-odds difference from outcomes', () => {
    // group A: repaid 4 (model approves 3) → TPR 0.75; defaulted 2 (approves 1) → FPR 0.5
    // group B: repaid 4 (approves 4) → TPR 1; defaulted 2 (approves 0) → FPR 0
    const a = [
      ...times(3, () => fc(30, true, { defaulted: false })),
      fc(30, false, { defaulted: false }),
      fc(30, true, { defaulted: true }),
      fc(30, false, { defaulted: true }),
    ];
    const b = [...times(4, () => fc(50, true, { defaulted: false })), ...times(2, () => fc(50, false, { defaulted: true }))];
    const m = fairnessMetrics('AGE_BAND', [...a, ...b]);
    expect(m.equalizedOddsDifference).toBeCloseTo(0.5, 12);
  });

  it('does not compare groups too small to mean anything', () => {
    const m = fairnessMetrics('MARITAL_STATUS', [...times(10, () => fc(30, true)), fc(30, false, { maritalStatus: 'WIDOWED' })]);
    expect(m.approvalRateRatio).toBeNull();
    expect(m.breach).toBeNull();
  });
});

describe('model performance', () => {
  it('computes AUC by ranks, with ties counting half', () => {
    const cases = [
      { probabilityOfDefault: 0.9, defaulted: true },
      { probabilityOfDefault: 0.5, defaulted: true },
      { probabilityOfDefault: 0.5, defaulted: false },
      { probabilityOfDefault: 0.1, defaulted: false },
    ];
    // pairs (bad, good): (0.9,0.5) 1, (0.9,0.1) 1, (0.5,0.5) ½, (0.5,0.1) 1 → 3.5 / 4
    expect(auc(cases)).toBeCloseTo(0.875, 12);
    expect(auc(cases.slice(0, 2))).toBeNull();
    // F_bad(0.5) = 0.5, F_good(0.5) = 1; F_bad(0.1) = 0, F_good(0.1) = 0.5
    expect(ksSeparation(cases)).toBeCloseTo(0.5, 12);
  });

  it('calibrates by band', () => {
    const cases = [
      { probabilityOfDefault: 0.1, riskBand: 'A', defaulted: false },
      { probabilityOfDefault: 0.3, riskBand: 'A', defaulted: true },
      { probabilityOfDefault: 0.8, riskBand: 'E', defaulted: true },
    ];
    expect(calibrationByBand(cases)).toEqual([
      { riskBand: 'A', loans: 2, defaults: 1, meanPredictedPd: 0.2, observedDefaultRate: 0.5 },
      { riskBand: 'E', loans: 1, defaults: 1, meanPredictedPd: 0.8, observedDefaultRate: 1 },
    ]);
    expect(brierScore(cases)).toBeCloseTo((0.01 + 0.49 + 0.04) / 3, 12);
  });
});

describe('policy simulation', () => {
  const policy = { autoApproveBelow: 0.1, autoDeclineAbove: 0.5, maxAutoAmount: 20_000 };
  it('replays stored scores under a proposed policy', () => {
    const app = (amount: number) => ({ amount, termMonths: 24, purpose: 'CAR' });
    const result = simulatePolicy(
      policy,
      [
        { probabilityOfDefault: 0.05, application: app(1000), actualRoute: 'HUMAN_REVIEW' },
        { probabilityOfDefault: 0.05, application: app(30_000), actualRoute: 'HUMAN_REVIEW' },
        { probabilityOfDefault: 0.7, application: app(1000), actualRoute: 'AUTO_DECLINE' },
        { probabilityOfDefault: 0.3, application: app(1000), actualRoute: 'HUMAN_REVIEW' },
      ],
      2,
    );
    expect(result).toEqual({
      applications: 4,
      autoApproved: 1,
      autoDeclined: 1,
      humanReview: 2,
      autoDecisionRate: 0.5,
      approvalRate: 0.5,
      reviewQueuePerDay: 1,
      routeChanges: 1,
    });
  });
});

describe('nearest neighbours', () => {
  it('ranks by standardised distance', () => {
    // feature 2 is in thousands: unscaled it would decide alone
    const near = nearestNeighbours(
      [0, 1000],
      [
        { item: 'a', vector: [1, 1000] },
        { item: 'b', vector: [0, 3000] },
        { item: 'c', vector: [0, 1100] },
      ],
      2,
    );
    expect(near.map((n) => n.item)).toEqual(['c', 'a']);
  });
});

describe('monitoring window', () => {
  const now = new Date('2026-01-10T00:00:00Z');
  it('resolves last hours and explicit ranges, and refuses nonsense', () => {
    expect(resolveWindow({ lastHours: 24 }, now)).toEqual({ from: new Date('2026-01-09T00:00:00Z'), to: now });
    expect(resolveWindow({ from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-02T00:00:00Z') }, now)).toEqual({
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2026-01-02T00:00:00Z'),
    });
    expect(resolveWindow({ lastHours: 0 }, now)).toMatch(/lastHours/);
    expect(resolveWindow({ lastHours: 2, to: now }, now)).toMatch(/either/);
    expect(resolveWindow({ from: now, to: now }, now)).toMatch(/before/);
  });
});
