import { describe, expect, it } from 'vitest';
import { annuityInstalment, NOMINAL_ANNUAL_RATE } from './annuity.js';

describe('annuityInstalment', () => {
  it('matches the textbook annuity: 10,000 over 36 months at 12% nominal', () => {
    // r = 1%; 10000 * 0.01 / (1 - 1.01^-36) = 332.1430...
    expect(NOMINAL_ANNUAL_RATE).toBe(0.12);
    expect(annuityInstalment(10_000, 36)).toBeCloseTo(332.143, 3);
    expect(annuityInstalment(1000, 12, 0.12)).toBeCloseTo(88.8487886783417, 10);
  });
  it('is straight-line at a zero rate instead of dividing by zero', () => {
    expect(annuityInstalment(1200, 12, 0)).toBe(100);
  });
});
