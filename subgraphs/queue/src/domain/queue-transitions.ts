import { Permission, type QueueChangeKind, type QueueEntryStatus } from '@tandem/platform';

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
  | { kind: 'apply'; change: QueueChangeKind; to: QueueEntryStatus; assigneeId: string | null }
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
