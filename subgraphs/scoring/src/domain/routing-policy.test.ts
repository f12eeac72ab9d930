import { describe, expect, it } from 'vitest';
import type { ModelCard } from './features.js';
import { DEFAULT_MAX_AUTO_AMOUNT, modelCardPolicy, policyInForce, type RoutingPolicyChange, validateRoutingPolicy } from './routing-policy.js';

const at = (iso: string) => new Date(iso);

describe('policyInForce', () => {
  const versions = [
    { version: 1, effectiveFrom: at('2026-01-01T00:00:00Z') },
    { version: 2, effectiveFrom: at('2026-03-01T00:00:00Z') },
    // Scheduled far ahead, then superseded by v4 taking effect earlier.
    { version: 3, effectiveFrom: at('2026-12-01T00:00:00Z') },
    { version: 4, effectiveFrom: at('2026-06-01T00:00:00Z') },
  ];
  it('is none before the first version takes effect', () => {
    expect(policyInForce(versions, at('2025-12-31T23:59:59Z'))).toBeNull();
    expect(policyInForce([], at('2026-06-01T00:00:00Z'))).toBeNull();
  });
  it('takes effect at exactly effectiveFrom', () => {
    expect(policyInForce(versions, at('2026-03-01T00:00:00Z'))?.version).toBe(2);
    expect(policyInForce(versions, at('2026-02-28T23:59:59.999Z'))?.version).toBe(1);
  });
  it('is the highest version already effective, whatever the order of effective dates', () => {
    expect(policyInForce(versions, at('2026-07-01T00:00:00Z'))?.version).toBe(4);
    // v3 is effective by December but v4 is the later decision.
    expect(policyInForce(versions, at('2026-12-24T00:00:00Z'))?.version).toBe(4);
    expect(policyInForce([...versions].reverse(), at('2026-05-01T00:00:00Z'))?.version).toBe(2);
  });
});

describe('modelCardPolicy', () => {
  it("is version 0 with the card's thresholds and the default amount limit, in force since ever", () => {
    const card = { thresholds: { autoApprove: 0.145, autoDecline: 0.635, note: '' } } as ModelCard;
    expect(modelCardPolicy(card)).toEqual({
      version: 0,
      autoApproveBelow: 0.145,
      autoDeclineAbove: 0.635,
      maxAutoAmount: DEFAULT_MAX_AUTO_AMOUNT,
      reviewPurposes: [],
      effectiveFrom: new Date(0),
    });
    expect(DEFAULT_MAX_AUTO_AMOUNT).toBe(50_000);
  });
});

describe('validateRoutingPolicy', () => {
  const now = at('2026-11-22T12:00:00Z');
  const valid: RoutingPolicyChange = { autoApproveBelow: 0.1, autoDeclineAbove: 0.6, maxAutoAmount: 20_000 };
  const fields = (c: Partial<RoutingPolicyChange>) => validateRoutingPolicy({ ...valid, ...c }, now).map((p) => p.field);

  it('accepts a sound policy, with or without the optional rules', () => {
    expect(validateRoutingPolicy(valid, now)).toEqual([]);
    expect(fields({ maxAutoTermMonths: 48, reviewPurposes: ['CAR', 'BUSINESS'], effectiveFrom: at('2026-12-01T00:00:00Z') })).toEqual([]);
  });
  it('needs 0 < autoApproveBelow < autoDeclineAbove < 1', () => {
    expect(fields({ autoApproveBelow: 0 })).toEqual(['autoApproveBelow']);
    expect(fields({ autoDeclineAbove: 1 })).toEqual(['autoDeclineAbove']);
    expect(fields({ autoApproveBelow: 0.6, autoDeclineAbove: 0.6 })).toEqual(['autoDeclineAbove']);
    expect(fields({ autoApproveBelow: 0.7, autoDeclineAbove: 0.2 })).toEqual(['autoDeclineAbove']);
    expect(fields({ autoApproveBelow: Number.NaN })).toContain('autoApproveBelow');
  });
  it('needs positive limits', () => {
    expect(fields({ maxAutoAmount: 0 })).toEqual(['maxAutoAmount']);
    expect(fields({ maxAutoTermMonths: 0 })).toEqual(['maxAutoTermMonths']);
    expect(fields({ maxAutoTermMonths: 12.5 })).toEqual(['maxAutoTermMonths']);
  });
  it('knows the loan purposes', () => {
    const problems = validateRoutingPolicy({ ...valid, reviewPurposes: ['CAR', 'car'] }, now);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.problem).toContain('"car" is not a loan purpose');
  });
  it('never back-dates a version', () => {
    expect(fields({ effectiveFrom: now })).toEqual(['effectiveFrom']);
    expect(fields({ effectiveFrom: at('2026-01-01T00:00:00Z') })).toEqual(['effectiveFrom']);
  });
  it('reports every problem at once', () => {
    expect(fields({ autoApproveBelow: -1, maxAutoAmount: -5, effectiveFrom: at('2020-01-01T00:00:00Z') })).toEqual([
      'autoApproveBelow',
      'maxAutoAmount',
      'effectiveFrom',
    ]);
  });
});
