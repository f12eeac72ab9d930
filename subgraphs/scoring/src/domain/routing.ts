/**
 * Where an application goes after scoring.
 *
 * modelRecommendation is what the PD alone says:
 *   PD < autoApproveBelow → APPROVE,  PD > autoDeclineAbove → DECLINE,  else REVIEW
 *   (a PD exactly on a threshold is REVIEW: automation needs to be strictly past it).
 * route then applies the automation envelope: an application outside it (amount,
 * term, purpose) goes to HUMAN_REVIEW even when the score is clear either way —
 * the limits bound what the machine may decide alone, in both directions.
 */

import type { ModelCard } from './features.js';

export type Route = 'AUTO_APPROVE' | 'AUTO_DECLINE' | 'HUMAN_REVIEW';
export type ModelRecommendation = 'APPROVE' | 'DECLINE' | 'REVIEW';

export interface RoutingPolicy {
  autoApproveBelow: number;
  autoDeclineAbove: number;
  /** loans above this amount are never decided automatically */
  maxAutoAmount: number;
  maxAutoTermMonths?: number;
  /** loan purposes that always get a human */
  reviewPurposes?: readonly string[];
}

export interface RoutingApplication {
  amount: number;
  termMonths: number;
  purpose?: string | null;
}

export interface RoutingDecision {
  route: Route;
  reason: string;
  modelRecommendation: ModelRecommendation;
}

const pct = (p: number) => `${(p * 100).toFixed(1)}%`;

/** Policy from the model card's suggested thresholds plus the business limits. */
export function policyFromCard(
  card: ModelCard,
  limits: Pick<RoutingPolicy, 'maxAutoAmount' | 'maxAutoTermMonths' | 'reviewPurposes'>,
): RoutingPolicy {
  return { autoApproveBelow: card.thresholds.autoApprove, autoDeclineAbove: card.thresholds.autoDecline, ...limits };
}

export function recommend(pd: number, policy: RoutingPolicy): ModelRecommendation {
  if (pd < policy.autoApproveBelow) return 'APPROVE';
  if (pd > policy.autoDeclineAbove) return 'DECLINE';
  return 'REVIEW';
}

export function route(pd: number, policy: RoutingPolicy, application: RoutingApplication): RoutingDecision {
  if (!(pd >= 0 && pd <= 1)) throw new RangeError(`PD must be a probability in [0, 1], got ${pd}`);
  if (!(policy.autoApproveBelow <= policy.autoDeclineAbove)) {
    throw new RangeError(
      `policy: autoApproveBelow (${policy.autoApproveBelow}) must not exceed autoDeclineAbove (${policy.autoDeclineAbove})`,
    );
  }
  const modelRecommendation = recommend(pd, policy);

  if (modelRecommendation === 'REVIEW') {
    return {
      route: 'HUMAN_REVIEW',
      reason: `PD ${pct(pd)} is between the auto-approve (${pct(policy.autoApproveBelow)}) and auto-decline (${pct(policy.autoDeclineAbove)}) thresholds`,
      modelRecommendation,
    };
  }

  const outsideEnvelope: string[] = [];
  if (application.amount > policy.maxAutoAmount) {
    outsideEnvelope.push(`amount ${application.amount} exceeds the automatic-decision limit ${policy.maxAutoAmount}`);
  }
  if (policy.maxAutoTermMonths !== undefined && application.termMonths > policy.maxAutoTermMonths) {
    outsideEnvelope.push(
      `term ${application.termMonths} months exceeds the automatic-decision limit ${policy.maxAutoTermMonths} months`,
    );
  }
  if (application.purpose && policy.reviewPurposes?.includes(application.purpose)) {
    outsideEnvelope.push(`purpose ${application.purpose} always requires human review`);
  }
  if (outsideEnvelope.length > 0) {
    const scoreSays = modelRecommendation === 'APPROVE' ? 'approve' : 'decline';
    return {
      route: 'HUMAN_REVIEW',
      reason: `Score alone would ${scoreSays} (PD ${pct(pd)}), but ${outsideEnvelope.join('; ')}`,
      modelRecommendation,
    };
  }

  return modelRecommendation === 'APPROVE'
    ? {
        route: 'AUTO_APPROVE',
        reason: `PD ${pct(pd)} is below the auto-approve threshold ${pct(policy.autoApproveBelow)}`,
        modelRecommendation,
      }
    : {
        route: 'AUTO_DECLINE',
        reason: `PD ${pct(pd)} is above the auto-decline threshold ${pct(policy.autoDeclineAbove)}`,
        modelRecommendation,
      };
}
