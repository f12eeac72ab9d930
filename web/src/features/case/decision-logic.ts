import type { DecisionOutcome, QueueEntryStatus, SubmitDecisionInput } from '../../graphql/types';

export const OUTCOMES: { value: DecisionOutcome; label: string }[] = [
  { value: 'APPROVED', label: 'Approve' },
  { value: 'APPROVED_WITH_CONDITIONS', label: 'Approve with conditions' },
  { value: 'DECLINED', label: 'Decline' },
  { value: 'DOCUMENTS_REQUESTED', label: 'Request documents' },
];

export const MIN_REASONING = 20;
export const MIN_OVERRIDE_JUSTIFICATION = 50;

/** A decision against the model: approving what it would decline, or declining what it would approve. */
export function isOverride(modelRecommendation: string | null | undefined, outcome: DecisionOutcome): boolean {
  const rec = modelRecommendation?.toUpperCase();
  if (rec === 'APPROVE') return outcome === 'DECLINED';
  if (rec === 'DECLINE') return outcome === 'APPROVED' || outcome === 'APPROVED_WITH_CONDITIONS';
  return false;
}

export interface DecisionDraft {
  outcome: DecisionOutcome;
  reasoning: string;
  overrideJustification: string;
  conditions: string;
}

export interface DecisionValidation {
  reasoning?: string;
  overrideJustification?: string;
}

export function validateDecision(draft: DecisionDraft, override: boolean): DecisionValidation {
  const errors: DecisionValidation = {};
  if (draft.reasoning.trim().length < MIN_REASONING) {
    errors.reasoning = `Reasoning must be at least ${MIN_REASONING} characters.`;
  }
  if (override && draft.overrideJustification.trim().length < MIN_OVERRIDE_JUSTIFICATION) {
    errors.overrideJustification = `An override needs a justification of at least ${MIN_OVERRIDE_JUSTIFICATION} characters.`;
  }
  return errors;
}

export function buildDecisionInput(
  applicationId: string,
  draft: DecisionDraft,
  override: boolean,
): SubmitDecisionInput {
  const input: SubmitDecisionInput = {
    applicationId,
    outcome: draft.outcome,
    reasoning: draft.reasoning.trim(),
  };
  if (draft.outcome === 'APPROVED_WITH_CONDITIONS') {
    const conditions = draft.conditions
      .split('\n')
      .map((c) => c.trim())
      .filter(Boolean);
    if (conditions.length) input.conditions = conditions;
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
