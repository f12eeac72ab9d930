import type { RoutingPolicyRecord } from '../data/routing-policy.entity.js';
import type { ScoreRecord } from '../data/score.entity.js';
import type { ModelReplayResult, ScoreReplayResult } from '../data/score-replay.js';
import type { RoutingPolicyVersion } from '../domain/routing-policy.js';
import type { ScoreSnapshot } from '../domain/score-replay.js';
import type { RoutingPolicy } from './routing-policy.types.js';
import type { ModelReplay, ScoreReplay, ScoreReplayValues } from './score-replay.types.js';
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

function toReplayValues(v: ScoreSnapshot, r: ModelReplayResult): ScoreReplayValues {
  return {
    probabilityOfDefault: v.probabilityOfDefault,
    baseValue: v.baseValue,
    contributions:
      v.contributions?.map((contribution, i) => ({ feature: r.features[i] ?? `#${i}`, value: r.featureVector[i] as number, contribution })) ?? null,
  };
}

function toModelReplay(r: ModelReplayResult): ModelReplay {
  return {
    modelName: r.modelName,
    modelVersion: r.modelVersion,
    modelSha256: r.modelSha256,
    shadow: r.shadow,
    featuresReproduced: r.featuresReproduced,
    stored: toReplayValues(r.stored, r),
    replayed: toReplayValues(r.replayed, r),
    probabilityOfDefaultDifference: r.probabilityOfDefaultDifference,
    baseValueDifference: r.baseValueDifference,
    maxContributionDifference: r.maxContributionDifference,
    matches: r.matches,
  };
}

export function toScoreReplay(r: ScoreReplayResult): ScoreReplay {
  return {
    scoreId: r.scoreId,
    applicationId: r.applicationId,
    scoredAt: r.scoredAt,
    score: toModelReplay(r.score),
    shadows: r.shadows.map(toModelReplay),
    matches: r.matches,
    replayedAt: r.replayedAt,
  };
}
