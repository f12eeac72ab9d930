import { useState } from 'react';
import { type CombinedError, useMutation } from 'urql';
import { FULFIL_CONDITION } from '../../graphql/operations';
import type { ChecklistItemState, Decision, DecisionCondition } from '../../graphql/types';
import { formatDateTime, formatMoney, humanize } from '../../lib/format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { conditionLock } from './case-decisions';

/** How each checklist item reads in the case view (ChecklistItemState). */
const ITEM_STATE: Record<ChecklistItemState, { tick: string; tickClass: string; label: string }> = {
  REQUESTED: { tick: '○', tickClass: 'tick', label: 'requested' },
  RECEIVED: { tick: '✓', tickClass: 'tick tick-done', label: 'received' },
  MISSING: { tick: '!', tickClass: 'tick tick-missing', label: 'not sent' },
  UNMATCHED: { tick: '?', tickClass: 'tick', label: 'answered, not itemised' },
};

/** What the applicant was asked for, item by item, and what came back. */
export function DocumentsPanel({ decision }: { decision: Decision }) {
  const request = decision.documentsRequest;
  if (!request) return null;
  const received = request.answeredAt !== null;
  return (
    <section className="panel" data-testid="documents-panel" data-state={received ? 'received' : 'requested'}>
      <div className="panel-head">
        <h3>Documents</h3>
        {received ? (
          <span className="badge badge-good">Received {formatDateTime(request.answeredAt)}</span>
        ) : (
          <span className="badge badge-warn">Waiting on applicant · due {formatDateTime(request.dueAt)}</span>
        )}
      </div>
      <ul className="checklist-state">
        {request.items.map(({ item, state }) => {
          const look = ITEM_STATE[state];
          return (
            <li key={item} data-testid="documents-item" data-state={state.toLowerCase()}>
              <span className={look.tickClass} aria-hidden="true">
                {look.tick}
              </span>
              <span>{item}</span>
              <span className="muted small">{look.label}</span>
            </li>
          );
        })}
        {request.items.length === 0 && <li className="muted">No checklist given.</li>}
      </ul>
      {received && request.submittedDocuments.length > 0 && (
        <>
          <h4>Sent by the partner</h4>
          <ul className="submitted-docs" data-testid="submitted-documents">
            {request.submittedDocuments.map((doc) => (
              <li key={`${doc.kind}/${doc.name}`}>
                {doc.url ? (
                  <a href={doc.url} target="_blank" rel="noreferrer">
                    {doc.name}
                  </a>
                ) : (
                  doc.name
                )}{' '}
                <span className="badge badge-muted">{humanize(doc.kind)}</span>
                {doc.checklistItem && <span className="muted small"> for {doc.checklistItem}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="muted small">
        Requested {formatDateTime(decision.decidedAt)}
        {decision.decidedBy ? ` by ${decision.decidedBy.name}` : ''}
      </p>
    </section>
  );
}

/** The conditions of an approval with their fulfilment; the assignee or a senior marks them met. */
export function ConditionsPanel({
  decision,
  currency,
  canDecide,
  onChanged,
}: {
  decision: Decision;
  currency: string;
  canDecide: boolean;
  onChanged: () => void;
}) {
  const [state, fulfil] = useMutation(FULFIL_CONDITION);
  const [error, setError] = useState<CombinedError | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const lock = conditionLock(decision, canDecide);
  const met = decision.typedConditions.filter((c) => c.fulfilled).length;

  async function markMet(condition: DecisionCondition) {
    setError(null);
    setBusyId(condition.id);
    const res = await fulfil({ decisionId: decision.id, conditionId: condition.id });
    setBusyId(null);
    if (res.error) setError(res.error);
    else onChanged();
  }

  return (
    <section className="panel" data-testid="conditions-panel">
      <div className="panel-head">
        <h3>Conditions</h3>
        <span className={met === decision.typedConditions.length ? 'badge badge-good' : 'badge badge-neutral'} data-testid="conditions-progress">
          {met} of {decision.typedConditions.length} met
        </span>
      </div>
      <ul className="condition-list">
        {decision.typedConditions.map((c) => (
          <li key={c.id} data-testid="condition-item" data-fulfilled={c.fulfilled}>
            <span className={c.fulfilled ? 'tick tick-done' : 'tick'} aria-hidden="true">
              {c.fulfilled ? '✓' : '○'}
            </span>
            <span className="condition-text">
              <span className="badge badge-info">{humanize(c.kind)}</span> {c.description}
              {c.fulfilled && (
                <span className="muted small">
                  {' '}
                  · met {formatDateTime(c.fulfilledAt)}
                  {c.fulfilledBy ? ` by ${c.fulfilledBy.name}` : ''}
                </span>
              )}
            </span>
            {!c.fulfilled && !lock && (
              <button type="button" className="small" disabled={state.fetching} onClick={() => markMet(c)} data-testid="fulfil-condition">
                {busyId === c.id ? 'Saving…' : 'Mark met'}
              </button>
            )}
          </li>
        ))}
      </ul>
      {lock && canDecide && (
        <p className="muted small" data-testid="conditions-lock">
          {lock}
        </p>
      )}
      {decision.approvedTerms && (
        <p className="muted small">
          Approved terms {formatMoney(decision.approvedTerms.amount, currency)} over {decision.approvedTerms.termMonths} months
          {decision.monthlyInstalment ? ` · instalment ${formatMoney(decision.monthlyInstalment, currency, 2)}/month` : ''}
        </p>
      )}
      {error && <ErrorMessage error={error} testId="conditions-error" />}
    </section>
  );
}
