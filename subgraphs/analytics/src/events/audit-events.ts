import {
  type AuditRecorded,
  AuditTopic,
  type ConsumerHandlers,
  type EntityManager,
  type EventEnvelope,
  handlerWithBatch,
  maskChanges,
  maskPii,
} from '@tandem/platform';
import { type AuditAppend, AuditTrailRepository } from '../data/audit-trail.repository.js';

/** What the chain stores for one audit.recorded event. */
function toAppend(e: EventEnvelope<AuditRecorded>): AuditAppend {
  const p = e.payload;
  // The change's own time when it carries a valid one, else when its event was staged.
  const occurredAt = Number.isNaN(Date.parse(p.occurredAt)) ? e.occurredAt : p.occurredAt;
  return {
    tenantId: e.tenantId,
    eventId: e.id,
    source: e.source,
    // recordAudit masked these already; masking again (idempotent) keeps PII out of the trail even
    // when a publisher staged the event by hand. What is chained is what is stored: masked.
    record: {
      ...p,
      occurredAt,
      oldValue: maskPii(p.oldValue ?? null),
      newValue: maskPii(p.newValue ?? null),
      changes: maskChanges(Array.isArray(p.changes) ? p.changes : []),
    },
  };
}

/**
 * Consumed: every subgraph's `audit.recorded` (staged by recordAudit in the
 * transaction of its change) is appended to the tenant's chain. The platform
 * inbox makes each event land once, whatever the redeliveries. Those of one
 * batch are appended at once: one lock and one insert per tenant. (The trail is
 * this consumer's alone: no other handler reads it.)
 */
export function auditConsumers(): ConsumerHandlers {
  const appendAll = (em: EntityManager, events: readonly EventEnvelope<AuditRecorded>[]) => new AuditTrailRepository(em).append(events.map(toAppend));
  return {
    [AuditTopic.AuditRecorded]: handlerWithBatch<AuditRecorded>(appendAll),
  };
}
