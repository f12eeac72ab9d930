/** A monitoring window: [from, to) given explicitly, or the last N hours up to now. */
export interface MonitoringWindowRequest {
  from?: Date | null;
  to?: Date | null;
  lastHours?: number | null;
}
export interface MonitoringWindow {
  from: Date;
  to: Date;
}

export const DEFAULT_WINDOW_HOURS = 24 * 30;
export const MAX_WINDOW_HOURS = 24 * 366;

/** The window, or the problem with the request (for BAD_USER_INPUT). */
export function resolveWindow(request: MonitoringWindowRequest | null | undefined, now: Date): MonitoringWindow | string {
  const { from, to, lastHours } = request ?? {};
  if (lastHours != null && (from != null || to != null)) return 'give either lastHours or from/to, not both';
  if (lastHours != null) {
    if (!Number.isInteger(lastHours) || lastHours < 1 || lastHours > MAX_WINDOW_HOURS) return `lastHours must be a whole number from 1 to ${MAX_WINDOW_HOURS}`;
    return { from: new Date(now.getTime() - lastHours * 3_600_000), to: now };
  }
  const end = to ?? now;
  const start = from ?? new Date(end.getTime() - DEFAULT_WINDOW_HOURS * 3_600_000);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return 'from and to must be valid instants';
  if (!(start < end)) return 'from must be before to';
  if (end.getTime() - start.getTime() > MAX_WINDOW_HOURS * 3_600_000) return `the window may span at most ${MAX_WINDOW_HOURS} hours`;
  return { from: start, to: end };
}
