import type { ConditionInput, DecisionConditionKind, DecisionOutcome, QueueEntryStatus, SubmitDecisionInput } from '../../graphql/types';

export const OUTCOMES: { value: DecisionOutcome; label: string }[] = [
  { value: 'APPROVED', label: 'Approve' },
  { value: 'APPROVED_WITH_CONDITIONS', label: 'Approve with conditions' },
  { value: 'DECLINED', label: 'Decline' },
  { value: 'DOCUMENTS_REQUESTED', label: 'Request documents' },
];

// The server's rules (subgraphs/decisions/src/domain/decision-rules.ts), checked here first so
// the analyst sees every problem at once; the server checks them again.
export const MIN_REASONING = 20;
export const MIN_OVERRIDE_JUSTIFICATION = 50;
export const MAX_CONDITIONS = 20;
export const MAX_CONDITION_LENGTH = 500;
export const MAX_CHECKLIST_ITEMS = 20;
export const MAX_CHECKLIST_ITEM_LENGTH = 200;
export const DEFAULT_DOCUMENTS_DUE_DAYS = 14;
/** The server accepts a due date at most 90 days out; the end of day 89 is always inside it. */
export const MAX_DOCUMENTS_DUE_DAYS = 89;

export const CONDITION_KINDS: { value: DecisionConditionKind; label: string; placeholder: string }[] = [
  { value: 'DOCUMENTATION', label: 'Documentation', placeholder: 'e.g. Signed employment contract before disbursement' },
  { value: 'COLLATERAL', label: 'Collateral', placeholder: 'e.g. First-rank lien on the financed vehicle' },
  { value: 'GUARANTOR', label: 'Guarantor', placeholder: 'e.g. Co-signature of a guarantor with own income' },
  { value: 'REDUCED_AMOUNT', label: 'Reduced amount', placeholder: 'Optional note' },
  { value: 'REDUCED_TERM', label: 'Reduced term', placeholder: 'Optional note' },
  { value: 'OTHER', label: 'Other', placeholder: 'What is required' },
];

/** Documents analysts ask for most; anything else can be added by hand. */
export const COMMON_DOCUMENTS = [
  'Last 3 payslips',
  'Bank statements (last 3 months)',
  'Proof of identity',
  'Proof of address',
  'Employment contract',
  'Latest tax return',
];

export const isReduction = (kind: DecisionConditionKind) => kind === 'REDUCED_AMOUNT' || kind === 'REDUCED_TERM';

/** A decision against the model: approving what it would decline, or declining what it would approve. */
export function isOverride(modelRecommendation: string | null | undefined, outcome: DecisionOutcome): boolean {
  const rec = modelRecommendation?.toUpperCase();
  if (rec === 'APPROVE') return outcome === 'DECLINED';
  if (rec === 'DECLINE') return outcome === 'APPROVED' || outcome === 'APPROVED_WITH_CONDITIONS';
  return false;
}

/** One row of the conditions editor; numbers stay strings until sent so the inputs keep what was typed. */
export interface ConditionDraft {
  key: number;
  kind: DecisionConditionKind;
  description: string;
  amount: string;
  termMonths: string;
}

export interface DecisionDraft {
  outcome: DecisionOutcome;
  reasoning: string;
  overrideJustification: string;
  conditions: ConditionDraft[];
  /** The documents checklist, in the order it will be sent. */
  documents: string[];
  /** yyyy-mm-dd, local calendar day; due at its end. */
  documentsDueDate: string;
}

export interface ConditionProblems {
  description?: string;
  amount?: string;
  termMonths?: string;
}

export interface DecisionValidation {
  reasoning?: string;
  overrideJustification?: string;
  /** About the conditions as a whole (none, too many, two reductions of a kind). */
  conditions?: string;
  /** By ConditionDraft.key. */
  conditionProblems?: Record<number, ConditionProblems>;
  documents?: string;
  documentsDueDate?: string;
}

export interface RequestedTerms {
  amount: number;
  termMonths: number;
}

export const hasProblems = (v: DecisionValidation) =>
  Object.entries(v).some(([key, value]) => (key === 'conditionProblems' ? Object.keys(value ?? {}).length > 0 : value !== undefined));

const pad = (n: number) => String(n).padStart(2, '0');

/** A local calendar day as yyyy-mm-dd (what <input type="date"> holds). */
export function toDateInput(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function addDays(date: Date, days: number): Date {
  const d = new Date(date);
  d.setDate(d.getDate() + days);
  return d;
}

const endOfLocalDay = (date: Date) => new Date(date.getFullYear(), date.getMonth(), date.getDate(), 23, 59, 59);

/** The end (23:59:59 local) of a yyyy-mm-dd day; null if it is not a date. */
export function endOfDay(day: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59);
  return d.getMonth() === Number(m[2]) - 1 ? d : null;
}

export function emptyDraft(now: Date = new Date()): DecisionDraft {
  return {
    outcome: 'APPROVED',
    reasoning: '',
    overrideJustification: '',
    conditions: [],
    documents: [],
    documentsDueDate: toDateInput(addDays(now, DEFAULT_DOCUMENTS_DUE_DAYS)),
  };
}

function conditionProblems(c: ConditionDraft, requested: RequestedTerms | null): ConditionProblems {
  const problems: ConditionProblems = {};
  const text = c.description.trim();
  if (!isReduction(c.kind) && text.length === 0) problems.description = 'Say what is required.';
  if (c.description.length > MAX_CONDITION_LENGTH) problems.description = `At most ${MAX_CONDITION_LENGTH} characters.`;
  if (c.kind === 'REDUCED_AMOUNT') {
    const amount = Number(c.amount);
    if (c.amount.trim() === '' || !Number.isFinite(amount) || amount <= 0) problems.amount = 'Enter the amount to grant.';
    else if (requested && amount >= requested.amount) problems.amount = 'Must be below the requested amount.';
  }
  if (c.kind === 'REDUCED_TERM') {
    const term = Number(c.termMonths);
    if (!Number.isInteger(term) || term < 1) problems.termMonths = 'Enter a whole number of months.';
    else if (requested && term >= requested.termMonths) problems.termMonths = 'Must be below the requested term.';
  }
  return problems;
}

export function validateDecision(draft: DecisionDraft, override: boolean, requested: RequestedTerms | null = null, now: Date = new Date()): DecisionValidation {
  const errors: DecisionValidation = {};
  if (draft.reasoning.trim().length < MIN_REASONING) {
    errors.reasoning = `Reasoning must be at least ${MIN_REASONING} characters.`;
  }
  if (override && draft.overrideJustification.trim().length < MIN_OVERRIDE_JUSTIFICATION) {
    errors.overrideJustification = `An override needs a justification of at least ${MIN_OVERRIDE_JUSTIFICATION} characters.`;
  }
  if (draft.outcome === 'APPROVED_WITH_CONDITIONS') {
    const kinds = draft.conditions.map((c) => c.kind);
    if (draft.conditions.length === 0) errors.conditions = 'Add at least one condition.';
    else if (draft.conditions.length > MAX_CONDITIONS) errors.conditions = `At most ${MAX_CONDITIONS} conditions.`;
    else if (kinds.filter((k) => k === 'REDUCED_AMOUNT').length > 1) errors.conditions = 'Only one reduced amount.';
    else if (kinds.filter((k) => k === 'REDUCED_TERM').length > 1) errors.conditions = 'Only one reduced term.';
    const perCondition: Record<number, ConditionProblems> = {};
    for (const c of draft.conditions) {
      const problems = conditionProblems(c, requested);
      if (Object.keys(problems).length) perCondition[c.key] = problems;
    }
    if (Object.keys(perCondition).length) errors.conditionProblems = perCondition;
  }
  if (draft.outcome === 'DOCUMENTS_REQUESTED') {
    if (draft.documents.length === 0) errors.documents = 'Choose or add at least one document.';
    else if (draft.documents.length > MAX_CHECKLIST_ITEMS) errors.documents = `At most ${MAX_CHECKLIST_ITEMS} documents.`;
    const due = endOfDay(draft.documentsDueDate);
    if (!due) errors.documentsDueDate = 'Pick a due date.';
    else if (due.getTime() <= endOfLocalDay(now).getTime()) errors.documentsDueDate = 'The due date must be after today.';
    else if (due.getTime() > endOfLocalDay(addDays(now, MAX_DOCUMENTS_DUE_DAYS)).getTime()) {
      errors.documentsDueDate = `The due date must be within ${MAX_DOCUMENTS_DUE_DAYS} days.`;
    }
  }
  return errors;
}

function conditionInput(c: ConditionDraft): ConditionInput {
  const input: ConditionInput = { kind: c.kind };
  const text = c.description.trim();
  if (text) input.description = text;
  if (c.kind === 'REDUCED_AMOUNT') input.amount = Number(c.amount).toFixed(2);
  if (c.kind === 'REDUCED_TERM') input.termMonths = Number(c.termMonths);
  return input;
}

/**
 * The reductions among the drafts, as the server takes them, for the terms preview: only those with a
 * number entered (the server judges the rest, as it will on submit); null when there are none.
 */
export function reductionInputs(conditions: ConditionDraft[]): ConditionInput[] | null {
  const entered = conditions.filter(
    (c) => (c.kind === 'REDUCED_AMOUNT' && Number(c.amount) > 0) || (c.kind === 'REDUCED_TERM' && Number.isInteger(Number(c.termMonths)) && Number(c.termMonths) > 0),
  );
  // Without their notes: typing a note changes nothing in the terms, so it asks the server nothing.
  return entered.length ? entered.map((c) => ({ ...conditionInput(c), description: undefined })) : null;
}

export function buildDecisionInput(applicationId: string, draft: DecisionDraft, override: boolean): SubmitDecisionInput {
  const input: SubmitDecisionInput = {
    applicationId,
    outcome: draft.outcome,
    reasoning: draft.reasoning.trim(),
  };
  if (draft.outcome === 'APPROVED_WITH_CONDITIONS') input.typedConditions = draft.conditions.map(conditionInput);
  if (draft.outcome === 'DOCUMENTS_REQUESTED') {
    input.documentsChecklist = draft.documents;
    const due = endOfDay(draft.documentsDueDate);
    if (due) input.documentsDueAt = due.toISOString();
  }
  if (override) input.overrideJustification = draft.overrideJustification.trim();
  return input;
}

/** Which case actions the queue entry's status allows. */
export function allowedActions(status: QueueEntryStatus | null | undefined) {
  return {
    assign: status === 'PENDING',
    start: status === 'ASSIGNED',
    release: status === 'ASSIGNED' || status === 'IN_PROGRESS',
    decide: status === 'IN_PROGRESS',
  };
}
