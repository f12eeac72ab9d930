import type { DecisionOutcome } from '@tandem/platform';

/**
 * Decision analytics from counts. The repository counts (in SQL, per
 * tenant and window); the definitions of the rates live here.
 *
 * Vocabulary (the repository's SQL follows it):
 * - a *decision* is an application whose current decision is in effect: an
 *   outcome is recorded and it is not an override awaiting a senior's approval
 *   or rejected by one (either way the case is still in review; a rejected
 *   override goes back to its analyst, whose next decision replaces it);
 * - a *human decision* is a decision with automated = false;
 * - an *override* is a decision that overrode the model's recommendation and
 *   stands (override status APPROVED).
 *
 * Division by zero: rates the schema declares non-null (auto-decision,
 * approval, override) read naturally as 0 when nothing was decided ("0% of no
 * decisions were automated"); averages and rates over human decisions are
 * null when there are none, because 0 seconds or 0% SLA compliance would be a
 * false statement about work that never happened.
 */

/** Outcomes that count as approvals. */
export const APPROVING_OUTCOMES: readonly DecisionOutcome[] = ['APPROVED', 'APPROVED_WITH_CONDITIONS'];

/** Every outcome, listed in byOutcome even at zero so reports keep a stable shape. */
export const ALL_OUTCOMES: readonly DecisionOutcome[] = ['APPROVED', 'APPROVED_WITH_CONDITIONS', 'DECLINED', 'DOCUMENTS_REQUESTED'];

export interface RiskBandCounts {
  riskBand: string;
  applications: number;
  approved: number;
  declined: number;
}

export interface OutcomeCounts {
  outcome: string;
  count: number;
}

/** What the repository counts for one tenant and window. */
export interface DashboardCounts {
  applications: number;
  pendingReview: number;
  decisions: number;
  automatedDecisions: number;
  humanDecisions: number;
  approvals: number;
  overrides: number;
  /** Human decisions that report a review time, and the sum of those times. */
  humanDecisionsWithReviewTime: number;
  humanReviewSecondsTotal: number;
  /** Human decisions whose SLA result is known, and how many of them met it. */
  humanDecisionsWithSlaResult: number;
  humanDecisionsWithinSla: number;
  byRiskBand: RiskBandCounts[];
  byOutcome: OutcomeCounts[];
}

export interface DecisionMetrics {
  totalApplications: number;
  decisions: number;
  automatedDecisions: number;
  humanDecisions: number;
  autoDecisionRate: number;
  approvalRate: number;
  averageReviewSeconds: number | null;
  slaComplianceRate: number | null;
  overrideRate: number;
  pendingReview: number;
  byRiskBand: RiskBandCounts[];
  byOutcome: OutcomeCounts[];
}

/** part / whole, or null when whole is 0 (the rate is undefined). */
export function rateOrNull(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/** part / whole, or 0 when whole is 0 (nothing happened, so none of it did). */
export function rateOrZero(part: number, whole: number): number {
  return rateOrNull(part, whole) ?? 0;
}

/** Every known outcome (zero when absent) in catalogue order, then any unknown ones alphabetically. */
export function outcomeBreakdown(counted: OutcomeCounts[]): OutcomeCounts[] {
  const byOutcome = new Map(counted.map((c) => [c.outcome, c.count]));
  const known = ALL_OUTCOMES.map((outcome) => ({ outcome, count: byOutcome.get(outcome) ?? 0 }));
  const unknown = counted.filter((c) => !(ALL_OUTCOMES as readonly string[]).includes(c.outcome)).sort((a, b) => a.outcome.localeCompare(b.outcome));
  return [...known, ...unknown];
}

export function decisionMetrics(c: DashboardCounts): DecisionMetrics {
  return {
    totalApplications: c.applications,
    decisions: c.decisions,
    automatedDecisions: c.automatedDecisions,
    humanDecisions: c.humanDecisions,
    autoDecisionRate: rateOrZero(c.automatedDecisions, c.decisions),
    approvalRate: rateOrZero(c.approvals, c.decisions),
    averageReviewSeconds: rateOrNull(c.humanReviewSecondsTotal, c.humanDecisionsWithReviewTime),
    slaComplianceRate: rateOrNull(c.humanDecisionsWithinSla, c.humanDecisionsWithSlaResult),
    overrideRate: rateOrZero(c.overrides, c.decisions),
    pendingReview: c.pendingReview,
    byRiskBand: [...c.byRiskBand].sort((a, b) => a.riskBand.localeCompare(b.riskBand)),
    byOutcome: outcomeBreakdown(c.byOutcome),
  };
}
