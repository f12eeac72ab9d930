import { describe, expect, it } from 'vitest';
import { DEFAULT_SLA_POLICY, dueSlaAlerts, resumeClock, slaClock, slaState, validateSlaPolicy } from './sla-clock.js';

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

describe('SLA clock in a business calendar', () => {
  const calendar = { timeZone: 'Europe/London', workingDays: [1, 2, 3, 4, 5], workingHours: { start: '09:00', end: '17:00' }, holidays: ['2026-03-09'] };
  const policy = { reviewSlaSeconds: 4 * 3600, warningSecondsBefore: 30 * 60, escalateSecondsAfter: 3600, calendar };

  it('runs the deadline, warning and escalation in working time only', () => {
    // Friday 6 March 15:00 GMT: 2 h on Friday, Monday is a holiday, 2 h on Tuesday → Tuesday 11:00
    const clock = slaClock(at('2026-03-06T15:00:00Z'), policy);
    expect(clock.deadline.toISOString()).toBe('2026-03-10T11:00:00.000Z');
    expect(clock.warningAt.toISOString()).toBe('2026-03-10T10:30:00.000Z');
    expect(clock.escalateAt.toISOString()).toBe('2026-03-10T12:00:00.000Z');
    // the warning may fall on the day before the deadline when the deadline is just after opening
    const early = slaClock(at('2026-03-05T13:10:00Z'), policy); // Thursday 13:10 + 4 h → Friday 09:10
    expect(early.deadline.toISOString()).toBe('2026-03-06T09:10:00.000Z');
    expect(early.warningAt.toISOString()).toBe('2026-03-05T16:40:00.000Z');
  });

  it('refuses a policy with a broken calendar', () => {
    expect(validateSlaPolicy({ ...policy, calendar: { ...calendar, timeZone: 'Nowhere/Else' } })).toHaveLength(1);
  });
});

describe('SLA pause', () => {
  it('pushes out what was still ahead by the length of the pause, around the clock', () => {
    const clock = slaClock(created); // deadline 13:00, warning 12:30, escalate 14:00
    const resumed = resumeClock(clock, at('2026-03-02T10:00:00Z'), at('2026-03-03T10:00:00Z'));
    expect(resumed.deadline.toISOString()).toBe('2026-03-03T13:00:00.000Z');
    expect(resumed.warningAt.toISOString()).toBe('2026-03-03T12:30:00.000Z');
    expect(resumed.escalateAt.toISOString()).toBe('2026-03-03T14:00:00.000Z');
  });

  it('keeps instants that had passed before the pause', () => {
    const clock = slaClock(created);
    const resumed = resumeClock(clock, at('2026-03-02T13:30:00Z'), at('2026-03-02T18:00:00Z'));
    expect(resumed.deadline.toISOString()).toBe('2026-03-02T13:00:00.000Z'); // already breached
    expect(resumed.escalateAt.toISOString()).toBe('2026-03-02T18:30:00.000Z'); // 30 min were left
  });

  it('counts only the working time left when the calendar has hours', () => {
    const calendar = { timeZone: 'UTC', workingDays: [1, 2, 3, 4, 5], workingHours: { start: '09:00', end: '17:00' }, holidays: [] };
    const clock = slaClock(at('2026-03-02T09:00:00Z'), { ...DEFAULT_SLA_POLICY, calendar }); // Monday, due 13:00
    // paused Monday 12:00 (1 h left), resumed Saturday: the hour left runs Monday 09:00–10:00
    const resumed = resumeClock(clock, at('2026-03-02T12:00:00Z'), at('2026-03-07T10:00:00Z'), calendar);
    expect(resumed.deadline.toISOString()).toBe('2026-03-09T10:00:00.000Z');
  });
});
