import { describe, expect, it } from 'vitest';
import { DEFAULT_SLA_POLICY, dueSlaAlerts, slaClock, slaState, validateSlaPolicy } from './sla-clock.js';

const created = new Date('2026-03-02T09:00:00Z');
const at = (iso: string) => new Date(iso);

describe('SLA clock', () => {
  it('gives a 4 hour deadline with a warning 30 minutes before by default', () => {
    const clock = slaClock(created);
    expect(clock.deadline.toISOString()).toBe('2026-03-02T13:00:00.000Z');
    expect(clock.warningAt.toISOString()).toBe('2026-03-02T12:30:00.000Z');
    expect(clock.escalateAt.toISOString()).toBe('2026-03-02T14:00:00.000Z');
  });

  it('runs around the clock: a case created late in the evening is due in the night', () => {
    expect(slaClock(at('2026-03-06T22:00:00Z')).deadline.toISOString()).toBe('2026-03-07T02:00:00.000Z');
  });

  it('moves ON_TRACK → APPROACHING → BREACHED, the boundaries included in the later state', () => {
    const clock = slaClock(created);
    expect(slaState(clock, at('2026-03-02T12:29:59Z'))).toBe('ON_TRACK');
    expect(slaState(clock, at('2026-03-02T12:30:00Z'))).toBe('APPROACHING');
    expect(slaState(clock, at('2026-03-02T12:59:59Z'))).toBe('APPROACHING');
    expect(slaState(clock, at('2026-03-02T13:00:00Z'))).toBe('BREACHED');
  });

  it('follows a tenant policy', () => {
    const clock = slaClock(created, { reviewSlaSeconds: 60, warningSecondsBefore: 20, escalateSecondsAfter: 0 });
    expect(slaState(clock, at('2026-03-02T09:00:39Z'))).toBe('ON_TRACK');
    expect(slaState(clock, at('2026-03-02T09:00:40Z'))).toBe('APPROACHING');
    expect(clock.escalateAt).toEqual(clock.deadline);
  });

  it('rejects unusable policies', () => {
    expect(validateSlaPolicy(DEFAULT_SLA_POLICY)).toEqual([]);
    expect(validateSlaPolicy({ reviewSlaSeconds: 0, warningSecondsBefore: 0, escalateSecondsAfter: 0 })).toHaveLength(1);
    expect(validateSlaPolicy({ reviewSlaSeconds: 60, warningSecondsBefore: 61, escalateSecondsAfter: 0 })[0]).toMatch(/warningSecondsBefore/);
    expect(validateSlaPolicy({ reviewSlaSeconds: 1.5, warningSecondsBefore: -1, escalateSecondsAfter: Number.NaN })).toHaveLength(3);
    expect(() => slaClock(created, { reviewSlaSeconds: -5, warningSecondsBefore: 0, escalateSecondsAfter: 0 })).toThrow(RangeError);
  });
});

describe('SLA alerts', () => {
  const clock = slaClock(created);
  it('are due once each, in order', () => {
    expect(dueSlaAlerts(clock, {}, at('2026-03-02T12:00:00Z'))).toEqual([]);
    expect(dueSlaAlerts(clock, {}, at('2026-03-02T12:31:00Z'))).toEqual(['WARNING']);
    expect(dueSlaAlerts(clock, { WARNING: true }, at('2026-03-02T12:45:00Z'))).toEqual([]);
    expect(dueSlaAlerts(clock, { WARNING: true }, at('2026-03-02T13:00:00Z'))).toEqual(['BREACHED']);
    expect(dueSlaAlerts(clock, { WARNING: true, BREACHED: true }, at('2026-03-02T14:00:00Z'))).toEqual(['ESCALATED']);
    expect(dueSlaAlerts(clock, { WARNING: true, BREACHED: true, ESCALATED: true }, at('2026-03-03T00:00:00Z'))).toEqual([]);
  });
  it('skip a warning that is no longer true when first seen late', () => {
    expect(dueSlaAlerts(clock, {}, at('2026-03-02T13:10:00Z'))).toEqual(['BREACHED']);
    expect(dueSlaAlerts(clock, {}, at('2026-03-02T15:00:00Z'))).toEqual(['BREACHED', 'ESCALATED']);
  });
});
