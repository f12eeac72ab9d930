/**
 * The graph's one annuity formula. Applications derives the instalment an
 * analyst reads with it, scoring the model's payment-to-income feature (at the
 * model card's rate), decisions the instalment quoted with an approval: the
 * same arithmetic everywhere, so the three can never disagree.
 *
 * Tandem quotes at one nominal rate (12% a year, compounded monthly): the
 * partner prices the loan; this figure shows what an amount and a term mean
 * for the repayment.
 */
export const NOMINAL_ANNUAL_RATE = 0.12;

/** A·r / (1 − (1 + r)^−n) with r the monthly rate; straight-line when r = 0. Not rounded. */
export function annuityInstalment(amount: number, termMonths: number, annualRate = NOMINAL_ANNUAL_RATE): number {
  const r = annualRate / 12;
  if (r === 0) return amount / termMonths;
  return (amount * r) / (1 - (1 + r) ** -termMonths);
}
