import type { DecisionRecord } from '../data/decision.entity.js';
import type { ConditionRecord, ContestRecord, WebhookDeliveryRecord, WebhookEndpointRecord } from '../data/workflow.entities.js';
import type { SubmittedDocument as SubmittedDocumentValue } from '../domain/decision-workflow.js';
import type { Decision, DecisionCondition, DecisionContest, DocumentsRequest, SubmittedDocument, WebhookDelivery, WebhookEndpoint } from './decision.types.js';

/** Entity → GraphQL shape. Money columns come back from PostgreSQL as strings. */
export function toDecision(r: DecisionRecord): Decision {
  return {
    id: r.id,
    applicationId: r.applicationId,
    outcome: r.outcome as Decision['outcome'],
    reasoning: r.reasoning ?? null,
    conditions: r.conditions,
    approvedTerms: r.approvedAmount != null && r.approvedTermMonths != null ? { amount: Number(r.approvedAmount), termMonths: r.approvedTermMonths } : null,
    monthlyInstalment: r.monthlyInstalment != null ? Number(r.monthlyInstalment) : null,
    documentsRequest: toDocumentsRequest(r),
    final: r.final,
    isOverride: r.isOverride,
    overrideDirection: (r.overrideDirection ?? null) as Decision['overrideDirection'],
    overrideStatus: (r.overrideStatus ?? null) as Decision['overrideStatus'],
    overrideJustification: r.overrideJustification ?? null,
    overrideReviewedBy: r.overrideReviewedBy ? { id: r.overrideReviewedBy } : null,
    overrideReviewedAt: r.overrideReviewedAt ?? null,
    overrideRejectionReason: r.overrideRejectionReason ?? null,
    automated: r.automated,
    decidedBy: r.decidedBy ? { id: r.decidedBy } : null,
    decidedAt: r.decidedAt,
    reviewSeconds: r.reviewSeconds ?? null,
    modelVersion: r.modelVersion ?? null,
    reasonCodes: r.reasonCodes,
  };
}

/** The submitted documents are resolved per request (DocumentsRequest.submittedDocuments) from `decisionId`. */
function toDocumentsRequest(r: DecisionRecord): DocumentsRequest | null {
  if (r.outcome !== 'DOCUMENTS_REQUESTED' || !r.documentsDueAt) return null;
  return {
    decisionId: r.id,
    checklist: r.documentsChecklist ?? [],
    dueAt: r.documentsDueAt,
    answeredAt: r.documentsAnsweredAt ?? null,
    submittedDocuments: [],
  };
}

/** Answers stored before documents named their checklist item have no such key. */
export function toSubmittedDocument(d: SubmittedDocumentValue): SubmittedDocument {
  return { name: d.name, kind: d.kind, url: d.url ?? null, checklistItem: d.checklistItem ?? null };
}

export function toCondition(r: ConditionRecord): DecisionCondition {
  return {
    id: r.id,
    kind: r.kind as DecisionCondition['kind'],
    description: r.description,
    amount: r.amount != null ? Number(r.amount) : null,
    termMonths: r.termMonths ?? null,
    fulfilled: r.fulfilledAt != null,
    fulfilledAt: r.fulfilledAt ?? null,
    fulfilledBy: r.fulfilledBy ? { id: r.fulfilledBy } : null,
  };
}

export function toContest(r: ContestRecord): DecisionContest {
  const s = r.scoreSnapshot;
  return {
    id: r.id,
    applicationId: r.applicationId,
    decisionId: r.decisionId,
    statement: r.statement,
    contestedBy: r.contestedBy,
    contestedAt: r.contestedAt,
    evidence: s
      ? {
          modelVersion: s.modelVersion,
          scoreId: s.scoreId,
          probabilityOfDefault: s.probabilityOfDefault,
          score: s.score,
          riskBand: s.riskBand,
          routeReason: s.routeReason,
          reasonCodes: s.reasonCodes,
        }
      : null,
  };
}

export function toWebhookEndpoint(r: WebhookEndpointRecord): WebhookEndpoint {
  return { clientId: r.clientId, url: r.url, createdAt: r.createdAt, updatedAt: r.updatedAt };
}

export function toWebhookDelivery(r: WebhookDeliveryRecord): WebhookDelivery {
  return {
    id: r.id,
    clientId: r.clientId,
    eventType: r.eventType,
    body: r.body,
    status: r.status as WebhookDelivery['status'],
    attempts: r.attempts,
    lastStatusCode: r.lastStatusCode ?? null,
    lastError: r.lastError ?? null,
    createdAt: r.createdAt,
    deadAt: r.deadAt ?? null,
  };
}
