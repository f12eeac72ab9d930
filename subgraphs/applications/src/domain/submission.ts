import { createHash } from 'node:crypto';
import type { ScoringInput } from '@tandem/platform';

/** A submission as the partner sent it, after GraphQL has parsed scalars. */
export interface Submission {
  externalId: string;
  applicant: {
    firstName: string;
    lastName: string;
    email?: string | null;
    phone?: string | null;
    nationalId?: string | null;
    dateOfBirth: Date;
    maritalStatus?: string | null;
    dependents?: number | null;
    housing?: string | null;
    employment?: { type: string; yearsEmployed?: number | null; employer?: string | null } | null;
    address?: string | null;
  };
  financials: {
    monthlyIncome?: number | null;
    monthlyExpenses: number;
    assets?: number | null;
    debt?: number | null;
    existingLoansMonthlyPayment?: number | null;
    pastArrears: boolean;
  };
  loan: { amount: number; termMonths: number; purpose?: string | null; goodsPrice?: number | null; currency?: string | null };
}

export interface FieldProblem {
  field: string;
  problem: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CURRENCY = /^[A-Z]{3}$/;
export const MIN_AGE = 18;
export const MAX_AGE = 100;
export const MAX_TERM_MONTHS = 360;
export const MAX_AMOUNT = 10_000_000;

export function ageInYears(dateOfBirth: Date, at: Date): number {
  let age = at.getUTCFullYear() - dateOfBirth.getUTCFullYear();
  const beforeBirthday =
    at.getUTCMonth() < dateOfBirth.getUTCMonth() ||
    (at.getUTCMonth() === dateOfBirth.getUTCMonth() && at.getUTCDate() < dateOfBirth.getUTCDate());
  if (beforeBirthday) age--;
  return age;
}

/** Business rules GraphQL types cannot express. Every problem is reported, not just the first. */
export function validateSubmission(s: Submission, now: Date): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const need = (cond: boolean, field: string, problem: string) => {
    if (!cond) problems.push({ field, problem });
  };
  need(s.externalId.trim().length > 0 && s.externalId.length <= 128, 'externalId', 'must be 1 to 128 characters');
  need(s.applicant.firstName.trim().length > 0, 'applicant.firstName', 'is required');
  need(s.applicant.lastName.trim().length > 0, 'applicant.lastName', 'is required');
  if (s.applicant.email != null) need(EMAIL.test(s.applicant.email), 'applicant.email', 'is not an email address');
  const age = ageInYears(s.applicant.dateOfBirth, now);
  need(age >= MIN_AGE && age <= MAX_AGE, 'applicant.dateOfBirth', `applicant must be ${MIN_AGE} to ${MAX_AGE} years old`);
  if (s.applicant.dependents != null) need(Number.isInteger(s.applicant.dependents) && s.applicant.dependents >= 0 && s.applicant.dependents <= 20, 'applicant.dependents', 'must be 0 to 20');
  const y = s.applicant.employment?.yearsEmployed;
  if (y != null) need(y >= 0 && y <= 70, 'applicant.employment.yearsEmployed', 'must be 0 to 70');
  const f = s.financials;
  need(f.monthlyExpenses >= 0, 'financials.monthlyExpenses', 'must not be negative');
  for (const k of ['monthlyIncome', 'assets', 'debt', 'existingLoansMonthlyPayment'] as const) {
    const v = f[k];
    if (v != null) need(v >= 0, `financials.${k}`, 'must not be negative');
  }
  need(s.loan.amount > 0 && s.loan.amount <= MAX_AMOUNT, 'loan.amount', `must be above 0 and at most ${MAX_AMOUNT}`);
  need(Number.isInteger(s.loan.termMonths) && s.loan.termMonths >= 1 && s.loan.termMonths <= MAX_TERM_MONTHS, 'loan.termMonths', `must be 1 to ${MAX_TERM_MONTHS}`);
  if (s.loan.goodsPrice != null) need(s.loan.goodsPrice > 0, 'loan.goodsPrice', 'must be above 0');
  if (s.loan.currency != null) need(CURRENCY.test(s.loan.currency), 'loan.currency', 'must be an ISO 4217 code like EUR');
  return problems;
}

/** The model's view of a submission: no names, contacts or identifiers. */
export function toScoringInput(s: Submission, now: Date): ScoringInput {
  return {
    monthlyIncome: s.financials.monthlyIncome ?? null,
    monthlyExpenses: s.financials.monthlyExpenses,
    assets: s.financials.assets ?? null,
    debt: s.financials.debt ?? null,
    existingLoansMonthlyPayment: s.financials.existingLoansMonthlyPayment ?? null,
    pastArrears: s.financials.pastArrears,
    housing: s.applicant.housing ?? null,
    employmentType: s.applicant.employment?.type ?? null,
    yearsEmployed: s.applicant.employment?.yearsEmployed ?? null,
    loanAmount: s.loan.amount,
    termMonths: s.loan.termMonths,
    purpose: s.loan.purpose ?? 'CONSUMER_GOODS',
    goodsPrice: s.loan.goodsPrice ?? null,
    ageYears: ageInYears(s.applicant.dateOfBirth, now),
    maritalStatus: s.applicant.maritalStatus ?? null,
  };
}

/**
 * Fingerprint of a submission's content: a retry with the same externalId and
 * the same content is the same application; different content is a conflict.
 */
export function submissionFingerprint(s: Submission): string {
  const canonical = JSON.stringify(s, (_k, v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v === undefined ? null : v), 0);
  return createHash('sha256').update(canonicalize(JSON.parse(canonical))).digest('hex');
}

function canonicalize(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonicalize).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== null)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalize(o[k])}`)
    .join(',')}}`;
}
