import { describe, expect, it } from 'vitest';
import { canTransition, statusesThatMayBecome, statusForOutcome } from './application-status.js';

describe('application status', () => {
  it('moves forward through scoring to a decision', () => {
    expect(canTransition('PENDING', 'SCORING')).toBe(true);
    expect(canTransition('SCORING', 'REVIEW')).toBe(true);
    expect(canTransition('REVIEW', 'APPROVED')).toBe(true);
    expect(canTransition('SCORING', 'DECLINED')).toBe(true);
  });
  it('never goes back to scoring or pending', () => {
    expect(canTransition('APPROVED', 'SCORING')).toBe(false);
    expect(canTransition('REVIEW', 'PENDING')).toBe(false);
    expect(canTransition('DECLINED', 'APPROVED')).toBe(false);
  });
  it('lists the statuses that may become a given one, by the same rule', () => {
    expect(statusesThatMayBecome('SCORING')).toEqual(['PENDING']);
    expect(statusesThatMayBecome('REVIEW').sort()).toEqual(['APPROVED', 'DECLINED', 'PENDING', 'SCORING']);
    expect(statusesThatMayBecome('APPROVED').sort()).toEqual(['PENDING', 'REVIEW', 'SCORING']);
    expect(statusesThatMayBecome('PENDING')).toEqual([]);
  });
  it('maps decision outcomes to statuses', () => {
    expect(statusForOutcome('APPROVED_WITH_CONDITIONS')).toBe('APPROVED');
    expect(statusForOutcome('DECLINED')).toBe('DECLINED');
    expect(statusForOutcome('DOCUMENTS_REQUESTED')).toBe('REVIEW');
  });
});
