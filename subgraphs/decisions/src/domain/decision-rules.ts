import type { ApplicationScored, DecisionOutcome, ModelRecommendation, QueueEntryStatus } from '@tandem/platform';
import { monthlyInstalment } from './instalment.js';

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
export const MAX_CHECKLIST_ITEMS = 20;
export const MAX_CHECKLIST_ITEM_LENGTH = 200;
/** A documents request without a due date gives the applicant two weeks. */
export const DEFAULT_DOCUMENTS_DUE_DAYS = 14;
export const MAX_DOCUMENTS_DUE_DAYS = 90;
const DAY_MS = 86_400_000;

export const CONDITION_KINDS = ['DOCUMENTATION', 'COLLATERAL', 'GUARANTOR', 'REDUCED_AMOUNT', 'REDUCED_TERM', 'OTHER'] as const;
export type ConditionKind = (typeof CONDITION_KINDS)[number];

/** A condition as the analyst states it. `amount` belongs to REDUCED_AMOUNT, `termMonths` to REDUCED_TERM. */
export interface ConditionRequest {
  kind: ConditionKind;
  description?: string | null;
  amount?: number | null;
  termMonths?: number | null;
}

/** A condition as stored: always described, so a partner can read it without knowing the kinds. */
export interface PlannedCondition {
  kind: ConditionKind;
  description: string;
  amount: number | null;
  termMonths: number | null;
}

export interface DocumentsRequest {
  checklist: string[];
  dueAt: Date;
}

export type OverrideDirection = 'APPROVE_OVER_DECLINE' | 'DECLINE_OVER_APPROVE';
export type OverrideStatus = 'PENDING' | 'APPROVED' | 'REJECTED';

export interface ReasonCode {
  code: string;
  description: string;
}

/** What the model said about the application, as the scoring event carried it (scoredAt parsed). */
export type ScoreSnapshot = Omit<ApplicationScored, 'applicationId' | 'submittedAt' | 'scoredAt' | 'routingThresholds'> & { scoredAt: Date };

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
  /** Free-text conditions (the workbench's form): each becomes an OTHER condition. */
  conditions?: string[] | null;
  typedConditions?: ConditionRequest[] | null;
  approvedTerms?: { amount: number; termMonths: number } | null;
  overrideJustification?: string | null;
  /** DOCUMENTS_REQUESTED only: what the applicant must send, and by when. */
  documentsChecklist?: string[] | null;
  documentsDueAt?: Date | null;
}

export interface FieldProblem {
  field: string;
  problem: string;
}

/** Everything stored for a decision besides ids and tenant. */
export interface DecisionPlan {
  outcome: DecisionOutcome;
  reasoning: string;
  conditions: PlannedCondition[];
  approvedTerms: { amount: number; termMonths: number } | null;
  /** The annuity instalment of the approved terms at the nominal rate; null unless approved. */
  monthlyInstalment: number | null;
  documentsRequest: DocumentsRequest | null;
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

/** A list of problems, and the way to add one unless its condition holds. */
function collectProblems() {
  const problems: FieldProblem[] = [];
  const need = (cond: boolean, field: string, problem: string) => {
    if (!cond) problems.push({ field, problem });
  };
  return { problems, need };
}

/** The checks of each typed condition, and of at most one reduction of each kind. */
function typedConditionProblems(typed: readonly ConditionRequest[]): FieldProblem[] {
  const { problems, need } = collectProblems();
  typed.forEach((c, i) => {
    const at = `typedConditions[${i}]`;
    const reduction = c.kind === 'REDUCED_AMOUNT' || c.kind === 'REDUCED_TERM';
    const text = c.description?.trim() ?? '';
    // A reduction describes itself; any other condition must say what is required.
    need(
      reduction ? (c.description ?? '').length <= MAX_CONDITION_LENGTH : text.length > 0 && text.length <= MAX_CONDITION_LENGTH,
      `${at}.description`,
      reduction ? `must be at most ${MAX_CONDITION_LENGTH} characters` : `must be 1 to ${MAX_CONDITION_LENGTH} characters`,
    );
    if (c.kind === 'REDUCED_AMOUNT') need(c.amount != null && c.amount > 0, `${at}.amount`, 'REDUCED_AMOUNT needs an amount above 0');
    else need(c.amount == null, `${at}.amount`, 'only REDUCED_AMOUNT takes an amount');
    if (c.kind === 'REDUCED_TERM') {
      need(c.termMonths != null && Number.isInteger(c.termMonths) && c.termMonths >= 1, `${at}.termMonths`, 'REDUCED_TERM needs a term of at least 1 month');
    } else need(c.termMonths == null, `${at}.termMonths`, 'only REDUCED_TERM takes termMonths');
  });
  for (const kind of ['REDUCED_AMOUNT', 'REDUCED_TERM'] as const) {
    need(typed.filter((c) => c.kind === kind).length <= 1, 'typedConditions', `at most one ${kind}`);
  }
  return problems;
}

/** The checks of explicit approved terms. */
function approvedTermsProblems(r: Pick<DecisionRequest, 'outcome' | 'approvedTerms'>): FieldProblem[] {
  const { problems, need } = collectProblems();
  if (r.approvedTerms) {
    need(isApproval(r.outcome), 'approvedTerms', 'are only allowed with an approval');
    need(r.approvedTerms.amount > 0, 'approvedTerms.amount', 'must be above 0');
    const t = r.approvedTerms.termMonths;
    need(Number.isInteger(t) && t >= 1 && t <= MAX_TERM_MONTHS, 'approvedTerms.termMonths', `must be 1 to ${MAX_TERM_MONTHS}`);
  }
  return problems;
}

/** Checks that need nothing but the request itself. Every problem is reported, not just the first. */
export function validateDecisionInput(r: DecisionRequest): FieldProblem[] {
  const { problems, need } = collectProblems();
  const reasoning = r.reasoning.trim();
  need(reasoning.length >= MIN_REASONING_LENGTH, 'reasoning', `must be at least ${MIN_REASONING_LENGTH} characters`);
  need(reasoning.length <= MAX_REASONING_LENGTH, 'reasoning', `must be at most ${MAX_REASONING_LENGTH} characters`);

  const legacy = r.conditions ?? [];
  const typed = r.typedConditions ?? [];
  const count = legacy.length + typed.length;
  if (r.outcome === 'APPROVED_WITH_CONDITIONS') {
    need(count >= 1, 'conditions', 'APPROVED_WITH_CONDITIONS needs at least one condition');
  } else {
    need(legacy.length === 0, 'conditions', 'are only allowed with APPROVED_WITH_CONDITIONS');
    need(typed.length === 0, 'typedConditions', 'are only allowed with APPROVED_WITH_CONDITIONS');
  }
  need(count <= MAX_CONDITIONS, 'conditions', `at most ${MAX_CONDITIONS}`);
  legacy.forEach((c, i) => {
    need(c.trim().length > 0 && c.length <= MAX_CONDITION_LENGTH, `conditions[${i}]`, `must be 1 to ${MAX_CONDITION_LENGTH} characters`);
  });
  problems.push(...typedConditionProblems(typed));

  const checklist = r.documentsChecklist ?? [];
  if (r.outcome === 'DOCUMENTS_REQUESTED') {
    need(checklist.length <= MAX_CHECKLIST_ITEMS, 'documentsChecklist', `at most ${MAX_CHECKLIST_ITEMS} items`);
    checklist.forEach((c, i) => {
      need(c.trim().length > 0 && c.length <= MAX_CHECKLIST_ITEM_LENGTH, `documentsChecklist[${i}]`, `must be 1 to ${MAX_CHECKLIST_ITEM_LENGTH} characters`);
    });
  } else {
    need(checklist.length === 0, 'documentsChecklist', 'is only allowed with DOCUMENTS_REQUESTED');
    need(r.documentsDueAt == null, 'documentsDueAt', 'is only allowed with DOCUMENTS_REQUESTED');
  }

  problems.push(...approvedTermsProblems(r));
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

/**
 * How long a decision may wait for this subgraph's view of the case (kept
 * from the queue's events) to catch up with the analyst's own last move:
 * "start review" answered, its event still on the bus.
 */
export const CASE_CATCH_UP_MS = 2_000;

/**
 * Whether refusing now might only mean the queue's news has not arrived yet:
 * the case (or its score) is unknown here, or it is shown waiting or assigned
 * to the decider, not yet started. Never when the application is settled,
 * the case is held by someone else, or it is completed: those answers stand.
 * Deciding still needs the case seen IN_PROGRESS with the decider, so waiting
 * only delays a refusal, it never admits a decision.
 */
export function mayBeCatchingUp(facts: Pick<HumanDecisionFacts, 'deciderId' | 'score' | 'reviewCase' | 'alreadyDecided'>): boolean {
  if (facts.alreadyDecided) return false;
  if (!facts.score || !facts.reviewCase) return true;
  const { status, assigneeId } = facts.reviewCase;
  return (status === 'PENDING' || status === 'ASSIGNED') && (assigneeId === null || assigneeId === facts.deciderId);
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
  if (r.outcome === 'DECLINED' && score.reasonCodes.length === 0) {
    // A decline names its principal reasons, and only factors the model scored may be named; this score has none that raised the risk.
    problems.push({
      field: 'outcome',
      problem:
        'a decline must name its principal reasons from the scored factors, and no factor of this score raised the risk: request documents, or approve',
    });
  }
  const terms = isApproval(r.outcome) ? approvedTermsFor(r, { amount: score.loanAmount, termMonths: score.termMonths }, problems) : null;
  const documentsRequest = r.outcome === 'DOCUMENTS_REQUESTED' ? documentsRequestFor(r, now, problems) : null;
  if (problems.length) {
    return refuse('BAD_USER_INPUT', `Invalid decision: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`, problems);
  }

  return {
    ok: true,
    plan: {
      outcome: r.outcome,
      reasoning: r.reasoning.trim(),
      conditions: isApproval(r.outcome) ? plannedConditions(r) : [],
      approvedTerms: terms,
      monthlyInstalment: terms ? monthlyInstalment(terms.amount, terms.termMonths) : null,
      documentsRequest,
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

/**
 * What an approval grants: the requested terms unless the analyst set terms
 * or a REDUCED_AMOUNT / REDUCED_TERM condition. A reduction must be below
 * what was requested, and explicit terms must agree with it. Problems are
 * appended to `problems`; the result is meaningless when any were added.
 */
export function approvedTermsFor(
  r: DecisionRequest,
  requested: { amount: number; termMonths: number },
  problems: FieldProblem[],
): { amount: number; termMonths: number } {
  const typed = r.typedConditions ?? [];
  const reducedAmount = typed.findIndex((c) => c.kind === 'REDUCED_AMOUNT');
  const reducedTerm = typed.findIndex((c) => c.kind === 'REDUCED_TERM');
  // An approval without explicit terms grants what was asked for.
  const terms = { ...(r.approvedTerms ?? requested) };
  if (terms.amount > requested.amount) {
    problems.push({ field: 'approvedTerms.amount', problem: `must not exceed the requested amount ${requested.amount.toFixed(2)}` });
  }
  if (reducedAmount >= 0) {
    const amount = typed[reducedAmount].amount ?? 0;
    if (amount >= requested.amount) {
      problems.push({ field: `typedConditions[${reducedAmount}].amount`, problem: `must be below the requested amount ${requested.amount.toFixed(2)}` });
    }
    if (r.approvedTerms && r.approvedTerms.amount !== amount) {
      problems.push({ field: 'approvedTerms.amount', problem: 'must equal the REDUCED_AMOUNT condition' });
    }
    terms.amount = amount;
  }
  if (reducedTerm >= 0) {
    const termMonths = typed[reducedTerm].termMonths ?? 0;
    if (termMonths >= requested.termMonths) {
      problems.push({ field: `typedConditions[${reducedTerm}].termMonths`, problem: `must be below the requested term of ${requested.termMonths} months` });
    }
    if (r.approvedTerms && r.approvedTerms.termMonths !== termMonths) {
      problems.push({ field: 'approvedTerms.termMonths', problem: 'must equal the REDUCED_TERM condition' });
    }
    terms.termMonths = termMonths;
  }
  return terms;
}

/**
 * What an approval with these typed conditions and terms would grant and quote, computed as a decision
 * would compute it (the same checks of the conditions and terms, approvedTermsFor, monthlyInstalment): the
 * workbench's preview before the analyst sends the decision. Problems instead when the decision would
 * refuse these terms.
 */
export function previewApprovalTerms(
  r: Pick<DecisionRequest, 'typedConditions' | 'approvedTerms'>,
  requested: { amount: number; termMonths: number },
): { ok: true; terms: { amount: number; termMonths: number }; monthlyInstalment: number } | { ok: false; problems: FieldProblem[] } {
  const typedConditions = r.typedConditions ?? [];
  const request: DecisionRequest = {
    outcome: typedConditions.length ? 'APPROVED_WITH_CONDITIONS' : 'APPROVED',
    reasoning: '',
    typedConditions,
    approvedTerms: r.approvedTerms ?? null,
  };
  // The decision's checks of its conditions and terms; reasoning and the like are the decision's, not the preview's.
  const problems = [...typedConditionProblems(typedConditions), ...approvedTermsProblems(request)];
  const terms = approvedTermsFor(request, requested, problems);
  if (problems.length) return { ok: false, problems };
  return { ok: true, terms, monthlyInstalment: monthlyInstalment(terms.amount, terms.termMonths) };
}

/** Typed conditions first, then the free-text ones as OTHER; reductions get a description if they lack one. */
export function plannedConditions(r: DecisionRequest): PlannedCondition[] {
  const typed = (r.typedConditions ?? []).map((c): PlannedCondition => {
    const text = c.description?.trim() ?? '';
    const amount = c.kind === 'REDUCED_AMOUNT' ? (c.amount ?? null) : null;
    const termMonths = c.kind === 'REDUCED_TERM' ? (c.termMonths ?? null) : null;
    const fallback = amount != null ? `Amount reduced to ${amount.toFixed(2)}` : termMonths != null ? `Term reduced to ${termMonths} months` : '';
    return { kind: c.kind, description: text || fallback, amount, termMonths };
  });
  const other = (r.conditions ?? []).map((c): PlannedCondition => ({ kind: 'OTHER', description: c.trim(), amount: null, termMonths: null }));
  return [...typed, ...other];
}

/** The checklist (trimmed) and the due date: in the future, at most 90 days out, two weeks when not given. */
export function documentsRequestFor(r: DecisionRequest, now: Date, problems: FieldProblem[]): DocumentsRequest {
  const dueAt = r.documentsDueAt ?? new Date(now.getTime() + DEFAULT_DOCUMENTS_DUE_DAYS * DAY_MS);
  if (dueAt.getTime() <= now.getTime()) problems.push({ field: 'documentsDueAt', problem: 'must be in the future' });
  if (dueAt.getTime() > now.getTime() + MAX_DOCUMENTS_DUE_DAYS * DAY_MS) {
    problems.push({ field: 'documentsDueAt', problem: `must be within ${MAX_DOCUMENTS_DUE_DAYS} days` });
  }
  return { checklist: (r.documentsChecklist ?? []).map((c) => c.trim()), dueAt };
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
    monthlyInstalment: approved ? monthlyInstalment(score.loanAmount, score.termMonths) : null,
    documentsRequest: null,
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
