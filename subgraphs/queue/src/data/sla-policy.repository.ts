import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@tandem/platform';
import { AROUND_THE_CLOCK } from '../domain/business-calendar.js';
import { DEFAULT_SLA_POLICY, type SlaPolicy, validateSlaPolicy } from '../domain/sla-clock.js';
import { auditSlaPolicySet } from '../events/queue-audit.js';
import { SlaPolicyRecord } from './sla-policy.entity.js';

/** A policy with its calendar always present, as stored or defaulted. */
export type StoredSlaPolicy = Required<SlaPolicy> & { updatedAt: Date | null };

/** Each tenant's review SLA and business calendar; the default (4 hours, around the clock) when none is stored. */
export class SlaPolicyRepository {
  constructor(private readonly em: EntityManager) {}

  async forTenant(tenantId: string): Promise<StoredSlaPolicy> {
    const row = await this.em.findOne(SlaPolicyRecord, { tenantId });
    if (!row) return { ...DEFAULT_SLA_POLICY, calendar: AROUND_THE_CLOCK, updatedAt: null };
    return {
      reviewSlaSeconds: row.reviewSlaSeconds,
      warningSecondsBefore: row.warningSecondsBefore,
      escalateSecondsAfter: row.escalateSecondsAfter,
      calendar: {
        timeZone: row.timeZone,
        workingDays: row.workingDays,
        workingHours: { start: row.workingStart, end: row.workingEnd },
        holidays: row.holidays,
      },
      updatedAt: row.updatedAt,
    };
  }

  /**
   * Sets the tenant's policy; it applies to cases queued (or resumed) from now
   * on. The change and its audit entry commit together. Throws RangeError when invalid.
   */
  async save(tenantId: string, policy: SlaPolicy, actor: Pick<Caller, 'kind' | 'id'>, now = new Date(), requestId?: string): Promise<StoredSlaPolicy> {
    const problems = validateSlaPolicy(policy);
    if (problems.length) throw new RangeError(`Invalid SLA policy: ${problems.join('; ')}`);
    const calendar = policy.calendar ?? AROUND_THE_CLOCK;
    const stored = {
      reviewSlaSeconds: policy.reviewSlaSeconds,
      warningSecondsBefore: policy.warningSecondsBefore,
      escalateSecondsAfter: policy.escalateSecondsAfter,
      timeZone: calendar.timeZone,
      workingDays: [...calendar.workingDays].sort((a, b) => a - b),
      workingStart: calendar.workingHours.start,
      workingEnd: calendar.workingHours.end,
      holidays: [...new Set(calendar.holidays)].sort(),
    };
    await this.em.transactional(async (tx) => {
      const previous = await new SlaPolicyRepository(tx).forTenant(tenantId);
      await tx.upsert(SlaPolicyRecord, { tenantId, ...stored, updatedAt: now });
      const { updatedAt: _was, ...before } = previous;
      auditSlaPolicySet(
        tx,
        tenantId,
        previous.updatedAt ? before : null,
        {
          reviewSlaSeconds: stored.reviewSlaSeconds,
          warningSecondsBefore: stored.warningSecondsBefore,
          escalateSecondsAfter: stored.escalateSecondsAfter,
          calendar: {
            timeZone: stored.timeZone,
            workingDays: stored.workingDays,
            workingHours: { start: stored.workingStart, end: stored.workingEnd },
            holidays: stored.holidays,
          },
        },
        actor,
        requestId,
      );
    });
    return this.forTenant(tenantId);
  }
}
