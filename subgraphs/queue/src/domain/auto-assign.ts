import { MAX_ACTIVE_CASES } from './queue-transitions.js';

/**
 * Auto-assignment: pending cases near their deadline (inside the SLA warning
 * window or past it) go to available analysts, most urgent case first, each
 * to the analyst with the fewest active cases at that moment (ties: the one
 * who was given a case longest ago, then by id), never beyond the cap.
 *
 * Who is an analyst: the queue knows the people who have taken a case or set
 * their availability (the `analysts` table); only those marked available are
 * candidates. This is a plan: each move is then made by the ordinary, locked
 * assignment, which re-checks the case and the cap, so a case someone took
 * meanwhile is skipped, not doubled.
 */
export interface AutoAssignCandidate {
  analystId: string;
  activeCases: number;
  lastAssignedAt: Date | null;
}

export interface AutoAssignment {
  entryId: string;
  analystId: string;
}

export function planAutoAssignments(dueEntryIds: readonly string[], analysts: readonly AutoAssignCandidate[]): AutoAssignment[] {
  const pool = analysts.filter((a) => a.activeCases < MAX_ACTIVE_CASES).map((a) => ({ ...a }));
  const plan: AutoAssignment[] = [];
  for (const entryId of dueEntryIds) {
    const open = pool.filter((a) => a.activeCases < MAX_ACTIVE_CASES);
    if (!open.length) break;
    open.sort(
      (a, b) =>
        a.activeCases - b.activeCases || (a.lastAssignedAt?.getTime() ?? 0) - (b.lastAssignedAt?.getTime() ?? 0) || a.analystId.localeCompare(b.analystId),
    );
    const chosen = open[0];
    chosen.activeCases += 1;
    chosen.lastAssignedAt = new Date(8.64e15); // just given one: last in the tie-break
    plan.push({ entryId, analystId: chosen.analystId });
  }
  return plan;
}
