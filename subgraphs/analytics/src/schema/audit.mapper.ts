import type { ChainVerification } from '../domain/audit-chain.js';
import type { AuditTrailEntry } from '../data/audit-trail.repository.js';
import type { AuditChange, AuditEntry, AuditVerification } from './audit.types.js';

export function toAuditEntry(e: AuditTrailEntry): AuditEntry {
  return {
    seq: e.seq,
    eventId: e.eventId,
    source: e.source,
    entityType: e.entityType,
    entityId: e.entityId,
    action: e.action,
    actor: { kind: e.actorKind, id: e.actorId },
    occurredAt: new Date(e.occurredAt),
    recordedAt: e.recordedAt,
    oldValue: e.oldValue,
    newValue: e.newValue,
    changes: Array.isArray(e.changes) ? (e.changes as AuditChange[]) : [],
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

export function toAuditVerification(v: ChainVerification): AuditVerification {
  return { intact: v.firstBrokenSeq === null, entriesChecked: v.entriesChecked, firstBrokenSeq: v.firstBrokenSeq };
}
