import { annuityInstalment } from '@tandem/platform';

/**
 * Ratios derived at submission and shown to analysts. They use the same
 * definitions as the credit model's features (models/credit-default model
 * card), so what an analyst reads is what the model saw: income is monthly,
 * the instalment is the graph's annuity at the nominal 12% a year.
 */
export interface RatioInputs {
  monthlyIncome: number | null;
  debt: number | null;
  existingLoansMonthlyPayment: number | null;
  loanAmount: number;
  termMonths: number;
}

export interface DerivedRatios {
  monthlyInstalment: number;
  /** Outstanding debt over monthly income; null when income is unknown or not positive. */
  debtToIncome: number | null;
  /** Requested amount over monthly income. */
  loanToIncome: number | null;
  /** New instalment plus existing loan payments over monthly income. */
  paymentToIncome: number | null;
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
const round2 = (x: number) => Math.round(x * 100) / 100;

export function deriveRatios(i: RatioInputs): DerivedRatios {
  const instalment = annuityInstalment(i.loanAmount, i.termMonths);
  const income = i.monthlyIncome !== null && i.monthlyIncome > 0 ? i.monthlyIncome : null;
  return {
    monthlyInstalment: round2(instalment),
    debtToIncome: income === null ? null : round4((i.debt ?? 0) / income),
    loanToIncome: income === null ? null : round4(i.loanAmount / income),
    paymentToIncome: income === null ? null : round4((instalment + (i.existingLoansMonthlyPayment ?? 0)) / income),
  };
}
