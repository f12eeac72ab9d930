import type { ScoringInput as SubmittedScoringInput } from '@tandem/platform';
import { describe, expect, it } from 'vitest';
import { toModelScoringInput } from './scoring-input.js';

const submitted: SubmittedScoringInput = {
  monthlyIncome: 2500,
  monthlyExpenses: 900,
  assets: null,
  debt: 1000,
  existingLoansMonthlyPayment: 120,
  pastArrears: true,
  housing: 'RENT',
  employmentType: 'FREELANCE',
  yearsEmployed: 4,
  loanAmount: 12_000,
  termMonths: 36,
  purpose: 'CAR',
  goodsPrice: 15_000,
  ageYears: 36,
  maritalStatus: 'MARRIED',
};

describe('toModelScoringInput', () => {
  it('renames the loan amount and keeps the financials as given, nulls included', () => {
    expect(toModelScoringInput(submitted)).toEqual({
      monthlyIncome: 2500,
      monthlyExpenses: 900,
      assets: null,
      debt: 1000,
      pastArrears: true,
      amount: 12_000,
      termMonths: 36,
      goodsPrice: 15_000,
      housing: 'RENT',
      employmentType: 'FREELANCE',
      yearsEmployed: 4,
    });
  });
  it('never passes protected attributes or unused fields to the model', () => {
    const mapped = toModelScoringInput(submitted) as unknown as Record<string, unknown>;
    for (const dropped of ['ageYears', 'maritalStatus', 'purpose', 'existingLoansMonthlyPayment', 'loanAmount']) {
      expect(mapped).not.toHaveProperty(dropped);
    }
  });
  it('treats a missing or unknown housing or employment type as OTHER, as training did', () => {
    expect(toModelScoringInput({ ...submitted, housing: null, employmentType: null })).toMatchObject({ housing: 'OTHER', employmentType: 'OTHER' });
    expect(toModelScoringInput({ ...submitted, housing: 'CASTLE', employmentType: 'rent' })).toMatchObject({ housing: 'OTHER', employmentType: 'OTHER' });
  });
});
