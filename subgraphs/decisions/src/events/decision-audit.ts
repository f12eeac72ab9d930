import type { EntityManager } from '@mikro-orm/postgresql';
import { type Caller, recordAudit } from '@tandem/platform';
import type { DecisionRecord } from '../data/decision.entity.js';
import type { ConditionRecord, ContestRecord, DocumentSubmissionRecord, WebhookEndpointRecord } from '../data/workflow.entities.js';

/**
 * The decisions subgraph's entries in the graph's audit trail, each staged in
 * the transaction of the change it records. Free text a partner wrote (a
 * contest statement) stays out of the trail: it may name people, and it is
 * kept with the contest itself. Webhook secrets never enter it.
 */
const SOURCE = 'decisions';
type Actor = Pick<Caller, 'kind' | 'id'>;

/** A decision as the trail records it. */
export function decisionAuditSnapshot(d: DecisionRecord) {
  return {
    applicationId: d.applicationId,
    outcome: d.outcome,
    reasoning: d.reasoning ?? null,
    conditions: d.conditions,
    approvedAmount: d.approvedAmount ?? null,
    approvedTermMonths: d.approvedTermMonths ?? null,
    monthlyInstalment: d.monthlyInstalment ?? null,
    documentsChecklist: d.documentsChecklist ?? null,
    documentsDueAt: d.documentsDueAt ?? null,
    isOverride: d.isOverride,
    overrideDirection: d.overrideDirection ?? null,
    overrideStatus: d.overrideStatus ?? null,
    overrideJustification: d.overrideJustification ?? null,
    automated: d.automated,
    decidedBy: d.decidedBy ?? null,
    reviewSeconds: d.reviewSeconds ?? null,
    withinSla: d.withinSla ?? null,
    modelVersion: d.modelVersion ?? null,
    reasonCodes: d.reasonCodes.map((r) => r.code),
    final: d.final,
  };
}

export function auditDecided(em: EntityManager, d: DecisionRecord, actor: Actor, requestId?: string): void {
  recordAudit(em, {
    source: SOURCE,
    tenantId: d.tenantId,
    actor,
    entityType: 'Decision',
    entityId: d.id,
    action: d.automated ? 'DECIDED_AUTOMATICALLY' : 'DECIDED',
    oldValue: null,
    newValue: decisionAuditSnapshot(d),
    requestId,
    occurredAt: d.decidedAt,
  });
}

/** An override approved or rejected: `before` is the decision's state before the review. */
export function auditOverrideReviewed(
  em: EntityManager,
  before: { overrideStatus: string | null; final: boolean },
  d: DecisionRecord,
  actor: Actor,
  requestId?: string,
): void {
  recordAudit(em, {
    source: SOURCE,
    tenantId: d.tenantId,
    actor,
    entityType: 'Decision',
    entityId: d.id,
    action: d.overrideStatus === 'APPROVED' ? 'OVERRIDE_APPROVED' : 'OVERRIDE_REJECTED',
    oldValue: before,
    newValue: {
      overrideStatus: d.overrideStatus ?? null,
      final: d.final,
      overrideReviewedBy: d.overrideReviewedBy ?? null,
      overrideRejectionReason: d.overrideRejectionReason ?? null,
    },
    requestId,
    occurredAt: d.overrideReviewedAt ?? undefined,
  });
}

export function auditConditionFulfilled(em: EntityManager, d: DecisionRecord, c: ConditionRecord, actor: Actor, requestId?: string): void {
  recordAudit(em, {
    source: SOURCE,
    tenantId: d.tenantId,
    actor,
    entityType: 'Decision',
    entityId: d.id,
    action: 'CONDITION_FULFILLED',
    oldValue: { conditionId: c.id, kind: c.kind, fulfilledAt: null },
    newValue: { conditionId: c.id, kind: c.kind, fulfilledAt: c.fulfilledAt ?? null, fulfilledBy: c.fulfilledBy ?? null },
    requestId,
  });
}

export function auditContested(em: EntityManager, d: DecisionRecord, contest: ContestRecord, actor: Actor, requestId?: string): void {
  recordAudit(em, {
    source: SOURCE,
    tenantId: d.tenantId,
    actor,
    entityType: 'Decision',
    entityId: d.id,
    action: 'CONTESTED',
    oldValue: { final: true, contestId: null },
    newValue: { final: d.final, contestId: contest.id, modelVersion: contest.modelVersion ?? null },
    requestId,
    occurredAt: contest.contestedAt,
  });
}

export function auditDocumentsSubmitted(em: EntityManager, request: DecisionRecord, s: DocumentSubmissionRecord, actor: Actor, requestId?: string): void {
  recordAudit(em, {
    source: SOURCE,
    tenantId: request.tenantId,
    actor,
    entityType: 'Decision',
    entityId: request.id,
    action: 'DOCUMENTS_SUBMITTED',
    oldValue: { documentsAnsweredAt: null },
    newValue: { documentsAnsweredAt: s.submittedAt, documents: s.documents.map(({ name, kind }) => ({ name, kind })) },
    requestId,
    occurredAt: s.submittedAt,
  });
}

export function auditWebhookSet(em: EntityManager, before: { url: string } | null, e: WebhookEndpointRecord, actor: Actor, requestId?: string): void {
  recordAudit(em, {
    source: SOURCE,
    tenantId: e.tenantId,
    actor,
    entityType: 'WebhookEndpoint',
    entityId: e.clientId,
    action: before ? 'WEBHOOK_CHANGED' : 'WEBHOOK_SET',
    oldValue: before,
    // The secret is never recorded; that it was set (again) is.
    newValue: { url: e.url, secretSetAt: e.updatedAt },
    requestId,
  });
}

export function auditWebhookReplayed(em: EntityManager, tenantId: string, deliveryId: string, actor: Actor, requestId?: string): void {
  recordAudit(em, {
    source: SOURCE,
    tenantId,
    actor,
    entityType: 'WebhookDelivery',
    entityId: deliveryId,
    action: 'REPLAYED',
    oldValue: { status: 'DEAD' },
    newValue: { status: 'PENDING', attempts: 0 },
    requestId,
  });
}
