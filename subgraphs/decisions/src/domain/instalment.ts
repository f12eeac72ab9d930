/**
 * The monthly instalment of an annuity loan, as quoted to the partner with an
 * approval. Tandem quotes at one nominal rate (12% a year, compounded
 * monthly): the partner prices the loan, this figure only shows the analyst
 * and the partner what a reduced amount or term does to the repayment.
 */
export const NOMINAL_ANNUAL_RATE = 0.12;

/** Rounded to cents; `principal` in currency units, `termMonths` ≥ 1. */
export function monthlyInstalment(principal: number, termMonths: number, annualRate = NOMINAL_ANNUAL_RATE): number {
  if (!(principal > 0) || !Number.isInteger(termMonths) || termMonths < 1) throw new RangeError('principal must be > 0 and termMonths a positive integer');
  const r = annualRate / 12;
  const payment = r === 0 ? principal / termMonths : (principal * r) / (1 - (1 + r) ** -termMonths);
  return Math.round(payment * 100) / 100;
}
