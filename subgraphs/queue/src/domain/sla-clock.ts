import { AROUND_THE_CLOCK, addWorkingSeconds, type BusinessCalendar, validateCalendar, workingSecondsBetween } from './business-calendar.js';

/**
 * The review SLA of a queued case, in the working time of the tenant's
 * business calendar (domain/business-calendar.ts; "+" below adds working time):
 *   deadline   = createdAt + reviewSlaSeconds
 *   warningAt  = deadline − warningSecondsBefore     (APPROACHING from here)
 *   escalateAt = deadline + escalateSecondsAfter     (still open this long after the deadline: escalate)
 *
 * The demo tenant works around the clock, where working time is elapsed time.
 * While a case waits on the applicant (documents requested) the clock is
 * paused; on resumption every instant still ahead is pushed out by the
 * working time the pause took (resumeClock).
 */
export interface SlaPolicy {
  reviewSlaSeconds: number;
  warningSecondsBefore: number;
  /** How long past the deadline an open case is escalated (a third, last alert). */
  escalateSecondsAfter: number;
  /** When the clock runs; around the clock when absent. */
  calendar?: BusinessCalendar;
}

export const DEFAULT_SLA_POLICY: SlaPolicy = {
  reviewSlaSeconds: 4 * 3600,
  warningSecondsBefore: 30 * 60,
  escalateSecondsAfter: 3600,
};

export type SlaState = 'ON_TRACK' | 'APPROACHING' | 'BREACHED';
export type SlaAlertKind = 'WARNING' | 'BREACHED' | 'ESCALATED';

export interface SlaClock {
  startedAt: Date;
  deadline: Date;
  warningAt: Date;
  escalateAt: Date;
}

/** Problems with a policy, as field messages; empty when it is usable. */
export function validateSlaPolicy(policy: SlaPolicy): string[] {
  const problems: string[] = [];
  const wholeSeconds = (n: number) => Number.isInteger(n) && n >= 0;
  if (!wholeSeconds(policy.reviewSlaSeconds) || policy.reviewSlaSeconds === 0) problems.push('reviewSlaSeconds must be a positive whole number of seconds');
  if (!wholeSeconds(policy.warningSecondsBefore)) problems.push('warningSecondsBefore must be a whole number of seconds, 0 or more');
  else if (policy.warningSecondsBefore > policy.reviewSlaSeconds) problems.push('warningSecondsBefore must not exceed reviewSlaSeconds');
  if (!wholeSeconds(policy.escalateSecondsAfter)) problems.push('escalateSecondsAfter must be a whole number of seconds, 0 or more');
  if (policy.calendar) problems.push(...validateCalendar(policy.calendar));
  return problems;
}

export function slaClock(createdAt: Date, policy: SlaPolicy = DEFAULT_SLA_POLICY): SlaClock {
  const problems = validateSlaPolicy(policy);
  if (problems.length) throw new RangeError(`Invalid SLA policy: ${problems.join('; ')}`);
  const calendar = policy.calendar ?? AROUND_THE_CLOCK;
  return {
    startedAt: createdAt,
    deadline: addWorkingSeconds(createdAt, policy.reviewSlaSeconds, calendar),
    // warningSecondsBefore ≤ reviewSlaSeconds (validated), so this is "deadline − warning" in working time
    warningAt: addWorkingSeconds(createdAt, policy.reviewSlaSeconds - policy.warningSecondsBefore, calendar),
    escalateAt: addWorkingSeconds(createdAt, policy.reviewSlaSeconds + policy.escalateSecondsAfter, calendar),
  };
}

/**
 * The clock after a pause from `pausedAt` to `resumedAt`: each instant still
 * ahead when the clock paused keeps the working time it had left, counted
 * from `resumedAt`; instants already passed (a breach before the pause) stay.
 */
export function resumeClock<C extends Pick<SlaClock, 'deadline' | 'warningAt' | 'escalateAt'>>(
  clock: C,
  pausedAt: Date,
  resumedAt: Date,
  calendar: BusinessCalendar = AROUND_THE_CLOCK,
): Pick<SlaClock, 'deadline' | 'warningAt' | 'escalateAt'> {
  const shift = (instant: Date) =>
    instant.getTime() <= pausedAt.getTime() ? instant : addWorkingSeconds(resumedAt, workingSecondsBetween(pausedAt, instant, calendar), calendar);
  return { deadline: shift(clock.deadline), warningAt: shift(clock.warningAt), escalateAt: shift(clock.escalateAt) };
}

/** Where a case stands against its deadline at `now`; the deadline itself already counts as breached. */
export function slaState(clock: Pick<SlaClock, 'deadline' | 'warningAt'>, now: Date): SlaState {
  const t = now.getTime();
  if (t >= clock.deadline.getTime()) return 'BREACHED';
  if (t >= clock.warningAt.getTime()) return 'APPROACHING';
  return 'ON_TRACK';
}

/**
 * The alerts an open case is due at `now`, given those already sent. Each kind
 * is sent once. A case first seen past its deadline (the watcher was down) gets
 * no stale WARNING: only the alerts that are still true are sent.
 */
export function dueSlaAlerts(
  clock: Pick<SlaClock, 'deadline' | 'warningAt' | 'escalateAt'>,
  sent: Partial<Record<SlaAlertKind, boolean>>,
  now: Date,
): SlaAlertKind[] {
  const t = now.getTime();
  const due: SlaAlertKind[] = [];
  if (!sent.WARNING && t >= clock.warningAt.getTime() && t < clock.deadline.getTime()) due.push('WARNING');
  if (!sent.BREACHED && t >= clock.deadline.getTime()) due.push('BREACHED');
  if (!sent.ESCALATED && t >= clock.escalateAt.getTime()) due.push('ESCALATED');
  return due;
}
