import type { ModelCard } from './features.js';
import { policyFromCard, type RoutingPolicy } from './routing.js';

/**
 * A tenant's routing policy is versioned and effective-dated: the policy in
 * force at time T is the highest version whose effectiveFrom ≤ T. A new version
 * never changes what an older one decided, so every score can be replayed with
 * the version it names.
 */
export interface RoutingPolicyVersion extends RoutingPolicy {
  /** 1, 2, …; 0 is the model card's suggested policy, used while a tenant has set none. */
  version: number;
  effectiveFrom: Date;
  reviewPurposes: readonly string[];
}

/** Automatic decisions are capped at this amount until a tenant sets its own policy. */
export const DEFAULT_MAX_AUTO_AMOUNT = 50_000;
export const MODEL_CARD_POLICY_VERSION = 0;

/** The card's suggested thresholds with the default limits: in force for a tenant without a policy. */
export function modelCardPolicy(card: ModelCard): RoutingPolicyVersion {
  return {
    ...policyFromCard(card, { maxAutoAmount: DEFAULT_MAX_AUTO_AMOUNT }),
    reviewPurposes: [],
    version: MODEL_CARD_POLICY_VERSION,
    effectiveFrom: new Date(0),
  };
}

/** The highest version effective at `at`, or null when none is (yet). */
export function policyInForce<P extends Pick<RoutingPolicyVersion, 'version' | 'effectiveFrom'>>(versions: readonly P[], at: Date): P | null {
  let best: P | null = null;
  for (const p of versions) {
    if (p.effectiveFrom.getTime() <= at.getTime() && (best === null || p.version > best.version)) best = p;
  }
  return best;
}

// TODO(catalogue): the loan purposes belong in packages/platform/src/events/topics.ts next to
// ScoringInput; this copies the applications subgraph's LoanPurpose enum meanwhile.
export const LOAN_PURPOSES = ['CAR', 'HOME_IMPROVEMENT', 'CONSUMER_GOODS', 'EDUCATION', 'DEBT_CONSOLIDATION', 'BUSINESS', 'MEDICAL', 'OTHER'] as const;

export interface RoutingPolicyChange {
  autoApproveBelow: number;
  autoDeclineAbove: number;
  maxAutoAmount: number;
  maxAutoTermMonths?: number | null;
  reviewPurposes?: readonly string[] | null;
  /** Omitted: effective immediately. */
  effectiveFrom?: Date | null;
}

export interface FieldProblem {
  field: string;
  problem: string;
}

/** Every problem with a requested policy change; [] when it can be saved. */
export function validateRoutingPolicy(change: RoutingPolicyChange, now: Date): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const need = (ok: boolean, field: string, problem: string) => {
    if (!ok) problems.push({ field, problem });
  };
  const { autoApproveBelow: approve, autoDeclineAbove: decline } = change;
  need(approve > 0 && approve < 1, 'autoApproveBelow', 'must be between 0 and 1 (exclusive)');
  need(decline > 0 && decline < 1, 'autoDeclineAbove', 'must be between 0 and 1 (exclusive)');
  need(!(approve >= decline), 'autoDeclineAbove', 'must be above autoApproveBelow');
  need(change.maxAutoAmount > 0, 'maxAutoAmount', 'must be above 0');
  if (change.maxAutoTermMonths != null) {
    need(Number.isInteger(change.maxAutoTermMonths) && change.maxAutoTermMonths > 0, 'maxAutoTermMonths', 'must be a whole number of months above 0');
  }
  for (const purpose of change.reviewPurposes ?? []) {
    need(
      (LOAN_PURPOSES as readonly string[]).includes(purpose),
      'reviewPurposes',
      `${JSON.stringify(purpose)} is not a loan purpose (${LOAN_PURPOSES.join(', ')})`,
    );
  }
  if (change.effectiveFrom != null) {
    // The past is not rewritten: scores already given name the version they used.
    need(change.effectiveFrom.getTime() > now.getTime(), 'effectiveFrom', 'must be in the future; omit it to take effect now');
  }
  return problems;
}
