import type { EntityManager } from '@mikro-orm/postgresql';
import { type Caller, recordAudit } from '@tandem/platform';
import type { DriftAlertRecord } from '../data/drift.entity.js';
import type { ModelDeploymentRecord, ModelVersionRecord } from '../data/model-version.entity.js';
import type { RoutingPolicyRecord } from '../data/routing-policy.entity.js';
import type { ScoreRecord } from '../data/score.entity.js';

/**
 * The scoring subgraph's entries in the graph's audit trail, each staged in
 * the transaction of the change it records. A score is recorded by what the
 * model and the policy made of the application, never by its inputs: they
 * hold personal data (age, marital status) that the trail must not copy.
 */
const SOURCE = 'scoring';
export type AuditActor = Pick<Caller, 'kind' | 'id'>;

/** A score as the trail records it: no inputs, no feature vector. */
export function scoreAuditSnapshot(s: ScoreRecord) {
  return {
    applicationId: s.applicationId,
    modelName: s.modelName,
    modelVersion: s.modelVersion,
    probabilityOfDefault: s.probabilityOfDefault,
    score: s.score,
    riskBand: s.riskBand,
    route: s.route,
    modelRecommendation: s.modelRecommendation,
    reasonCodes: s.reasonCodes.map((r) => r.code),
    policyVersion: s.policyVersion,
  };
}

export function auditScored(em: EntityManager, s: ScoreRecord, actor: AuditActor, requestId?: string): void {
  recordAudit(em, {
    source: SOURCE,
    tenantId: s.tenantId,
    actor,
    entityType: 'Score',
    entityId: s.id,
    action: 'SCORED',
    oldValue: null,
    newValue: scoreAuditSnapshot(s),
    requestId,
    occurredAt: s.scoredAt,
  });
}

/** A routing policy version's rules. */
export function routingPolicyAuditSnapshot(p: RoutingPolicyRecord) {
  return {
    version: p.version,
    autoApproveBelow: p.autoApproveBelow,
    autoDeclineAbove: p.autoDeclineAbove,
    maxAutoAmount: Number(p.maxAutoAmount),
    maxAutoTermMonths: p.maxAutoTermMonths ?? null,
    reviewPurposes: [...p.reviewPurposes],
    effectiveFrom: p.effectiveFrom,
  };
}

/** A new version of the tenant's routing policy; the old value is the version before it (null for the first). */
export function auditRoutingPolicySet(
  em: EntityManager,
  previous: RoutingPolicyRecord | null,
  next: RoutingPolicyRecord,
  actor: AuditActor,
  requestId?: string,
): void {
  recordAudit(em, {
    source: SOURCE,
    tenantId: next.tenantId,
    actor,
    entityType: 'RoutingPolicy',
    entityId: next.tenantId,
    action: previous ? 'POLICY_CHANGED' : 'POLICY_SET',
    oldValue: previous ? routingPolicyAuditSnapshot(previous) : null,
    newValue: routingPolicyAuditSnapshot(next),
    requestId,
    occurredAt: next.createdAt,
  });
}

export function auditModelRegistered(em: EntityManager, v: ModelVersionRecord, testVectors: number, actor: AuditActor, requestId?: string): void {
  recordAudit(em, {
    source: SOURCE,
    tenantId: v.tenantId,
    actor,
    entityType: 'ModelVersion',
    entityId: `${v.name}@${v.version}`,
    action: 'REGISTERED',
    oldValue: null,
    newValue: { name: v.name, version: v.version, sha256: v.sha256, maxPdDifference: v.maxPdDifference, testVectors, hasReference: v.reference != null },
    requestId,
    occurredAt: v.registeredAt,
  });
}

/** Which versions serve a model. */
export interface DeploymentSnapshot {
  championVersion: string | null;
  challengerVersion: string | null;
  previousChampions: string[];
}

export function deploymentAuditSnapshot(d: ModelDeploymentRecord): DeploymentSnapshot {
  return { championVersion: d.championVersion ?? null, challengerVersion: d.challengerVersion ?? null, previousChampions: [...d.previousChampions] };
}

export function auditDeploymentChanged(
  em: EntityManager,
  before: DeploymentSnapshot,
  d: ModelDeploymentRecord,
  action: 'PROMOTED' | 'ROLLED_BACK' | 'CHALLENGER_SET' | 'CHALLENGER_CLEARED',
  actor: AuditActor,
  requestId?: string,
): void {
  recordAudit(em, {
    source: SOURCE,
    tenantId: d.tenantId,
    actor,
    entityType: 'ModelDeployment',
    entityId: d.name,
    action,
    oldValue: before,
    newValue: deploymentAuditSnapshot(d),
    requestId,
    occurredAt: d.updatedAt,
  });
}

/** An analyst acknowledged or dismissed a drift or fairness alert. */
export function auditDriftAlertResolved(
  em: EntityManager,
  alert: DriftAlertRecord,
  before: { status: string; resolvedBy: string | null; resolvedAt: Date | null },
  actor: AuditActor,
  requestId?: string,
): void {
  recordAudit(em, {
    source: SOURCE,
    tenantId: alert.tenantId,
    actor,
    entityType: 'DriftAlert',
    entityId: alert.id,
    action: alert.status === 'DISMISSED' ? 'DISMISSED' : 'ACKNOWLEDGED',
    oldValue: before,
    newValue: { status: alert.status, resolvedBy: alert.resolvedBy ?? null, resolvedAt: alert.resolvedAt ?? null },
    requestId,
    occurredAt: alert.resolvedAt ?? undefined,
  });
}
