import { describe, expect, it } from 'vitest';
import { deriveRatios } from './derived-ratios.js';

describe('deriveRatios', () => {
  it('relates debt, loan and payments to monthly income', () => {
    const r = deriveRatios({ monthlyIncome: 2000, debt: 500, existingLoansMonthlyPayment: 100, loanAmount: 10_000, termMonths: 36 });
    expect(r.monthlyInstalment).toBe(332.14);
    expect(r.debtToIncome).toBe(0.25);
    expect(r.loanToIncome).toBe(5);
    expect(r.paymentToIncome).toBeCloseTo((332.143 + 100) / 2000, 4);
  });
  it('gives no income ratios when income is missing or zero, but still an instalment', () => {
    for (const monthlyIncome of [null, 0]) {
      const r = deriveRatios({ monthlyIncome, debt: 10, existingLoansMonthlyPayment: null, loanAmount: 1000, termMonths: 12 });
      expect(r.debtToIncome).toBeNull();
      expect(r.loanToIncome).toBeNull();
      expect(r.paymentToIncome).toBeNull();
      expect(r.monthlyInstalment).toBeGreaterThan(83);
    }
  });
});
