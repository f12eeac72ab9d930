import { badInput, conflict, forbidden, notFound, type TandemError } from '@tandem/platform';
import type { ListedQueueEntry } from '../data/queue-entry.repository.js';
import type { Refusal } from '../domain/queue-transitions.js';
import type { QueueEntry, QueueEntryStatus } from './queue-entry.types.js';

/** Entity (or listed row) → GraphQL shape; keeps the ids the field resolvers need. */
export function toQueueEntry(r: ListedQueueEntry): QueueEntry {
  return {
    id: r.id,
    status: r.status as QueueEntryStatus,
    priority: r.priority,
    slaDeadline: r.slaDeadline,
    createdAt: r.createdAt,
    assignedAt: r.assignedAt ?? null,
    startedAt: r.startedAt ?? null,
    completedAt: r.completedAt ?? null,
    applicationId: r.applicationId,
    assigneeId: r.assigneeId ?? null,
    slaWarningAt: r.slaWarningAt,
    slaPausedAt: r.slaPausedAt ?? null,
    awaitingOverrideApproval: !!r.awaitingOverrideDecisionId,
  };
}

/** A refused move as the coded error the caller sees. */
export function refusalError(refusal: Refusal): TandemError {
  if (refusal.code === 'FORBIDDEN') return forbidden(refusal.reason);
  if (refusal.code === 'BAD_USER_INPUT') return badInput(refusal.reason);
  return conflict(refusal.reason);
}

export const entryNotFound = (id: string) => notFound('Queue entry', id);
