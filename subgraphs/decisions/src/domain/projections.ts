/**
 * Local projections of other subgraphs' events. The bus delivers at least
 * once and not necessarily in order, so each projection keeps the newest
 * state by a monotonic rule instead of applying whatever arrives last.
 */

/**
 * A queue change applies when it happened at or after the one the case
 * already reflects (envelope occurredAt, stamped by the queue's outbox). A
 * late ASSIGNED must not undo a STARTED that overtook it. Equal instants
 * apply: the second of two changes in one millisecond is the later one as far
 * as we can tell, and a redelivery of the same state is harmless.
 */
export function isNewerCaseChange(current: { lastChangeAt: Date } | null, changeAt: Date): boolean {
  return current === null || changeAt.getTime() >= current.lastChangeAt.getTime();
}

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
