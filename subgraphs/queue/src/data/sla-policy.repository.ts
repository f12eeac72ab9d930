import type { EntityManager } from '@mikro-orm/postgresql';
import { DEFAULT_SLA_POLICY, type SlaPolicy, validateSlaPolicy } from '../domain/sla-clock.js';
import { SlaPolicyRecord } from './sla-policy.entity.js';

/** Each tenant's review SLA; the default (4 hours, around the clock) when none is stored. */
export class SlaPolicyRepository {
  constructor(private readonly em: EntityManager) {}

  async forTenant(tenantId: string): Promise<SlaPolicy> {
    const row = await this.em.findOne(SlaPolicyRecord, { tenantId });
    if (!row) return DEFAULT_SLA_POLICY;
    return { reviewSlaSeconds: row.reviewSlaSeconds, warningSecondsBefore: row.warningSecondsBefore, escalateSecondsAfter: row.escalateSecondsAfter };
  }

  /** Sets the tenant's policy; it applies to cases queued from now on. */
  async save(tenantId: string, policy: SlaPolicy): Promise<void> {
    const problems = validateSlaPolicy(policy);
    if (problems.length) throw new RangeError(`Invalid SLA policy: ${problems.join('; ')}`);
    await this.em.upsert(SlaPolicyRecord, { tenantId, ...policy, updatedAt: new Date() });
  }
}
