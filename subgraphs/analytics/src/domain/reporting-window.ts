/**
 * The time window of an analytics query: [from, to), half-open so adjacent
 * windows never count an application twice. Bounded so one query cannot scan
 * a tenant's whole history.
 */
export const MAX_WINDOW_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface ReportingWindow {
  from: Date;
  to: Date;
}

/** Why a window is unusable, or null when it is fine. */
export function windowProblem({ from, to }: ReportingWindow): string | null {
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return 'from and to must be valid date-times';
  if (from.getTime() >= to.getTime()) return 'from must be earlier than to';
  if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * DAY_MS) return `the window may span at most ${MAX_WINDOW_DAYS} days`;
  return null;
}
