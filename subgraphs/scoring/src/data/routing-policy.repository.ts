import type { EntityManager } from '@mikro-orm/postgresql';
import { lockForTransaction } from '@tandem/platform';
import { policyInForce, type RoutingPolicyChange, type RoutingPolicyVersion } from '../domain/routing-policy.js';
import { type AuditActor, auditRoutingPolicySet } from '../events/scoring-audit.js';
import { RoutingPolicyRecord } from './routing-policy.entity.js';

export function toRoutingPolicyVersion(r: RoutingPolicyRecord): RoutingPolicyVersion {
  return {
    version: r.version,
    autoApproveBelow: r.autoApproveBelow,
    autoDeclineAbove: r.autoDeclineAbove,
    // numeric comes back from PostgreSQL as a string
    maxAutoAmount: Number(r.maxAutoAmount),
    ...(r.maxAutoTermMonths != null ? { maxAutoTermMonths: r.maxAutoTermMonths } : {}),
    reviewPurposes: r.reviewPurposes,
    effectiveFrom: r.effectiveFrom,
  };
}

/** Versions of each tenant's routing policy; every method takes the tenant. */
export class RoutingPolicyRepository {
  constructor(private readonly em: EntityManager) {}

  /** Every version of the tenant's policy, oldest first (a handful: they are set by hand). */
  versions(tenantId: string): Promise<RoutingPolicyRecord[]> {
    return this.em.find(RoutingPolicyRecord, { tenantId }, { orderBy: { version: 'asc' } });
  }

  /** The version in force at `at`, or null when the tenant had none yet. */
  async inForce(tenantId: string, at: Date): Promise<RoutingPolicyRecord | null> {
    return policyInForce(await this.versions(tenantId), at);
  }

  /**
   * Adds version max+1, audited in the same transaction. Writers of one
   * tenant are serialised, so versions have no gaps or duplicates.
   */
  addNextVersion(tenantId: string, change: RoutingPolicyChange & { effectiveFrom: Date }, actor: AuditActor, requestId?: string): Promise<RoutingPolicyRecord> {
    return this.em.transactional(async (tx) => {
      await lockTenant(tx, tenantId);
      return insertNext(tx, tenantId, change, actor, requestId);
    });
  }

  /** Adds version 1 unless the tenant already has a policy (idempotent, safe for concurrent seeders). */
  addFirstVersionIfNone(tenantId: string, change: RoutingPolicyChange & { effectiveFrom: Date }, actor: AuditActor): Promise<RoutingPolicyRecord | null> {
    return this.em.transactional(async (tx) => {
      await lockTenant(tx, tenantId);
      if ((await tx.count(RoutingPolicyRecord, { tenantId })) > 0) return null;
      return insertNext(tx, tenantId, change, actor);
    });
  }
}

/** Transaction-scoped advisory lock on the tenant's policy history. */
async function lockTenant(tx: EntityManager, tenantId: string): Promise<void> {
  await lockForTransaction(tx, `routing_policies:${tenantId}`);
}

async function insertNext(
  tx: EntityManager,
  tenantId: string,
  change: RoutingPolicyChange & { effectiveFrom: Date },
  actor: AuditActor,
  requestId?: string,
): Promise<RoutingPolicyRecord> {
  const latest = await tx.findOne(RoutingPolicyRecord, { tenantId }, { orderBy: { version: 'desc' } });
  const record = tx.create(RoutingPolicyRecord, {
    tenantId,
    version: (latest?.version ?? 0) + 1,
    autoApproveBelow: change.autoApproveBelow,
    autoDeclineAbove: change.autoDeclineAbove,
    maxAutoAmount: change.maxAutoAmount.toFixed(2),
    maxAutoTermMonths: change.maxAutoTermMonths ?? null,
    reviewPurposes: [...new Set(change.reviewPurposes ?? [])],
    effectiveFrom: change.effectiveFrom,
    createdBy: actor.id ?? 'unknown',
    createdAt: new Date(),
  });
  tx.persist(record);
  auditRoutingPolicySet(tx, latest, record, actor, requestId);
  return record;
}
