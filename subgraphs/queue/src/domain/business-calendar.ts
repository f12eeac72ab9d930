/**
 * A tenant's business calendar: when the review SLA clock runs.
 *
 * Working time is, in the tenant's IANA time zone, the `workingHours` window of
 * each `workingDays` weekday that is not one of the `holidays` (local dates).
 * Wall-clock hours are used as they are on each day, so a DST change shortens
 * or lengthens the night, never the working day (09:00–17:00 is 8 hours on the
 * day the clocks change too). A window ending at 24:00 runs to the next
 * midnight. AROUND_THE_CLOCK (every day, 00:00–24:00, UTC, no holidays) is the
 * demo tenant's calendar: working time is then plain elapsed time.
 */
export interface BusinessCalendar {
  timeZone: string;
  /** ISO weekdays: 1 = Monday … 7 = Sunday. */
  workingDays: readonly number[];
  /** Local "HH:MM" start (inclusive) and end (exclusive, "24:00" allowed). */
  workingHours: { start: string; end: string };
  /** Local dates "YYYY-MM-DD" without working time. */
  holidays: readonly string[];
}

export const AROUND_THE_CLOCK: BusinessCalendar = {
  timeZone: 'UTC',
  workingDays: [1, 2, 3, 4, 5, 6, 7],
  workingHours: { start: '00:00', end: '24:00' },
  holidays: [],
};

const HH_MM = /^([01]\d|2[0-4]):([0-5]\d)$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
/** No calendar has working time this far ahead; a bound on every walk, so a bad calendar cannot loop forever. */
const MAX_DAYS_SCANNED = 3 * 366;

/** Problems with a calendar, as field messages; empty when it is usable. */
export function validateCalendar(calendar: BusinessCalendar): string[] {
  const problems: string[] = [];
  if (!isTimeZone(calendar.timeZone)) problems.push(`timeZone "${calendar.timeZone}" is not an IANA time zone`);
  const days = calendar.workingDays;
  if (!days.length) problems.push('workingDays must name at least one day');
  if (days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) problems.push('workingDays must be ISO weekdays 1 (Monday) to 7 (Sunday)');
  if (new Set(days).size !== days.length) problems.push('workingDays must not repeat a day');
  const start = minutesOf(calendar.workingHours.start);
  const end = minutesOf(calendar.workingHours.end);
  if (start === null || start >= 24 * 60) problems.push('workingHours.start must be a time HH:MM before 24:00');
  if (end === null) problems.push('workingHours.end must be a time HH:MM (24:00 for midnight)');
  if (start !== null && end !== null && start < 24 * 60 && end <= start) problems.push('workingHours.end must be after workingHours.start');
  for (const h of calendar.holidays) if (!isIsoDate(h)) problems.push(`holiday "${h}" is not a date YYYY-MM-DD`);
  return problems;
}

export function isAroundTheClock(c: BusinessCalendar): boolean {
  return c.workingDays.length === 7 && c.workingHours.start === '00:00' && c.workingHours.end === '24:00' && c.holidays.length === 0;
}

/** The earliest instant by which `seconds` of working time have elapsed after `from`. */
export function addWorkingSeconds(from: Date, seconds: number, calendar: BusinessCalendar): Date {
  if (seconds <= 0) return new Date(from.getTime());
  if (isAroundTheClock(calendar)) return new Date(from.getTime() + seconds * 1000);
  let remainingMs = seconds * 1000;
  for (const [start, end] of workingIntervals(from, calendar)) {
    const s = Math.max(start, from.getTime());
    if (end <= s) continue;
    if (end - s >= remainingMs) return new Date(s + remainingMs);
    remainingMs -= end - s;
  }
  throw new RangeError('The calendar has no working time within three years');
}

/** Working seconds in [from, to); 0 when `to` is not after `from`. */
export function workingSecondsBetween(from: Date, to: Date, calendar: BusinessCalendar): number {
  if (to.getTime() <= from.getTime()) return 0;
  if (isAroundTheClock(calendar)) return (to.getTime() - from.getTime()) / 1000;
  let ms = 0;
  for (const [start, end] of workingIntervals(from, calendar)) {
    if (start >= to.getTime()) break;
    ms += Math.max(0, Math.min(end, to.getTime()) - Math.max(start, from.getTime()));
  }
  return ms / 1000;
}

/** Whether `at` falls in working time. */
export function isWorkingTime(at: Date, calendar: BusinessCalendar): boolean {
  for (const [start, end] of workingIntervals(at, calendar)) {
    if (start > at.getTime()) return false;
    if (at.getTime() < end) return true;
  }
  return false;
}

/** The working intervals [startMs, endMs) from the local day containing `from` on, in order. */
function* workingIntervals(from: Date, calendar: BusinessCalendar): Generator<[number, number]> {
  const holidays = new Set(calendar.holidays);
  const workingDays = new Set(calendar.workingDays);
  const startMin = minutesOf(calendar.workingHours.start) ?? 0;
  const endMin = minutesOf(calendar.workingHours.end) ?? 24 * 60;
  // Local calendar dates are walked as UTC dates (no DST there), then placed in the zone.
  const local = localParts(from, calendar.timeZone);
  let day = Date.UTC(local.year, local.month - 1, local.day);
  for (let i = 0; i < MAX_DAYS_SCANNED; i++, day += DAY_MS) {
    const date = new Date(day);
    const iso = date.toISOString().slice(0, 10);
    const weekday = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
    if (!workingDays.has(weekday) || holidays.has(iso)) continue;
    const start = zonedToUtc(day + startMin * 60_000, calendar.timeZone);
    const end = zonedToUtc(day + endMin * 60_000, calendar.timeZone);
    if (end > start) yield [start, end];
  }
}

function minutesOf(hhmm: string): number | null {
  const m = HH_MM.exec(hhmm);
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes > 24 * 60 ? null : minutes;
}

function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz.length > 0;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

function localParts(at: Date, tz: string) {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

/** The zone's offset from UTC at instant `ms`, in ms (local = utc + offset). */
function offsetAt(ms: number, tz: string): number {
  const p = localParts(new Date(ms), tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant of a local wall-clock time (given as if it were UTC). A time the
 * spring-forward gap skips is read with the offset before the gap (02:30 in a
 * 02:00→03:00 gap becomes 03:30); a time the autumn fall-back repeats maps to
 * one of its two occurrences. Working hours rarely sit in those hours.
 */
function zonedToUtc(localMs: number, tz: string): number {
  const first = localMs - offsetAt(localMs, tz);
  const second = localMs - offsetAt(first, tz);
  if (first === second) return first;
  // Two candidates: keep the earlier one that really shows this wall time, else the later (the gap).
  const [early, late] = first < second ? [first, second] : [second, first];
  if (early + offsetAt(early, tz) === localMs) return early;
  if (late + offsetAt(late, tz) === localMs) return late;
  return Math.max(first, second);
}
