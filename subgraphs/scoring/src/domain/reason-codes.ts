/**
 * Stable adverse-action reason codes. Codes are persisted with decisions and
 * quoted in decline notices: never renumber or reuse one; add new codes at the
 * end and retire old ones by leaving them in place.
 */

export const REASON_CODES = {
  R01_HIGH_DEBT_TO_INCOME: 'Outstanding debt is too high relative to income',
  R02_HIGH_LOAN_TO_INCOME: 'Amount requested is too high relative to income',
  R03_HIGH_PAYMENT_TO_INCOME: 'Monthly repayment would be too high relative to income',
  R04_HIGH_EXPENSES_TO_INCOME: 'Regular expenses are too high relative to income',
  R05_LOW_DOWN_PAYMENT: 'Loan would finance too large a share of the purchase price',
  R06_LIMITED_EMPLOYMENT_HISTORY: 'Insufficient time in current employment',
  R07_INSUFFICIENT_ASSETS: 'Insufficient assets relative to the amount requested',
  R08_PAST_ARREARS: 'Past arrears on record',
  R09_LONG_TERM: 'Requested repayment term is too long',
  R10_INCOME_NOT_STATED: 'Income was not stated',
  R11_HOUSING_SITUATION: 'Housing situation',
  R12_EMPLOYMENT_TYPE: 'Type of employment',
} as const;

export type ReasonCode = keyof typeof REASON_CODES;

/**
 * Which code a model feature (or one-hot group) is reported under. One-hot
 * groups are keyed by group name: the housing dummies together make one reason.
 */
export const FEATURE_REASON_CODES: Readonly<Record<string, ReasonCode>> = {
  debt_to_income: 'R01_HIGH_DEBT_TO_INCOME',
  loan_to_income: 'R02_HIGH_LOAN_TO_INCOME',
  payment_to_income: 'R03_HIGH_PAYMENT_TO_INCOME',
  expense_ratio: 'R04_HIGH_EXPENSES_TO_INCOME',
  loan_to_price: 'R05_LOW_DOWN_PAYMENT',
  employment_stability: 'R06_LIMITED_EMPLOYMENT_HISTORY',
  savings_ratio: 'R07_INSUFFICIENT_ASSETS',
  past_arrears: 'R08_PAST_ARREARS',
  term_months: 'R09_LONG_TERM',
  income_missing: 'R10_INCOME_NOT_STATED',
  housing: 'R11_HOUSING_SITUATION',
  employment_type: 'R12_EMPLOYMENT_TYPE',
};

/** Reason code for a feature, looked up by its group when it has one. */
export function reasonCodeFor(feature: { name: string; group: string | null }): ReasonCode | undefined {
  return FEATURE_REASON_CODES[feature.group ?? feature.name];
}
