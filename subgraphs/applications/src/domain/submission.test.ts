import { describe, expect, it } from 'vitest';
import { ageInYears, submissionFingerprint, toScoringInput, validateSubmission, type Submission } from './submission.js';

const now = new Date('2026-11-22T12:00:00Z');
const valid = (): Submission => ({
  externalId: 'broker-1',
  applicant: { firstName: 'Ana', lastName: 'Ruiz', email: 'ana@example.com', dateOfBirth: new Date('1990-05-01'), housing: 'RENT', employment: { type: 'FIXED', yearsEmployed: 4 } },
  financials: { monthlyIncome: 2500, monthlyExpenses: 900, assets: null, debt: 1000, pastArrears: false },
  loan: { amount: 12_000, termMonths: 36, purpose: 'CAR', currency: 'EUR' },
});

describe('validateSubmission', () => {
  it('accepts a complete, plausible application', () => {
    expect(validateSubmission(valid(), now)).toEqual([]);
  });
  it('reports every problem with its field', () => {
    const s = valid();
    s.applicant.dateOfBirth = new Date('2015-01-01');
    s.loan.termMonths = 0;
    s.financials.monthlyExpenses = -1;
    s.applicant.email = 'not-an-email';
    const fields = validateSubmission(s, now).map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['applicant.dateOfBirth', 'loan.termMonths', 'financials.monthlyExpenses', 'applicant.email']));
  });
});

describe('ageInYears', () => {
  it('counts a birthday not yet reached this year', () => {
    expect(ageInYears(new Date('2000-12-01'), now)).toBe(25);
    expect(ageInYears(new Date('2000-11-22'), now)).toBe(26);
  });
});

describe('toScoringInput', () => {
  it('keeps no names or contacts and fills the default purpose', () => {
    const s = valid();
    s.loan.purpose = null;
    const input = toScoringInput(s, now);
    expect(JSON.stringify(input)).not.toContain('Ruiz');
    expect(input.purpose).toBe('CONSUMER_GOODS');
    expect(input.ageYears).toBe(36);
  });
});

describe('submissionFingerprint', () => {
  it('is stable under key order and missing-vs-null, and changes with content', () => {
    const a = valid();
    const b = { ...valid(), loan: { currency: 'EUR', purpose: 'CAR', termMonths: 36, amount: 12_000, goodsPrice: null } };
    expect(submissionFingerprint(a)).toBe(submissionFingerprint(b));
    const c = valid();
    c.loan.amount = 12_001;
    expect(submissionFingerprint(c)).not.toBe(submissionFingerprint(a));
  });
});
