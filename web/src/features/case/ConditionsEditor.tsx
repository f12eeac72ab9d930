import type { DecisionConditionKind } from '../../graphql/types';
import { formatMoney } from '../../lib/format';
import { CONDITION_KINDS, type ConditionDraft, type ConditionProblems, isReduction, MAX_CONDITIONS, type RequestedTerms } from './decision-logic';

interface ConditionsEditorProps {
  conditions: ConditionDraft[];
  onChange: (conditions: ConditionDraft[]) => void;
  requested: RequestedTerms | null;
  currency: string;
  error?: string;
  problems?: Record<number, ConditionProblems>;
}

/** Typed conditions of an approval: one row per condition, the fields its kind needs. */
export function ConditionsEditor({ conditions, onChange, requested, currency, error, problems = {} }: ConditionsEditorProps) {
  const nextKey = conditions.reduce((max, c) => Math.max(max, c.key), 0) + 1;
  const add = () => onChange([...conditions, { key: nextKey, kind: 'DOCUMENTATION', description: '', amount: '', termMonths: '' }]);
  const update = (key: number, patch: Partial<ConditionDraft>) => onChange(conditions.map((c) => (c.key === key ? { ...c, ...patch } : c)));
  const remove = (key: number) => onChange(conditions.filter((c) => c.key !== key));

  return (
    <div className="sub-editor" data-testid="conditions-editor">
      <div className="sub-editor-head">
        <span className="sub-editor-title">Conditions</span>
        <span className="muted small">{conditions.length === 0 ? 'none yet' : `${conditions.length} of ${MAX_CONDITIONS} max`}</span>
      </div>
      {conditions.map((c, index) => {
        const p = problems[c.key] ?? {};
        const kind = CONDITION_KINDS.find((k) => k.value === c.kind);
        return (
          <div className="condition-row" key={c.key} data-testid="condition-row" data-kind={c.kind}>
            <div className="condition-line">
              <select
                aria-label={`Condition ${index + 1} kind`}
                value={c.kind}
                onChange={(e) => update(c.key, { kind: e.target.value as DecisionConditionKind })}
                data-testid="condition-kind"
              >
                {CONDITION_KINDS.map((k) => (
                  <option key={k.value} value={k.value}>
                    {k.label}
                  </option>
                ))}
              </select>
              {c.kind === 'REDUCED_AMOUNT' && (
                <input
                  type="number"
                  min={1}
                  step="0.01"
                  inputMode="decimal"
                  aria-label="Amount to grant"
                  placeholder={requested ? `below ${formatMoney(requested.amount, currency)}` : 'Amount'}
                  value={c.amount}
                  onChange={(e) => update(c.key, { amount: e.target.value })}
                  aria-invalid={!!p.amount}
                  data-testid="condition-amount"
                />
              )}
              {c.kind === 'REDUCED_TERM' && (
                <input
                  type="number"
                  min={1}
                  step={1}
                  aria-label="Term to grant in months"
                  placeholder={requested ? `months, below ${requested.termMonths}` : 'Months'}
                  value={c.termMonths}
                  onChange={(e) => update(c.key, { termMonths: e.target.value })}
                  aria-invalid={!!p.termMonths}
                  data-testid="condition-term"
                />
              )}
              <button
                type="button"
                className="ghost small icon"
                onClick={() => remove(c.key)}
                aria-label={`Remove condition ${index + 1}`}
                data-testid="condition-remove"
              >
                ✕
              </button>
            </div>
            <input
              type="text"
              aria-label={`Condition ${index + 1} description`}
              placeholder={kind?.placeholder}
              value={c.description}
              onChange={(e) => update(c.key, { description: e.target.value })}
              aria-invalid={!!p.description}
              data-testid="condition-description"
            />
            {(p.amount || p.termMonths || p.description) && (
              <div className="field-error" data-testid="condition-error">
                {[p.amount, p.termMonths, p.description].filter(Boolean).join(' ')}
              </div>
            )}
            {isReduction(c.kind) && !p.amount && !p.termMonths && (
              <div className="hint small">The approved terms and the new instalment are quoted below, as the decision will store them.</div>
            )}
          </div>
        );
      })}
      {error && (
        <div className="field-error" data-testid="conditions-error">
          {error}
        </div>
      )}
      <button type="button" className="small" onClick={add} disabled={conditions.length >= MAX_CONDITIONS} data-testid="add-condition">
        + Add condition
      </button>
    </div>
  );
}
