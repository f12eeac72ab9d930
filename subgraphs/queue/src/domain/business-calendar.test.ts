import { describe, expect, it } from 'vitest';
import { AROUND_THE_CLOCK, addWorkingSeconds, type BusinessCalendar, isWorkingTime, validateCalendar, workingSecondsBetween } from './business-calendar.js';

const HOUR = 3600;
/** Berlin office: Monday–Friday 09:00–17:00, Easter Monday 2026 off. */
const berlin: BusinessCalendar = {
  timeZone: 'Europe/Berlin',
  workingDays: [1, 2, 3, 4, 5],
  workingHours: { start: '09:00', end: '17:00' },
  holidays: ['2026-04-06'],
};
const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe('business calendar', () => {
  it('around the clock is plain elapsed time', () => {
    expect(iso(addWorkingSeconds(at('2026-03-07T22:00:00Z'), 4 * HOUR, AROUND_THE_CLOCK))).toBe('2026-03-08T02:00:00.000Z');
    expect(workingSecondsBetween(at('2026-03-07T22:00:00Z'), at('2026-03-08T02:00:00Z'), AROUND_THE_CLOCK)).toBe(4 * HOUR);
  });

  it('counts only working hours within a day and carries the rest to the next working day', () => {
    // Tuesday 15:00 CET (14:00Z) + 4 h: 2 h today, 2 h from Wednesday 09:00 → Wednesday 11:00 CET
    expect(iso(addWorkingSeconds(at('2026-03-03T14:00:00Z'), 4 * HOUR, berlin))).toBe('2026-03-04T10:00:00.000Z');
    // within the day
    expect(iso(addWorkingSeconds(at('2026-03-03T09:00:00Z'), HOUR, berlin))).toBe('2026-03-03T10:00:00.000Z');
  });

  it('starts the clock at opening time when a case arrives outside working hours', () => {
    // Tuesday 06:00 CET: the clock starts at 09:00 CET (08:00Z)
    expect(iso(addWorkingSeconds(at('2026-03-03T05:00:00Z'), 30 * 60, berlin))).toBe('2026-03-03T08:30:00.000Z');
    expect(isWorkingTime(at('2026-03-03T05:00:00Z'), berlin)).toBe(false);
    expect(isWorkingTime(at('2026-03-03T08:00:00Z'), berlin)).toBe(true);
    expect(isWorkingTime(at('2026-03-03T16:00:00Z'), berlin)).toBe(false); // 17:00 CET is closing time
  });

  it('skips the weekend', () => {
    // Friday 16:00 CET + 4 h: 1 h on Friday, 3 h on Monday → Monday 12:00 CET
    expect(iso(addWorkingSeconds(at('2026-03-06T15:00:00Z'), 4 * HOUR, berlin))).toBe('2026-03-09T11:00:00.000Z');
    // a case arriving on Saturday is due by Monday
    expect(iso(addWorkingSeconds(at('2026-03-07T12:00:00Z'), 2 * HOUR, berlin))).toBe('2026-03-09T10:00:00.000Z');
    expect(workingSecondsBetween(at('2026-03-06T15:00:00Z'), at('2026-03-09T11:00:00Z'), berlin)).toBe(4 * HOUR);
  });

  it('skips holidays', () => {
    // Thursday 2 April 2026 16:00 CEST; Good Friday is a working day here, Easter Monday is not.
    // +10 h: 1 h Thursday, 8 h Friday, (weekend, Easter Monday), 1 h Tuesday 7 April → 10:00 CEST
    expect(iso(addWorkingSeconds(at('2026-04-02T14:00:00Z'), 10 * HOUR, berlin))).toBe('2026-04-07T08:00:00.000Z');
    expect(workingSecondsBetween(at('2026-04-06T00:00:00Z'), at('2026-04-07T00:00:00Z'), berlin)).toBe(0);
  });

  it('keeps working hours in local time across the DST changes', () => {
    // Before the spring change 09:00 CET = 08:00Z; after it 09:00 CEST = 07:00Z.
    // Friday 27 March 16:00 CET + 2 h → Monday 30 March 10:00 CEST = 08:00Z
    expect(iso(addWorkingSeconds(at('2026-03-27T15:00:00Z'), 2 * HOUR, berlin))).toBe('2026-03-30T08:00:00.000Z');
    // the working day on the change weekend's Monday is still 8 hours
    expect(workingSecondsBetween(at('2026-03-30T00:00:00Z'), at('2026-03-31T00:00:00Z'), berlin)).toBe(8 * HOUR);
    // around the clock in Berlin: the spring-forward day has 23 hours, the autumn one 25
    const allDayBerlin = { ...AROUND_THE_CLOCK, timeZone: 'Europe/Berlin', holidays: ['2000-01-01'] };
    expect(workingSecondsBetween(at('2026-03-28T23:00:00Z'), at('2026-03-29T22:00:00Z'), allDayBerlin)).toBe(23 * HOUR);
    expect(workingSecondsBetween(at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z'), allDayBerlin)).toBe(25 * HOUR);
    // US Eastern: Friday 6 March 2026 16:00 EST (21:00Z) + 2 h → Monday 9 March (after the change) 10:00 EDT = 14:00Z
    const newYork = { ...berlin, timeZone: 'America/New_York', holidays: [] };
    expect(iso(addWorkingSeconds(at('2026-03-06T21:00:00Z'), 2 * HOUR, newYork))).toBe('2026-03-09T14:00:00.000Z');
  });

  it('adds and measures consistently', () => {
    const from = at('2026-03-05T12:34:56Z');
    for (const seconds of [1, 59, HOUR, 7 * HOUR, 8 * HOUR, 8 * HOUR + 1, 41 * HOUR, 100 * HOUR]) {
      expect(workingSecondsBetween(from, addWorkingSeconds(from, seconds, berlin), berlin)).toBe(seconds);
    }
  });

  it('rejects unusable calendars', () => {
    expect(validateCalendar(berlin)).toEqual([]);
    expect(validateCalendar(AROUND_THE_CLOCK)).toEqual([]);
    expect(validateCalendar({ ...berlin, timeZone: 'Mars/Olympus' })[0]).toMatch(/timeZone/);
    expect(validateCalendar({ ...berlin, workingDays: [] })[0]).toMatch(/workingDays/);
    expect(validateCalendar({ ...berlin, workingDays: [0, 8] })[0]).toMatch(/ISO weekdays/);
    expect(validateCalendar({ ...berlin, workingDays: [1, 1] })[0]).toMatch(/repeat/);
    expect(validateCalendar({ ...berlin, workingHours: { start: '17:00', end: '09:00' } })[0]).toMatch(/after/);
    expect(validateCalendar({ ...berlin, workingHours: { start: '9am', end: '24:30' } })).toHaveLength(2);
    expect(validateCalendar({ ...berlin, holidays: ['2026-02-30'] })[0]).toMatch(/holiday/);
  });
});
