import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explain, reasonCodes, topFactors } from './explanation.js';
import { extractFeatures, type ModelCard, type ModelFeature, type ScoringInput } from './features.js';
import { FEATURE_REASON_CODES, REASON_CODES } from './reason-codes.js';

const card = JSON.parse(
  readFileSync(new URL('../../../../models/credit-default/0.1.0/model-card.json', import.meta.url), 'utf8'),
) as ModelCard;

function feature(
  name: string,
  mean: number,
  std: number,
  coefficient: number,
  group: string | null = null,
): ModelFeature {
  return {
    name,
    label: name,
    description: name,
    formula: name,
    type: 'continuous',
    inputs: [],
    transform: 'none',
    group,
    missing: '',
    imputationValue: null,
    clip: null,
    mean,
    std,
    coefficient,
    trainingMissingRate: 0,
  };
}

/** Three-feature card with round numbers, so expected contributions can be worked out by hand. */
const tiny = {
  ...card,
  intercept: -1,
  features: [
    feature('debt_to_income', 1, 2, 0.5),
    feature('past_arrears', 0.2, 0.4, 0.8),
    feature('savings_ratio', 3, 1, -0.6),
  ],
} satisfies ModelCard;

const risky: ScoringInput = {
  monthlyIncome: 100,
  monthlyExpenses: 90,
  assets: 0,
  debt: 3000,
  pastArrears: true,
  amount: 3000,
  termMonths: 60,
  goodsPrice: 3000,
  housing: 'RENT',
  employmentType: 'PART_TIME',
  yearsEmployed: 0,
};
const solid: ScoringInput = {
  monthlyIncome: 300,
  monthlyExpenses: 45,
  assets: 20000,
  debt: 0,
  pastArrears: false,
  amount: 600,
  termMonths: 24,
  goodsPrice: 1500,
  housing: 'OWNER',
  employmentType: 'FIXED',
  yearsEmployed: 15,
};

describe('explain', () => {
  it('gives coefficient · (x − mean) / std per feature, summing with the intercept to the logit', () => {
    const e = explain([2, 1, 5], tiny);
    const expected = [0.25, 1.6, -1.2]; // (2−1)/2·0.5, (1−0.2)/0.4·0.8, (5−3)/1·−0.6
    for (const [i, c] of e.contributions.entries()) expect(c.contribution).toBeCloseTo(expected[i] as number, 12);
    expect(e.baseValue).toBe(-1);
    expect(e.logit).toBeCloseTo(-0.35, 12);
    expect(e.pd).toBeCloseTo(1 / (1 + Math.exp(0.35)), 12);
  });

  it('gives zero contributions for the training-mean applicant, whose logit is the base value', () => {
    const e = explain(
      card.features.map((f) => f.mean),
      card,
    );
    expect(e.contributions.every((c) => Math.abs(c.contribution) < 1e-12)).toBe(true);
    expect(e.logit).toBeCloseTo(card.intercept, 12);
  });

  it('refuses a vector of the wrong length', () => {
    expect(() => explain([1, 2], tiny)).toThrow(RangeError);
  });
});

describe('topFactors', () => {
  const { modelInput, values } = extractFeatures(risky, card);
  const e = explain(modelInput, card);
  const top = topFactors(e, card, values);

  it('returns at most five each way, strongest first, with the right signs', () => {
    expect(top.raisingRisk.length).toBeGreaterThan(0);
    expect(top.raisingRisk.length).toBeLessThanOrEqual(5);
    expect(top.loweringRisk.length).toBeLessThanOrEqual(5);
    expect(top.raisingRisk.every((f) => f.impact > 0)).toBe(true);
    expect(top.loweringRisk.every((f) => f.impact < 0)).toBe(true);
    const impacts = top.raisingRisk.map((f) => f.impact);
    expect(impacts).toEqual([...impacts].sort((a, b) => b - a));
  });

  it('reports a one-hot input as one factor whose impact is the sum of its dummies', () => {
    const all = topFactors(e, card, values, 100);
    const factors = [...all.raisingRisk, ...all.loweringRisk];
    expect(factors.filter((f) => f.feature.startsWith('housing_'))).toEqual([]);
    const housing = factors.find((f) => f.feature === 'housing');
    const dummies = e.contributions.filter((c) => c.feature.startsWith('housing_'));
    expect(housing?.impact).toBeCloseTo(
      dummies.reduce((s, c) => s + c.contribution, 0),
      12,
    );
    expect(housing?.value).toBe('Housing: renting');
  });

  it('describes values in words a person can read', () => {
    const all = topFactors(e, card, values, 100);
    const byName = new Map([...all.raisingRisk, ...all.loweringRisk].map((f) => [f.feature, f]));
    expect(byName.get('debt_to_income')?.value).toBe('Debt-to-income ratio 3000%');
    expect(byName.get('past_arrears')?.value).toBe('Past arrears on record');
    expect(byName.get('employment_type')?.value).toBe('Employment: part-time');
    expect(byName.get('debt_to_income')?.description).toBe('Outstanding debt relative to monthly income');
  });

  it('says when a value was imputed instead of printing the imputed number', () => {
    const missing = extractFeatures({ ...risky, monthlyIncome: null }, card);
    const all = topFactors(explain(missing.modelInput, card), card, missing.values, 100);
    const dti = [...all.raisingRisk, ...all.loweringRisk].find((f) => f.feature === 'debt_to_income');
    expect(dti?.value).toBe('Debt-to-income ratio not available (typical value assumed)');
  });
});

describe('reasonCodes', () => {
  it('gives 1–4 known codes for a risky applicant, strongest first, all risk-raising', () => {
    const { modelInput, values } = extractFeatures(risky, card);
    const reasons = reasonCodes(explain(modelInput, card), card, values);
    expect(reasons.length).toBeGreaterThanOrEqual(1);
    expect(reasons.length).toBeLessThanOrEqual(4);
    expect(reasons.every((r) => r.impact > 0 && r.description === REASON_CODES[r.code])).toBe(true);
    expect(reasons.map((r) => r.impact)).toEqual(reasons.map((r) => r.impact).sort((a, b) => b - a));
    expect(reasons.map((r) => r.code)).toContain('R08_PAST_ARREARS');
  });

  it('never cites a feature that was imputed, and cites the missing income itself', () => {
    const { modelInput, values } = extractFeatures({ ...risky, monthlyIncome: null }, card);
    const reasons = reasonCodes(explain(modelInput, card), card, values, { max: 12 });
    const codes = reasons.map((r) => r.code);
    for (const imputed of [
      'R01_HIGH_DEBT_TO_INCOME',
      'R02_HIGH_LOAN_TO_INCOME',
      'R03_HIGH_PAYMENT_TO_INCOME',
      'R04_HIGH_EXPENSES_TO_INCOME',
    ]) {
      expect(codes).not.toContain(imputed);
    }
    expect(codes).toContain('R10_INCOME_NOT_STATED');
  });

  it('returns no reasons when nothing raised the risk', () => {
    const e = explain([0, 0, 10], tiny); // every contribution ≤ 0
    expect(reasonCodes(e, tiny, { debt_to_income: 0, past_arrears: 0, savings_ratio: 10 })).toEqual([]);
  });

  it('respects max and minImpact', () => {
    const { modelInput, values } = extractFeatures(risky, card);
    const e = explain(modelInput, card);
    expect(reasonCodes(e, card, values, { max: 2 })).toHaveLength(2);
    const [strongest] = reasonCodes(e, card, values, { max: 1 });
    expect(reasonCodes(e, card, values, { minImpact: strongest?.impact ?? 0 })).toEqual([]);
    expect(strongest?.impact).toBeGreaterThan(0);
  });

  it('gives a solid applicant fewer and weaker reasons than a risky one', () => {
    const s = extractFeatures(solid, card);
    const r = extractFeatures(risky, card);
    const total = (x: typeof s) =>
      reasonCodes(explain(x.modelInput, card), card, x.values, { max: 12 }).reduce((t, q) => t + q.impact, 0);
    expect(total(s)).toBeLessThan(total(r));
  });

  it('has a reason code for every feature of the shipped card', () => {
    const missing = card.features.filter((f) => !FEATURE_REASON_CODES[f.group ?? f.name]).map((f) => f.name);
    expect(missing).toEqual([]);
  });

  it('keeps the reason-code list stable (codes are persisted and quoted in notices)', () => {
    expect(Object.keys(REASON_CODES)).toEqual([
      'R01_HIGH_DEBT_TO_INCOME',
      'R02_HIGH_LOAN_TO_INCOME',
      'R03_HIGH_PAYMENT_TO_INCOME',
      'R04_HIGH_EXPENSES_TO_INCOME',
      'R05_LOW_DOWN_PAYMENT',
      'R06_LIMITED_EMPLOYMENT_HISTORY',
      'R07_INSUFFICIENT_ASSETS',
      'R08_PAST_ARREARS',
      'R09_LONG_TERM',
      'R10_INCOME_NOT_STATED',
      'R11_HOUSING_SITUATION',
      'R12_EMPLOYMENT_TYPE',
    ]);
  });
});
