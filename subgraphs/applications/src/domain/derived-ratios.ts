/**
 * Ratios derived at submission and shown to analysts. They use the same
 * definitions as the credit model's features (models/credit-default model
 * card), so what an analyst reads is what the model saw: income is monthly,
 * the instalment is an annuity at a nominal 12% a year.
 */
export const NOMINAL_ANNUAL_RATE = 0.12;

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

/** Annuity instalment A·r / (1 − (1 + r)^−n) with r the monthly rate; straight-line when r = 0. */
export function annuityInstalment(amount: number, termMonths: number, annualRate = NOMINAL_ANNUAL_RATE): number {
  const r = annualRate / 12;
  if (r === 0) return amount / termMonths;
  return (amount * r) / (1 - (1 + r) ** -termMonths);
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
