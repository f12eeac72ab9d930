import { Permission, type QueueChangeKind, type QueueEntryStatus } from '@tandem/platform';

/**
 * The kinds of change this subgraph publishes on queue.entry_changed: the
 * catalogue's QueueChangeKind plus REASSIGNED (a lead moved a held case),
 * PAUSED / RESUMED (the SLA clock stopped for the applicant's documents and
 * started again) and REOPENED (a rejected override sent the case back to its
 * analyst). TODO(topics.ts): widen QueueChangeKind to these; consumers read
 * status/assignee/deadline, never switch on the kind.
 */
/** Every kind of move a case makes; the catalogue's QueueChangeKind lists them all. */
export type QueueCaseChangeKind = QueueChangeKind;
export const MIN_REASSIGN_REASON_LENGTH = 5;

/**
 * The life of a review case and who may move it:
 *
 *   PENDING ──assign──▶ ASSIGNED ──start──▶ IN_PROGRESS ──(decision.made)──▶ COMPLETED
 *      ▲                    │                    │
 *      └──────release───────┴────────────────────┘
 *
 * - assign: to yourself with decision:create (you will decide the case), to
 *   someone else with queue:assign; at most MAX_ACTIVE_CASES active
 *   (ASSIGNED + IN_PROGRESS) cases per analyst.
 * - start, release: the assignee only; release needs a reason.
 * - complete: the system, when a decision for the application is made; from
 *   any open status (a senior may decide a case nobody took).
 * - reassign (ASSIGNED/IN_PROGRESS → ASSIGNED to another analyst): queue:assign, with a reason.
 * - reopen (→ IN_PROGRESS, same analyst): the system, when the analyst's override is rejected.
 * - pause / resume: the system, when documents are requested / arrive; the
 *   status stays, only the SLA clock stops (a paused case does not count
 *   towards its analyst's 5 active cases, so waiting on applicants does not
 *   block them; on resumption they may briefly hold more).
 *
 * Repeating a move that already happened (assigning a case to the analyst who
 * has it, starting a case already in progress) changes nothing and is not an
 * error, so a double click or a retry is harmless.
 */

export const MAX_ACTIVE_CASES = 5;
export const MIN_RELEASE_REASON_LENGTH = 5;
export const ACTIVE_STATUSES: readonly QueueEntryStatus[] = ['ASSIGNED', 'IN_PROGRESS'];
export const OPEN_STATUSES: readonly QueueEntryStatus[] = ['PENDING', 'ASSIGNED', 'IN_PROGRESS'];

export interface QueueActor {
  id: string;
  permissions: readonly string[];
}

export interface EntryState {
  status: QueueEntryStatus;
  assigneeId?: string | null;
}

/** Why a move was refused; the code becomes the GraphQL error code. */
export interface Refusal {
  code: 'CONFLICT' | 'FORBIDDEN' | 'BAD_USER_INPUT';
  reason: string;
}

export type Transition =
  | { kind: 'apply'; change: QueueCaseChangeKind; to: QueueEntryStatus; assigneeId: string | null }
  | { kind: 'unchanged' }
  | { kind: 'refuse'; refusal: Refusal };

const refuse = (code: Refusal['code'], reason: string): Transition => ({ kind: 'refuse', refusal: { code, reason } });

function refuseIfCompleted(entry: EntryState, action: string): Transition | null {
  if (entry.status === 'COMPLETED') return refuse('CONFLICT', `The case is already completed; it cannot be ${action}`);
  return null;
}

/** Whether `actor` may ask for the case to go to `analystId` at all (before looking at the case). */
export function assignPermission(actor: QueueActor, analystId: string): Refusal | null {
  if (analystId === actor.id) {
    return actor.permissions.includes(Permission.DecisionCreate) ? null : { code: 'FORBIDDEN', reason: `Taking a case needs ${Permission.DecisionCreate}` };
  }
  return actor.permissions.includes(Permission.QueueAssign)
    ? null
    : { code: 'FORBIDDEN', reason: `Assigning a case to someone else needs ${Permission.QueueAssign}` };
}

/** A refusal when the analyst already has the maximum of active cases. */
export function capacityRefusal(analystId: string, actorId: string, activeCases: number): Refusal | null {
  if (activeCases < MAX_ACTIVE_CASES) return null;
  const who = analystId === actorId ? 'You have' : `Analyst ${analystId} has`;
  return { code: 'CONFLICT', reason: `${who} ${activeCases} active cases; the limit is ${MAX_ACTIVE_CASES}. Finish or release one first` };
}

export function decideAssign(entry: EntryState, actor: QueueActor, analystId: string, activeCasesOfAnalyst: number): Transition {
  const denied = assignPermission(actor, analystId);
  if (denied) return { kind: 'refuse', refusal: denied };
  const closed = refuseIfCompleted(entry, 'assigned');
  if (closed) return closed;
  if (entry.status !== 'PENDING') {
    if (entry.assigneeId === analystId) return { kind: 'unchanged' };
    return refuse('CONFLICT', `The case is already assigned to ${entry.assigneeId === actor.id ? 'you' : entry.assigneeId}`);
  }
  const full = capacityRefusal(analystId, actor.id, activeCasesOfAnalyst);
  if (full) return { kind: 'refuse', refusal: full };
  return { kind: 'apply', change: 'ASSIGNED', to: 'ASSIGNED', assigneeId: analystId };
}

export function decideStart(entry: EntryState, actor: QueueActor): Transition {
  const closed = refuseIfCompleted(entry, 'started');
  if (closed) return closed;
  if (entry.status === 'PENDING') return refuse('CONFLICT', 'The case is not assigned yet; take it before starting the review');
  if (entry.assigneeId !== actor.id) return refuse('FORBIDDEN', 'Only the analyst the case is assigned to can start its review');
  if (entry.status === 'IN_PROGRESS') return { kind: 'unchanged' };
  return { kind: 'apply', change: 'STARTED', to: 'IN_PROGRESS', assigneeId: actor.id };
}

/** The reason as stored, or a refusal; checked before anything else, since it is the caller's input. */
export function releaseReasonProblem(reason: string | null | undefined): Refusal | null {
  if ((reason ?? '').trim().length < MIN_RELEASE_REASON_LENGTH) {
    return { code: 'BAD_USER_INPUT', reason: `A release needs a reason of at least ${MIN_RELEASE_REASON_LENGTH} characters` };
  }
  return null;
}

export function decideRelease(entry: EntryState, actor: QueueActor, reason: string | null | undefined): Transition {
  const badReason = releaseReasonProblem(reason);
  if (badReason) return { kind: 'refuse', refusal: badReason };
  const closed = refuseIfCompleted(entry, 'released');
  if (closed) return closed;
  if (entry.status === 'PENDING') return refuse('CONFLICT', 'The case is not assigned to anyone; there is nothing to release');
  if (entry.assigneeId !== actor.id) return refuse('FORBIDDEN', 'Only the analyst the case is assigned to can release it');
  return { kind: 'apply', change: 'RELEASED', to: 'PENDING', assigneeId: null };
}

export function decideComplete(entry: EntryState): Transition {
  if (entry.status === 'COMPLETED') return { kind: 'unchanged' };
  return { kind: 'apply', change: 'COMPLETED', to: 'COMPLETED', assigneeId: entry.assigneeId ?? null };
}

/**
 * reassign: a lead (queue:assign) moves a held case from its analyst to
 * another, with a reason; the new analyst starts from ASSIGNED and the cap
 * applies to them. A pending case is assigned, not reassigned.
 */
export function decideReassign(
  entry: EntryState,
  actor: QueueActor,
  analystId: string,
  reason: string | null | undefined,
  activeCasesOfAnalyst: number,
): Transition {
  if ((reason ?? '').trim().length < MIN_REASSIGN_REASON_LENGTH) {
    return refuse('BAD_USER_INPUT', `A reassignment needs a reason of at least ${MIN_REASSIGN_REASON_LENGTH} characters`);
  }
  if (!actor.permissions.includes(Permission.QueueAssign)) return refuse('FORBIDDEN', `Reassigning a case needs ${Permission.QueueAssign}`);
  const closed = refuseIfCompleted(entry, 'reassigned');
  if (closed) return closed;
  if (entry.status === 'PENDING') return refuse('CONFLICT', 'The case is not assigned to anyone; assign it instead');
  if (entry.assigneeId === analystId) return refuse('CONFLICT', `The case is already assigned to ${analystId}`);
  const full = capacityRefusal(analystId, actor.id, activeCasesOfAnalyst);
  if (full) return { kind: 'refuse', refusal: full };
  return { kind: 'apply', change: 'REASSIGNED', to: 'ASSIGNED', assigneeId: analystId };
}

/**
 * A rejected override: the decision did not stand, so the case goes back to
 * the analyst who made it, in review again. A case nobody held stays pending.
 */
export function decideReopen(entry: EntryState): Transition {
  if (entry.status === 'COMPLETED') return refuse('CONFLICT', 'The case is already completed; it cannot be reopened');
  if (!entry.assigneeId) return { kind: 'unchanged' };
  return { kind: 'apply', change: 'REOPENED', to: 'IN_PROGRESS', assigneeId: entry.assigneeId };
}
