/**
 * Local projections of other subgraphs' events. The bus delivers at least
 * once and not necessarily in order, so each projection keeps the newest
 * state by a monotonic rule instead of applying whatever arrives last.
 */

/** A re-score replaces the snapshot only if it was scored later than the one held. */
export function isNewerScore(current: { scoredAt: Date } | null, scoredAt: Date): boolean {
  return current === null || scoredAt.getTime() >= current.scoredAt.getTime();
}

/** Event timestamps are ISO strings from another process; a garbled one must not poison the projection. */
export function parseInstant(value: string | null | undefined, fallback: Date): Date {
  if (!value) return fallback;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? fallback : d;
}
