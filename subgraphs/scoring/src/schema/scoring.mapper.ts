import type { RoutingPolicyRecord } from '../data/routing-policy.entity.js';
import type { ScoreRecord } from '../data/score.entity.js';
import type { RoutingPolicyVersion } from '../domain/routing-policy.js';
import type { RoutingPolicy } from './routing-policy.types.js';
import type { ModelRecommendation, Route, Scoring } from './scoring.types.js';

export function toScoring(r: ScoreRecord): Scoring {
  return {
    probabilityOfDefault: r.probabilityOfDefault,
    score: r.score,
    riskBand: r.riskBand,
    route: r.route as Route,
    routeReason: r.routeReason,
    modelRecommendation: r.modelRecommendation as ModelRecommendation,
    modelVersion: r.modelVersion,
    policyVersion: r.policyVersion,
    scoredAt: r.scoredAt,
    topFactors: r.topFactors,
    reasonCodes: r.reasonCodes,
  };
}

/** A stored version, or the model card policy (no record: nobody created it). */
export function toRoutingPolicy(policy: RoutingPolicyVersion, record: RoutingPolicyRecord | null): RoutingPolicy {
  return {
    version: policy.version,
    autoApproveBelow: policy.autoApproveBelow,
    autoDeclineAbove: policy.autoDeclineAbove,
    maxAutoAmount: policy.maxAutoAmount,
    maxAutoTermMonths: policy.maxAutoTermMonths ?? null,
    reviewPurposes: [...policy.reviewPurposes],
    effectiveFrom: policy.effectiveFrom,
    createdBy: record?.createdBy ?? null,
    createdAt: record?.createdAt ?? null,
  };
}
