import { describe, expect, it } from 'vitest';
import type { ModelCard } from './features.js';
import { policyFromCard, type RoutingPolicy, route } from './routing.js';

const policy: RoutingPolicy = { autoApproveBelow: 0.145, autoDeclineAbove: 0.635, maxAutoAmount: 3000 };
const small = { amount: 1000, termMonths: 36, purpose: 'CONSUMER_GOODS' };

describe('route', () => {
  it('auto-approves below and auto-declines above the thresholds', () => {
    expect(route(0.05, policy, small)).toMatchObject({ route: 'AUTO_APPROVE', modelRecommendation: 'APPROVE' });
    expect(route(0.9, policy, small)).toMatchObject({ route: 'AUTO_DECLINE', modelRecommendation: 'DECLINE' });
    expect(route(0.05, policy, small).reason).toMatch(/below the auto-approve threshold 14\.5%/);
  });

  it('sends the grey zone, thresholds included, to a human', () => {
    for (const pd of [0.145, 0.3, 0.635]) {
      expect(route(pd, policy, small)).toMatchObject({ route: 'HUMAN_REVIEW', modelRecommendation: 'REVIEW' });
    }
  });

  it('sends amounts above the automation limit to a human but keeps the score’s own recommendation', () => {
    const big = { ...small, amount: 3001 };
    const approve = route(0.05, policy, big);
    expect(approve).toMatchObject({ route: 'HUMAN_REVIEW', modelRecommendation: 'APPROVE' });
    expect(approve.reason).toMatch(/amount 3001 exceeds the automatic-decision limit 3000/);
    expect(route(0.9, policy, big)).toMatchObject({ route: 'HUMAN_REVIEW', modelRecommendation: 'DECLINE' });
    expect(route(0.05, policy, { ...small, amount: 3000 }).route).toBe('AUTO_APPROVE'); // limit itself is allowed
  });

  it('applies the optional term and purpose rules, listing every rule that fired', () => {
    const strict: RoutingPolicy = { ...policy, maxAutoTermMonths: 48, reviewPurposes: ['CAR'] };
    expect(route(0.05, strict, { ...small, termMonths: 60 }).reason).toMatch(/term 60 months exceeds/);
    const both = route(0.05, strict, { amount: 5000, termMonths: 60, purpose: 'CAR' });
    expect(both.route).toBe('HUMAN_REVIEW');
    expect(both.reason).toMatch(/amount 5000.*term 60.*purpose CAR/);
    expect(route(0.05, strict, { amount: 1000, termMonths: 48 }).route).toBe('AUTO_APPROVE');
  });

  it('rejects an invalid PD or an inverted policy rather than guessing', () => {
    expect(() => route(Number.NaN, policy, small)).toThrow(RangeError);
    expect(() => route(1.2, policy, small)).toThrow(RangeError);
    expect(() => route(0.1, { ...policy, autoApproveBelow: 0.7 }, small)).toThrow(/must not exceed/);
  });
});

describe('policyFromCard', () => {
  it('takes the thresholds from the card and the limits from the caller', () => {
    const card = { thresholds: { autoApprove: 0.1, autoDecline: 0.7, note: '' } } as ModelCard;
    expect(policyFromCard(card, { maxAutoAmount: 2500 })).toEqual({
      autoApproveBelow: 0.1,
      autoDeclineAbove: 0.7,
      maxAutoAmount: 2500,
    });
  });
});
