import type { DecisionRecord } from '../data/decision.entity.js';
import type { Decision } from './decision.types.js';

/** Entity → GraphQL shape. Money columns come back from PostgreSQL as strings. */
export function toDecision(r: DecisionRecord): Decision {
  return {
    id: r.id,
    applicationId: r.applicationId,
    outcome: r.outcome as Decision['outcome'],
    reasoning: r.reasoning ?? null,
    conditions: r.conditions,
    approvedTerms: r.approvedAmount != null && r.approvedTermMonths != null ? { amount: Number(r.approvedAmount), termMonths: r.approvedTermMonths } : null,
    isOverride: r.isOverride,
    overrideDirection: (r.overrideDirection ?? null) as Decision['overrideDirection'],
    overrideStatus: (r.overrideStatus ?? null) as Decision['overrideStatus'],
    overrideJustification: r.overrideJustification ?? null,
    automated: r.automated,
    decidedBy: r.decidedBy ? { id: r.decidedBy } : null,
    decidedAt: r.decidedAt,
    reviewSeconds: r.reviewSeconds ?? null,
    modelVersion: r.modelVersion ?? null,
    reasonCodes: r.reasonCodes,
  };
}
