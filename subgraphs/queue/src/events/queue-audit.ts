import type { EntityManager } from '@mikro-orm/postgresql';
import { type Caller, recordAudit } from '@tandem/platform';
import type { QueueEntryRecord } from '../data/queue-entry.entity.js';
import type { QueueCaseChangeKind } from '../domain/queue-transitions.js';
import type { SlaPolicy } from '../domain/sla-clock.js';

/**
 * The queue's entries in the graph's audit trail, each staged in the
 * transaction of the move it records, beside the local assignment log
 * (queue_audit_log) and the `queue.entry.changed` event.
 */
const SOURCE = 'queue';
type Actor = Pick<Caller, 'kind' | 'id'>;

/** A queue actor id as the trail's actor: `system:<what>` is a job or event handler, anything else a user. */
export function queueAuditActor(actorId: string): Actor {
  return actorId.startsWith('system:') ? { kind: 'system', id: actorId } : { kind: 'user', id: actorId };
}

/** What a move can change on a case, as the trail records it. */
export interface CaseMoveSnapshot {
  status: string;
  assigneeId: string | null;
  priority: number;
  slaPausedAt: Date | null;
}

export function caseMoveSnapshot(entry: QueueEntryRecord): CaseMoveSnapshot {
  return { status: entry.status, assigneeId: entry.assigneeId ?? null, priority: entry.priority, slaPausedAt: entry.slaPausedAt ?? null };
}

/** Keeps only the fields whose value differs between the two snapshots (Dates by instant). */
function changedFields(before: CaseMoveSnapshot, after: CaseMoveSnapshot): [Partial<CaseMoveSnapshot>, Partial<CaseMoveSnapshot>] {
  const old: Record<string, unknown> = {};
  const now: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof CaseMoveSnapshot)[]) {
    const a = before[key];
    const b = after[key];
    const same = a instanceof Date || b instanceof Date ? (a as Date | null)?.getTime() === (b as Date | null)?.getTime() : a === b;
    if (!same) {
      old[key] = a;
      now[key] = b;
    }
  }
  return [old as Partial<CaseMoveSnapshot>, now as Partial<CaseMoveSnapshot>];
}

/**
 * One move of a case. `before` is null when the case was created (the whole
 * snapshot is the new value); otherwise old and new hold the fields that
 * changed, plus the move's reason on the new side.
 */
export function auditCaseMove(
  em: EntityManager,
  entry: QueueEntryRecord,
  before: CaseMoveSnapshot | null,
  change: QueueCaseChangeKind,
  actorId: string,
  reason?: string,
  requestId?: string,
): void {
  const after = caseMoveSnapshot(entry);
  const [oldValue, newValue] = before ? changedFields(before, after) : [null, { applicationId: entry.applicationId, ...after }];
  recordAudit(em, {
    source: SOURCE,
    tenantId: entry.tenantId,
    actor: queueAuditActor(actorId),
    entityType: 'QueueEntry',
    entityId: entry.id,
    action: change,
    oldValue,
    newValue: reason ? { ...newValue, reason } : newValue,
    requestId,
    occurredAt: entry.updatedAt,
  });
}

/** The tenant's SLA policy set: `before` is null when the tenant was on the default. */
export function auditSlaPolicySet(em: EntityManager, tenantId: string, before: SlaPolicy | null, after: SlaPolicy, actor: Actor, requestId?: string): void {
  recordAudit(em, {
    source: SOURCE,
    tenantId,
    actor,
    entityType: 'SlaPolicy',
    entityId: tenantId,
    action: before ? 'SLA_POLICY_CHANGED' : 'SLA_POLICY_SET',
    oldValue: before,
    newValue: after,
    requestId,
  });
}
