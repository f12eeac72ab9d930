import type { ScoringInput as SubmittedScoringInput } from '@tandem/platform';
import { EMPLOYMENT_TYPES, type EmploymentType, HOUSING_TYPES, type Housing, type ScoringInput } from './features.js';

/**
 * The catalogue's ScoringInput (what applications publishes) → the model's
 * ScoringInput. Protected attributes (ageYears, maritalStatus) and fields the
 * model does not use (purpose, existing loan payments) are dropped here, so they
 * can never reach a feature. A missing or unknown housing / employment type is
 * OTHER, exactly as in training.
 */
export function toModelScoringInput(submitted: SubmittedScoringInput): ScoringInput {
  return {
    monthlyIncome: submitted.monthlyIncome,
    monthlyExpenses: submitted.monthlyExpenses,
    assets: submitted.assets,
    debt: submitted.debt,
    pastArrears: submitted.pastArrears,
    amount: submitted.loanAmount,
    termMonths: submitted.termMonths,
    goodsPrice: submitted.goodsPrice,
    housing: oneOf(HOUSING_TYPES, submitted.housing) ?? 'OTHER',
    employmentType: oneOf(EMPLOYMENT_TYPES, submitted.employmentType) ?? 'OTHER',
    yearsEmployed: submitted.yearsEmployed,
  };
}

function oneOf<T extends Housing | EmploymentType>(allowed: readonly T[], value: string | null): T | null {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}
