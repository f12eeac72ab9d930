import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { SUBMIT_DECISION } from '../../graphql/operations';
import type { Decision, DecisionOutcome, Money, ReasonCode } from '../../graphql/types';
import { formatMoney, humanize } from '../../lib/format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { ConditionsEditor } from './ConditionsEditor';
import { DocumentsRequestEditor } from './DocumentsRequestEditor';
import { TermsPreview } from './TermsPreview';
import {
  buildDecisionInput,
  type DecisionDraft,
  type DecisionValidation,
  emptyDraft,
  hasProblems,
  isOverride,
  MIN_OVERRIDE_JUSTIFICATION,
  MIN_REASONING,
  OUTCOMES,
  validateDecision,
} from './decision-logic';

/** What the applicant asked for, with the server's instalment for it (DerivedRatios.monthlyInstalment). */
export interface RequestedLoan {
  amount: Money;
  termMonths: number;
  currency: string;
  monthlyInstalment: Money;
}

interface DecisionFormProps {
  applicationId: string;
  modelRecommendation: string | null;
  requested?: RequestedLoan | null;
  /** The score's reason codes: a decline keeps them. */
  reasonCodes?: ReasonCode[];
  /** False unless the review is in progress. */
  enabled: boolean;
  disabledReason?: string;
  onDecided: (decision: Decision) => void;
}

export function DecisionForm({
  applicationId,
  modelRecommendation,
  requested = null,
  reasonCodes = [],
  enabled,
  disabledReason,
  onDecided,
}: DecisionFormProps) {
  const [draft, setDraft] = useState<DecisionDraft>(() => emptyDraft());
  const [errors, setErrors] = useState<DecisionValidation>({});
  const [result, submitDecision] = useMutation(SUBMIT_DECISION);
  const override = isOverride(modelRecommendation, draft.outcome);
  const currency = requested?.currency ?? 'EUR';
  // Every score carries its principal reasons (scoring-events.ts): any decline keeps them, an analyst's included.
  const reasonCodesKept = reasonCodes.length > 0;
  const requestedTerms = requested ? { amount: Number(requested.amount), termMonths: requested.termMonths } : null;

  function update<K extends keyof DecisionDraft>(key: K, value: DecisionDraft[K]) {
    setDraft((d) => ({ ...d, [key]: value }));
    // Editing a field clears its error; the conditions' errors go with any edit of the conditions.
    setErrors((e) => ({
      ...e,
      [key]: undefined,
      ...(key === 'conditions' ? { conditionProblems: undefined } : {}),
      ...(key === 'documentsDueDate' ? { documentsDueDate: undefined } : {}),
    }));
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!enabled) return;
    const validation = validateDecision(draft, override, requestedTerms);
    setErrors(validation);
    if (hasProblems(validation)) return;
    const res = await submitDecision({ input: buildDecisionInput(applicationId, draft, override) });
    const decision = res.data?.submitDecision.decision;
    if (decision && !res.error) onDecided(decision);
  }

  const reasoningLength = draft.reasoning.trim().length;
  const justificationLength = draft.overrideJustification.trim().length;

  return (
    <form className="panel decision-form" onSubmit={onSubmit} noValidate data-testid="decision-form" aria-disabled={!enabled}>
      <h3>Decision</h3>
      {!enabled && disabledReason && <p className="muted">{disabledReason}</p>}
      <fieldset disabled={!enabled || result.fetching}>
        <label>
          Outcome
          <select value={draft.outcome} onChange={(e) => update('outcome', e.target.value as DecisionOutcome)} data-testid="decision-outcome">
            {OUTCOMES.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        {modelRecommendation && (
          <p className="hint">
            Model recommends <strong>{humanize(modelRecommendation)}</strong>
            {override && <span className="override-flag"> — this decision is an override</span>}
          </p>
        )}

        {draft.outcome === 'APPROVED' && requested && (
          <div className="terms-summary" data-testid="approved-terms">
            Grants the requested <strong>{formatMoney(requested.amount, currency)}</strong> over <strong>{requested.termMonths} months</strong> · instalment{' '}
            {formatMoney(requested.monthlyInstalment, currency, 2)}
            /month
          </div>
        )}

        {draft.outcome === 'APPROVED_WITH_CONDITIONS' && (
          <ConditionsEditor
            conditions={draft.conditions}
            onChange={(conditions) => update('conditions', conditions)}
            requested={requestedTerms}
            currency={currency}
            error={errors.conditions}
            problems={errors.conditionProblems}
          />
        )}
        {draft.outcome === 'APPROVED_WITH_CONDITIONS' && <TermsPreview applicationId={applicationId} conditions={draft.conditions} currency={currency} />}

        {draft.outcome === 'DECLINED' && (
          <div className="sub-editor" data-testid="decline-reason-codes" data-kept={reasonCodesKept}>
            <div className="sub-editor-head">
              <span className="sub-editor-title">{reasonCodesKept ? 'Reason codes kept with the decline' : "The model's reasons"}</span>
            </div>
            {reasonCodes.length > 0 ? (
              <ul className="reason-codes">
                {reasonCodes.map((rc) => (
                  <li key={rc.code}>
                    <code>{rc.code}</code> {rc.description}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted small">The score gives no reason codes.</p>
            )}
            <p className="hint small">
              {reasonCodesKept
                ? 'These are quoted to the applicant in the decline notice.'
                : 'The score names no factor that raised the risk: state the reasons for the notice in your reasoning.'}
            </p>
          </div>
        )}

        {draft.outcome === 'DOCUMENTS_REQUESTED' && (
          <DocumentsRequestEditor
            documents={draft.documents}
            dueDate={draft.documentsDueDate}
            onDocumentsChange={(documents) => update('documents', documents)}
            onDueDateChange={(day) => update('documentsDueDate', day)}
            documentsError={errors.documents}
            dueDateError={errors.documentsDueDate}
          />
        )}

        <label>
          Reasoning
          <textarea
            rows={4}
            value={draft.reasoning}
            onChange={(e) => update('reasoning', e.target.value)}
            aria-invalid={!!errors.reasoning}
            data-testid="decision-reasoning"
          />
          <span className={reasoningLength >= MIN_REASONING ? 'counter ok' : 'counter'}>
            {reasoningLength}/{MIN_REASONING} min
          </span>
        </label>
        {errors.reasoning && (
          <div className="field-error" data-testid="reasoning-error">
            {errors.reasoning}
          </div>
        )}

        {override && (
          <div className="override-box" data-testid="override-section">
            <p className="override-note">
              This outcome goes against the model's recommendation. A senior analyst must approve the override before it takes effect.
            </p>
            <label>
              Override justification
              <textarea
                rows={4}
                value={draft.overrideJustification}
                onChange={(e) => update('overrideJustification', e.target.value)}
                aria-invalid={!!errors.overrideJustification}
                data-testid="override-justification"
              />
              <span className={justificationLength >= MIN_OVERRIDE_JUSTIFICATION ? 'counter ok' : 'counter'}>
                {justificationLength}/{MIN_OVERRIDE_JUSTIFICATION} min
              </span>
            </label>
            {errors.overrideJustification && (
              <div className="field-error" data-testid="override-error">
                {errors.overrideJustification}
              </div>
            )}
          </div>
        )}

        {result.error && <ErrorMessage error={result.error} testId="decision-error" />}
        <button type="submit" className="primary" data-testid="submit-decision">
          {result.fetching ? 'Submitting…' : 'Submit decision'}
        </button>
      </fieldset>
    </form>
  );
}
