import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '../auth/request-context.js';
import type { EventEnvelope } from '../events/event-envelope.js';
import { recordEvent } from '../events/outbox.js';
import { AuditTopic, type AuditActorKind, type AuditRecorded } from '../events/topics.js';
import { diffValues, maskChanges } from './diff.js';
import { maskPii } from './pii.js';

export interface AuditInput {
  /** The publishing subgraph (the outbox source). */
  source: string;
  tenantId: string;
  /** Who made the change: `ctx.caller` in a resolver, `systemCaller(job)` in a job or event handler. */
  actor: Pick<Caller, 'kind' | 'id'>;
  entityType: string;
  entityId: string;
  action: string;
  /** The entity before the change (null when created). Plain data, entities or Dates; PII is masked here. */
  oldValue: unknown;
  /** The entity after the change (null when deleted). */
  newValue: unknown;
  /** Keys that hold personal data in this entity beyond the platform's list (e.g. a user's `name`). */
  piiFields?: readonly string[];
  requestId?: string;
  /** When the change was made; now by default. */
  occurredAt?: Date;
}

/** Dates as ISO strings, undefined dropped, class instances as plain data: what the event carries and the trail hashes. */
function toJsonValue(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value) ?? 'null');
}

/**
 * Builds the audit record of one state change: masked old and new values and
 * the diff between them (computed on the real values, so a changed email is
 * listed as changed, with both sides masked). Pure.
 */
export function auditRecord(input: Omit<AuditInput, 'source' | 'tenantId' | 'requestId'>): AuditRecorded {
  const oldValue = toJsonValue(input.oldValue);
  const newValue = toJsonValue(input.newValue);
  const pii = input.piiFields ?? [];
  return {
    entityType: input.entityType,
    entityId: input.entityId,
    action: input.action,
    actor: { kind: input.actor.kind as AuditActorKind, id: input.actor.id ?? null },
    occurredAt: (input.occurredAt ?? new Date()).toISOString(),
    oldValue: maskPii(oldValue, pii),
    newValue: maskPii(newValue, pii),
    changes: maskChanges(diffValues(oldValue, newValue), pii),
  };
}

/**
 * Records a state change in the graph's audit trail: stages an
 * `audit.recorded` event in the outbox of `em`'s transaction, so the entry
 * exists exactly when the change commits. Call it beside the change, inside
 * the same `em.transactional` (or before the same flush).
 */
export function recordAudit(em: EntityManager, input: AuditInput): EventEnvelope<AuditRecorded> {
  return recordEvent(em, input.source, AuditTopic.AuditRecorded, input.tenantId, auditRecord(input), input.requestId);
}
