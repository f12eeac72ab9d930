import { readFileSync } from 'node:fs';
import { annuityInstalment } from '@tandem/platform';
import { describe, expect, it } from 'vitest';
import { extractFeatures, type ModelCard, type ScoringInput, SUPPORTED_FEATURES } from './features.js';

const card = JSON.parse(
  readFileSync(new URL('../../../../models/credit-default/0.1.0/model-card.json', import.meta.url), 'utf8'),
) as ModelCard;

const names = card.features.map((f) => f.name);
const at = (name: string) => names.indexOf(name);
function spec(name: string) {
  const found = card.features.find((f) => f.name === name);
  if (!found) throw new Error(`card has no feature ${name}`);
  return found;
}
function clipOf(name: string) {
  const clip = spec(name).clip;
  if (!clip) throw new Error(`feature ${name} is not clipped`);
  return clip;
}

const base: ScoringInput = {
  monthlyIncome: 200,
  monthlyExpenses: 50,
  assets: 2000,
  debt: 500,
  pastArrears: false,
  amount: 1000,
  termMonths: 36,
  goodsPrice: 1250,
  housing: 'RENT',
  employmentType: 'FREELANCE',
  yearsEmployed: 4,
};

describe('extractFeatures', () => {
  it('computes the documented raw formulas from Tandem input fields', () => {
    const { values } = extractFeatures(base, card);
    expect(values.debt_to_income).toBe(2.5);
    expect(values.loan_to_income).toBe(5);
    expect(values.payment_to_income).toBeCloseTo(annuityInstalment(1000, 36, 0.12) / 200, 12);
    expect(values.expense_ratio).toBe(0.25);
    expect(values.loan_to_price).toBe(0.8);
    expect(values.employment_stability).toBe(4 * card.constants.employmentMultipliers.FREELANCE);
    expect(values.savings_ratio).toBe(2);
    expect(values.past_arrears).toBe(0);
    expect(values.term_months).toBe(36);
    expect(values.income_missing).toBe(0);
    expect(values.housing_RENT).toBe(1);
    expect(values.housing_OWNER).toBe(0);
    expect(values.employment_FREELANCE).toBe(1);
    expect(values.employment_FIXED).toBe(0);
  });

  it('applies log1p to the long-tailed ratios and leaves the others as they are', () => {
    const { modelInput } = extractFeatures(base, card);
    expect(modelInput[at('debt_to_income')]).toBeCloseTo(Math.log1p(2.5), 12);
    expect(modelInput[at('savings_ratio')]).toBeCloseTo(Math.log1p(2), 12);
    expect(modelInput[at('employment_stability')]).toBeCloseTo(Math.log1p(3), 12);
    expect(modelInput[at('loan_to_income')]).toBe(5);
    expect(modelInput[at('term_months')]).toBe(36);
  });

  it('returns a float32 vector in card order that is the rounded float64 model input', () => {
    const { vector, modelInput } = extractFeatures(base, card);
    expect(vector).toBeInstanceOf(Float32Array);
    expect(vector.length).toBe(card.features.length);
    expect(Array.from(vector)).toEqual(modelInput.map(Math.fround));
  });

  it('imputes income-based ratios with the training median and raises the missing-income flag', () => {
    const { values, modelInput } = extractFeatures({ ...base, monthlyIncome: null }, card);
    for (const name of ['debt_to_income', 'loan_to_income', 'payment_to_income', 'expense_ratio']) {
      expect(values[name]).toBeNull();
      const f = spec(name);
      const clip = clipOf(name);
      const imputed = Math.min(Math.max(f.imputationValue ?? Number.NaN, clip.min), clip.max);
      expect(modelInput[at(name)]).toBeCloseTo(f.transform === 'log1p' ? Math.log1p(imputed) : imputed, 12);
    }
    expect(values.income_missing).toBe(1);
    expect(values.loan_to_price).toBe(0.8); // not income-based: untouched
  });

  it('treats a zero or negative income as missing rather than dividing by it', () => {
    for (const income of [0, -10, Number.NaN]) {
      const { values, modelInput } = extractFeatures({ ...base, monthlyIncome: income }, card);
      expect(values.debt_to_income).toBeNull();
      expect(values.income_missing).toBe(1);
      expect(modelInput.every(Number.isFinite)).toBe(true);
    }
  });

  it('imputes a missing goods price, assets, debt or tenure', () => {
    const { values, modelInput } = extractFeatures(
      { ...base, goodsPrice: null, assets: null, debt: null, yearsEmployed: null },
      card,
    );
    expect(values.loan_to_price).toBeNull();
    expect(values.savings_ratio).toBeNull();
    expect(values.debt_to_income).toBeNull();
    expect(values.employment_stability).toBeNull();
    expect(modelInput[at('loan_to_price')]).toBe(spec('loan_to_price').imputationValue);
    expect(values.income_missing).toBe(0);
  });

  it('clips extreme ratios to the training range', () => {
    const { values, modelInput } = extractFeatures({ ...base, monthlyIncome: 1, amount: 5000 }, card);
    expect(values.loan_to_income).toBe(5000);
    expect(modelInput[at('loan_to_income')]).toBe(clipOf('loan_to_income').max);
    const tiny = extractFeatures({ ...base, termMonths: 3 }, card);
    expect(tiny.modelInput[at('term_months')]).toBe(clipOf('term_months').min);
  });

  it('counts an unknown housing or employment value as OTHER, as training did', () => {
    const odd = { ...base, housing: 'CASTLE', employmentType: 'ASTRONAUT' } as unknown as ScoringInput;
    const { values } = extractFeatures(odd, card);
    expect(values.housing_OTHER).toBe(1);
    expect(values.employment_OTHER).toBe(1);
    expect(values.employment_stability).toBe(4 * card.constants.employmentMultipliers.OTHER);
  });

  it('rejects a card feature it has no formula for', () => {
    const future = { ...card, features: [...card.features, { ...spec('term_months'), name: 'age_years' }] };
    expect(() => extractFeatures(base, future)).toThrow(/no formula for feature "age_years"/);
  });

  it('rejects a missing value when the card gives no imputation value', () => {
    const strict = {
      ...card,
      features: card.features.map((f) => (f.name === 'loan_to_price' ? { ...f, imputationValue: null } : f)),
    };
    expect(() => extractFeatures({ ...base, goodsPrice: null }, strict)).toThrow(/loan_to_price/);
  });

  it('knows every feature of the shipped card and never uses protected attributes', () => {
    expect(names.filter((n) => !SUPPORTED_FEATURES.includes(n))).toEqual([]);
    expect(names.some((n) => /age|marital|birth/i.test(n))).toBe(false);
  });
});
