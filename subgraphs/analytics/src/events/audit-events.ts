import { AuditTopic, maskChanges, maskPii, type AuditRecorded, type ConsumerHandlers, type EventEnvelope } from '@tandem/platform';
import { AuditTrailRepository } from '../data/audit-trail.repository.js';

/**
 * Consumed: every subgraph's `audit.recorded` (staged by recordAudit in the
 * transaction of its change) is appended to the tenant's chain. The platform
 * inbox makes each event land once, whatever the redeliveries.
 */
export function auditConsumers(): ConsumerHandlers {
  return {
    [AuditTopic.AuditRecorded]: async (em, e: EventEnvelope<AuditRecorded>) => {
      const p = e.payload;
      // The change's own time when it carries a valid one, else when its event was staged.
      const occurredAt = Number.isNaN(Date.parse(p.occurredAt)) ? e.occurredAt : p.occurredAt;
      // recordAudit masked these already; masking again (idempotent) keeps PII out of the trail even
      // when a publisher staged the event by hand. What is chained is what is stored: masked.
      await new AuditTrailRepository(em).append(e.tenantId, e.id, e.source, {
        ...p,
        occurredAt,
        oldValue: maskPii(p.oldValue ?? null),
        newValue: maskPii(p.newValue ?? null),
        changes: maskChanges(Array.isArray(p.changes) ? p.changes : []),
      });
    },
  };
}
