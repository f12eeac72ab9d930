import { annuityInstalment, NOMINAL_ANNUAL_RATE } from '@tandem/platform';

/**
 * The monthly instalment quoted to the partner with an approval: the graph's
 * annuity (packages/platform/src/lending/annuity.ts) at Tandem's nominal rate,
 * for a validated amount and term, rounded to cents.
 */
export function monthlyInstalment(principal: number, termMonths: number, annualRate = NOMINAL_ANNUAL_RATE): number {
  if (!(principal > 0) || !Number.isInteger(termMonths) || termMonths < 1) throw new RangeError('principal must be > 0 and termMonths a positive integer');
  return Math.round(annuityInstalment(principal, termMonths, annualRate) * 100) / 100;
}
