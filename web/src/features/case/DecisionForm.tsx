import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { SUBMIT_DECISION } from '../../graphql/operations';
import type { Decision, DecisionOutcome } from '../../graphql/types';
import { humanize } from '../../lib/format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import {
  buildDecisionInput,
  type DecisionDraft,
  type DecisionValidation,
  isOverride,
  MIN_OVERRIDE_JUSTIFICATION,
  MIN_REASONING,
  OUTCOMES,
  validateDecision,
} from './decision-logic';

interface DecisionFormProps {
  applicationId: string;
  modelRecommendation: string | null;
  /** False unless the review is in progress. */
  enabled: boolean;
  disabledReason?: string;
  onDecided: (decision: Decision) => void;
}

export function DecisionForm({ applicationId, modelRecommendation, enabled, disabledReason, onDecided }: DecisionFormProps) {
  const [draft, setDraft] = useState<DecisionDraft>({
    outcome: 'APPROVED',
    reasoning: '',
    overrideJustification: '',
    conditions: '',
  });
  const [errors, setErrors] = useState<DecisionValidation>({});
  const [result, submitDecision] = useMutation(SUBMIT_DECISION);
  const override = isOverride(modelRecommendation, draft.outcome);

  function update<K extends keyof DecisionDraft>(key: K, value: DecisionDraft[K]) {
    setDraft((d) => ({ ...d, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined }));
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!enabled) return;
    const validation = validateDecision(draft, override);
    setErrors(validation);
    if (validation.reasoning || validation.overrideJustification) return;
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
          <select
            value={draft.outcome}
            onChange={(e) => update('outcome', e.target.value as DecisionOutcome)}
            data-testid="decision-outcome"
          >
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

        {draft.outcome === 'APPROVED_WITH_CONDITIONS' && (
          <label>
            Conditions <span className="muted">(one per line)</span>
            <textarea
              rows={2}
              value={draft.conditions}
              onChange={(e) => update('conditions', e.target.value)}
              data-testid="decision-conditions"
            />
          </label>
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
              This outcome goes against the model's recommendation. A senior analyst must approve the override
              before it takes effect.
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
