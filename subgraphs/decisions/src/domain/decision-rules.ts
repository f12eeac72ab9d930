import type { ApplicationScored, DecisionOutcome, ModelRecommendation, QueueEntryStatus } from '@tandem/platform';

/**
 * The rules of deciding an application. Pure: the resolver and the consumer
 * gather the facts (score snapshot, review case, earlier decisions) inside a
 * transaction that holds the application's lock, and these functions say
 * whether a decision may be made and what exactly gets stored.
 */

export const MIN_REASONING_LENGTH = 20;
export const MAX_REASONING_LENGTH = 5_000;
export const MIN_OVERRIDE_JUSTIFICATION_LENGTH = 50;
export const MAX_CONDITIONS = 20;
export const MAX_CONDITION_LENGTH = 500;
export const MAX_TERM_MONTHS = 360;

export type OverrideDirection = 'APPROVE_OVER_DECLINE' | 'DECLINE_OVER_APPROVE';
export type OverrideStatus = 'PENDING' | 'APPROVED' | 'REJECTED';

export interface ReasonCode {
  code: string;
  description: string;
}

/** What the model said about the application, as the scoring event carried it (scoredAt parsed). */
export type ScoreSnapshot = Omit<ApplicationScored, 'applicationId' | 'submittedAt' | 'scoredAt'> & { scoredAt: Date };

/** The queue's case for the application, as this subgraph last heard of it. */
export interface ReviewCase {
  entryId: string;
  status: QueueEntryStatus;
  assigneeId: string | null;
  startedAt: Date | null;
  slaDeadline: Date;
}

export interface DecisionRequest {
  outcome: DecisionOutcome;
  reasoning: string;
  conditions?: string[] | null;
  approvedTerms?: { amount: number; termMonths: number } | null;
  overrideJustification?: string | null;
}

export interface FieldProblem {
  field: string;
  problem: string;
}

/** Everything stored for a decision besides ids and tenant. */
export interface DecisionPlan {
  outcome: DecisionOutcome;
  reasoning: string;
  conditions: string[];
  approvedTerms: { amount: number; termMonths: number } | null;
  isOverride: boolean;
  overrideDirection: OverrideDirection | null;
  overrideStatus: OverrideStatus | null;
  overrideJustification: string | null;
  automated: boolean;
  decidedBy: string | null;
  decidedAt: Date;
  reviewSeconds: number | null;
  withinSla: boolean | null;
  reasonCodes: ReasonCode[];
  /** Final decisions close the application; only one may exist per application. */
  final: boolean;
}

export type Refusal = { code: 'BAD_USER_INPUT' | 'CONFLICT' | 'FORBIDDEN'; message: string; problems?: FieldProblem[] };
export type Verdict = { ok: true; plan: DecisionPlan } | { ok: false; refusal: Refusal };

/** DOCUMENTS_REQUESTED keeps the case open; every other outcome settles the application. */
export function isFinalOutcome(outcome: DecisionOutcome): boolean {
  return outcome !== 'DOCUMENTS_REQUESTED';
}

const isApproval = (outcome: DecisionOutcome) => outcome === 'APPROVED' || outcome === 'APPROVED_WITH_CONDITIONS';

/**
 * A decision against the model's recommendation. REVIEW recommends nothing,
 * so it is never overridden; nor is a request for documents.
 */
export function overrideDirectionFor(recommendation: ModelRecommendation, outcome: DecisionOutcome): OverrideDirection | null {
  if (recommendation === 'DECLINE' && isApproval(outcome)) return 'APPROVE_OVER_DECLINE';
  if (recommendation === 'APPROVE' && outcome === 'DECLINED') return 'DECLINE_OVER_APPROVE';
  return null;
}

/** Checks that need nothing but the request itself. Every problem is reported, not just the first. */
export function validateDecisionInput(r: DecisionRequest): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const need = (cond: boolean, field: string, problem: string) => {
    if (!cond) problems.push({ field, problem });
  };
  const reasoning = r.reasoning.trim();
  need(reasoning.length >= MIN_REASONING_LENGTH, 'reasoning', `must be at least ${MIN_REASONING_LENGTH} characters`);
  need(reasoning.length <= MAX_REASONING_LENGTH, 'reasoning', `must be at most ${MAX_REASONING_LENGTH} characters`);

  const conditions = r.conditions ?? [];
  if (r.outcome === 'APPROVED_WITH_CONDITIONS') {
    need(conditions.length >= 1, 'conditions', 'APPROVED_WITH_CONDITIONS needs at least one condition');
  } else {
    need(conditions.length === 0, 'conditions', 'are only allowed with APPROVED_WITH_CONDITIONS');
  }
  need(conditions.length <= MAX_CONDITIONS, 'conditions', `at most ${MAX_CONDITIONS}`);
  conditions.forEach((c, i) => {
    need(c.trim().length > 0 && c.length <= MAX_CONDITION_LENGTH, `conditions[${i}]`, `must be 1 to ${MAX_CONDITION_LENGTH} characters`);
  });

  if (r.approvedTerms) {
    need(isApproval(r.outcome), 'approvedTerms', 'are only allowed with an approval');
    need(r.approvedTerms.amount > 0, 'approvedTerms.amount', 'must be above 0');
    const t = r.approvedTerms.termMonths;
    need(Number.isInteger(t) && t >= 1 && t <= MAX_TERM_MONTHS, 'approvedTerms.termMonths', `must be 1 to ${MAX_TERM_MONTHS}`);
  }
  return problems;
}

export interface HumanDecisionFacts {
  deciderId: string;
  score: ScoreSnapshot | null;
  reviewCase: ReviewCase | null;
  /** Whether a final decision on the application already exists. */
  alreadyDecided: boolean;
  now: Date;
}

const refuse = (code: Refusal['code'], message: string, problems?: FieldProblem[]): Verdict => ({ ok: false, refusal: { code, message, problems } });

/**
 * An analyst's decision. Order matters for what the caller is told: a
 * settled application is a conflict whoever asks; a case this subgraph has
 * not heard of yet is a retry; then who may decide, then the input.
 */
export function planHumanDecision(r: DecisionRequest, facts: HumanDecisionFacts): Verdict {
  const { score, reviewCase, deciderId, now } = facts;
  if (facts.alreadyDecided) return refuse('CONFLICT', 'The application already has a final decision');
  if (!score || !reviewCase) {
    return refuse('CONFLICT', 'The review case of this application is not known here yet; retry in a moment');
  }
  if (reviewCase.assigneeId !== null && reviewCase.assigneeId !== deciderId) {
    return refuse('FORBIDDEN', 'Only the analyst the case is assigned to can decide it');
  }
  if (reviewCase.status !== 'IN_PROGRESS') {
    return refuse('CONFLICT', `The case is ${reviewCase.status}, not IN_PROGRESS: start reviewing it before deciding`);
  }
  if (reviewCase.assigneeId !== deciderId) return refuse('FORBIDDEN', 'Only the analyst the case is assigned to can decide it');

  const problems = validateDecisionInput(r);
  const overrideDirection = overrideDirectionFor(score.modelRecommendation, r.outcome);
  const justification = r.overrideJustification?.trim() ?? '';
  if (overrideDirection && justification.length < MIN_OVERRIDE_JUSTIFICATION_LENGTH) {
    problems.push({
      field: 'overrideJustification',
      problem: `deciding ${r.outcome} against the model's ${score.modelRecommendation} is an override and needs a justification of at least ${MIN_OVERRIDE_JUSTIFICATION_LENGTH} characters`,
    });
  }
  if (r.approvedTerms && r.approvedTerms.amount > score.loanAmount) {
    problems.push({ field: 'approvedTerms.amount', problem: `must not exceed the requested amount ${score.loanAmount.toFixed(2)}` });
  }
  if (problems.length) {
    return refuse('BAD_USER_INPUT', `Invalid decision: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`, problems);
  }

  return {
    ok: true,
    plan: {
      outcome: r.outcome,
      reasoning: r.reasoning.trim(),
      conditions: isApproval(r.outcome) ? (r.conditions ?? []).map((c) => c.trim()) : [],
      // An approval without explicit terms grants what was asked for.
      approvedTerms: isApproval(r.outcome) ? (r.approvedTerms ?? { amount: score.loanAmount, termMonths: score.termMonths }) : null,
      isOverride: overrideDirection !== null,
      overrideDirection,
      // An override waits for a senior analyst before it takes effect.
      overrideStatus: overrideDirection ? 'PENDING' : null,
      overrideJustification: overrideDirection ? justification : null,
      automated: false,
      decidedBy: deciderId,
      decidedAt: now,
      reviewSeconds: reviewSecondsBetween(reviewCase.startedAt, now),
      withinSla: now.getTime() <= reviewCase.slaDeadline.getTime(),
      // A decline keeps the model's reasons: they are what an adverse-action notice quotes.
      reasonCodes: r.outcome === 'DECLINED' ? score.reasonCodes : [],
      final: isFinalOutcome(r.outcome),
    },
  };
}

export function reviewSecondsBetween(startedAt: Date | null, decidedAt: Date): number | null {
  if (!startedAt) return null;
  return Math.max(0, Math.floor((decidedAt.getTime() - startedAt.getTime()) / 1000));
}

/**
 * The routing policy's decision for a clear case, or null when the score
 * sends the application to a human (or it is already decided).
 */
export function planAutomatedDecision(score: ScoreSnapshot, alreadyDecided: boolean): DecisionPlan | null {
  if (alreadyDecided) return null;
  if (score.route !== 'AUTO_APPROVE' && score.route !== 'AUTO_DECLINE') return null;
  const approved = score.route === 'AUTO_APPROVE';
  return {
    outcome: approved ? 'APPROVED' : 'DECLINED',
    reasoning: score.routeReason,
    conditions: [],
    approvedTerms: approved ? { amount: score.loanAmount, termMonths: score.termMonths } : null,
    isOverride: false,
    overrideDirection: null,
    overrideStatus: null,
    overrideJustification: null,
    automated: true,
    decidedBy: null,
    // The policy decided when the model scored.
    decidedAt: score.scoredAt,
    reviewSeconds: null,
    withinSla: null,
    reasonCodes: approved ? [] : score.reasonCodes,
    final: true,
  };
}
