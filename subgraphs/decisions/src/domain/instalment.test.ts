import { describe, expect, it } from 'vitest';
import { monthlyInstalment } from './instalment.js';

describe('monthlyInstalment', () => {
  it('is the 12% nominal annuity payment, in cents', () => {
    // 10,000 over 36 months at 1% a month: 332.14 (standard annuity table)
    expect(monthlyInstalment(10_000, 36)).toBe(332.14);
    expect(monthlyInstalment(8_000, 36)).toBe(265.71);
    expect(monthlyInstalment(10_000, 24)).toBe(470.73);
    expect(monthlyInstalment(1_200, 12, 0)).toBe(100);
  });
  it('refuses nonsense rather than quoting it', () => {
    expect(() => monthlyInstalment(0, 12)).toThrow(RangeError);
    expect(() => monthlyInstalment(1_000, 0)).toThrow(RangeError);
    expect(() => monthlyInstalment(1_000, 1.5)).toThrow(RangeError);
  });
});
