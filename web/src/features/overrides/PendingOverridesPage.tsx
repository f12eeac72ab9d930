import { Fragment, useState } from 'react';
import { type CombinedError, useMutation, useQuery } from 'urql';
import { useSession } from '../../auth/session';
import { APPROVE_OVERRIDE, OVERRIDE_CASE, PENDING_OVERRIDES, REJECT_OVERRIDE } from '../../graphql/operations';
import type { PendingOverride } from '../../graphql/types';
import { useNow } from '../../lib/clock';
import { formatAgo, formatDateTime, formatMoney, formatPercent, humanize } from '../../lib/format';
import { casePath } from '../../lib/router';
import { RecommendationBadge, StatusBadge } from '../../ui/Badge';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { canReviewOverrides, MIN_REJECTION_REASON, OVERRIDE_DIRECTION_LABEL, rejectionReasonProblem } from './override-logic';

const PAGE_SIZE = 50;

export function PendingOverridesPage() {
  const user = useSession()?.user;
  if (!canReviewOverrides(user?.permissions)) {
    return (
      <div className="page">
        <div className="page-head">
          <h2>Pending overrides</h2>
        </div>
        <div className="empty" data-testid="overrides-forbidden">
          Reviewing overrides needs the senior analyst or admin role.
        </div>
      </div>
    );
  }
  return <PendingOverridesList meId={user?.id ?? null} />;
}

function PendingOverridesList({ meId }: { meId: string | null }) {
  const [{ data, fetching, error }, refetch] = useQuery({ query: PENDING_OVERRIDES, variables: { first: PAGE_SIZE } });
  // Reviewed rows leave at once; the refetch confirms it.
  const [reviewed, setReviewed] = useState<ReadonlySet<string>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  const rows = (data?.pendingOverrides.edges ?? []).map((e) => e.node).filter((d) => !reviewed.has(d.id));
  const total = data ? data.pendingOverrides.totalCount - (data.pendingOverrides.edges.length - rows.length) : null;

  function onReviewed(decision: PendingOverride, message: string) {
    setReviewed((s) => new Set(s).add(decision.id));
    setNotice(message);
    refetch({ requestPolicy: 'network-only' });
  }

  return (
    <div className="page overrides-page">
      <div className="page-head">
        <h2>Pending overrides</h2>
        {total !== null && (
          <span className="badge badge-warn" data-testid="overrides-count">
            {total} waiting
          </span>
        )}
        <span className="spacer" />
        <button type="button" onClick={() => refetch({ requestPolicy: 'network-only' })} disabled={fetching} data-testid="overrides-refresh">
          Refresh
        </button>
      </div>
      <p className="muted page-intro">
        Decisions that go against the model take effect only once a second senior analyst approves them. Rejecting sends the case back to its analyst with your
        reason. No one reviews their own override.
      </p>
      {notice && (
        <div className="notice notice-success" role="status" data-testid="overrides-notice">
          <span>{notice}</span>
          <button type="button" className="ghost small" onClick={() => setNotice(null)} aria-label="Dismiss">
            ✕
          </button>
        </div>
      )}
      {error && <ErrorMessage error={error} />}
      {rows.length > 0 ? (
        <table className="queue-table overrides-table" data-testid="overrides-table">
          <thead>
            <tr>
              <th>Case</th>
              <th>Analyst</th>
              <th>Model → decision</th>
              <th>Justification</th>
              <th>Waiting</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <OverrideRow key={d.id} decision={d} mine={!!meId && d.decidedBy?.id === meId} onReviewed={onReviewed} />
            ))}
          </tbody>
        </table>
      ) : (
        <div className="empty" data-testid="overrides-empty">
          {fetching && !data ? 'Loading overrides…' : 'No overrides are waiting for review.'}
        </div>
      )}
    </div>
  );
}

function OverrideRow({
  decision,
  mine,
  onReviewed,
}: {
  decision: PendingOverride;
  mine: boolean;
  onReviewed: (decision: PendingOverride, message: string) => void;
}) {
  const now = useNow();
  const [caseResult] = useQuery({ query: OVERRIDE_CASE, variables: { id: decision.applicationId } });
  const [approveState, approve] = useMutation(APPROVE_OVERRIDE);
  const [rejectState, reject] = useMutation(REJECT_OVERRIDE);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [error, setError] = useState<CombinedError | null>(null);
  const busy = approveState.fetching || rejectState.fetching;
  const app = caseResult.data?.application;
  const name = app ? `${app.applicant.firstName} ${app.applicant.lastName}` : 'Application';
  const analyst = decision.decidedBy?.name ?? 'the analyst';

  async function onApprove() {
    setError(null);
    const res = await approve({ decisionId: decision.id });
    if (res.error) return setError(res.error);
    onReviewed(decision, `Override approved: ${name} is ${humanize(decision.outcome).toLowerCase()}.`);
  }

  async function onReject() {
    setError(null);
    const problem = rejectionReasonProblem(reason);
    setReasonError(problem);
    if (problem) return;
    const res = await reject({ decisionId: decision.id, reason: reason.trim() });
    if (res.error) return setError(res.error);
    onReviewed(decision, `Override rejected: ${name} is back with ${analyst}.`);
  }

  const reasonLength = reason.trim().length;
  return (
    <Fragment>
      <tr data-testid="override-row" data-decision-id={decision.id} data-application-id={decision.applicationId}>
        <td>
          <a href={casePath(decision.applicationId)} data-testid="override-case-link">
            <strong>{name}</strong>
          </a>
          <div className="sub">
            {app ? (
              <>
                {app.externalId} · {formatMoney(app.loan.amount, app.loan.currency)} · {app.loan.termMonths} mo
                {app.scoring && ` · PD ${formatPercent(app.scoring.probabilityOfDefault)}`}
              </>
            ) : (
              '…'
            )}
          </div>
        </td>
        <td data-testid="override-analyst">
          {analyst}
          {mine && <span className="badge badge-muted you">you</span>}
        </td>
        <td>
          <span className="rec-vs">
            {app?.scoring ? <RecommendationBadge recommendation={app.scoring.modelRecommendation} /> : <span className="muted">…</span>}
            <span className="arrow" aria-hidden="true">
              →
            </span>
            <StatusBadge status={decision.outcome} />
          </span>
          <div className="sub" data-testid="override-direction">
            {decision.overrideDirection ? OVERRIDE_DIRECTION_LABEL[decision.overrideDirection] : '—'}
          </div>
        </td>
        <td className="wrap justification" data-testid="override-justification-text">
          {decision.overrideJustification}
          {decision.typedConditions.length > 0 && <div className="sub">Conditions: {decision.typedConditions.map((c) => c.description).join('; ')}</div>}
        </td>
        <td title={formatDateTime(decision.decidedAt)} data-testid="override-waiting">
          {formatAgo(decision.decidedAt, now)}
        </td>
        <td className="actions">
          <span className="action-pair">
            <button type="button" className="primary small" disabled={busy} onClick={onApprove} data-testid="approve-override">
              {approveState.fetching ? 'Approving…' : 'Approve'}
            </button>
            <button
              type="button"
              className="small danger"
              disabled={busy}
              onClick={() => setRejecting((r) => !r)}
              aria-expanded={rejecting}
              data-testid="reject-override"
            >
              Reject…
            </button>
          </span>
        </td>
      </tr>
      {(rejecting || error) && (
        <tr className="row-detail">
          <td colSpan={6}>
            {rejecting && (
              <div className="reject-box" data-testid="reject-form">
                <label>
                  Why reject? The analyst sees this and decides the case again.
                  <textarea
                    rows={2}
                    value={reason}
                    onChange={(e) => {
                      setReason(e.target.value);
                      setReasonError(null);
                    }}
                    aria-invalid={!!reasonError}
                    data-testid="reject-reason"
                  />
                  <span className={reasonLength >= MIN_REJECTION_REASON ? 'counter ok' : 'counter'}>
                    {reasonLength}/{MIN_REJECTION_REASON} min
                  </span>
                </label>
                {reasonError && (
                  <div className="field-error" data-testid="reject-reason-error">
                    {reasonError}
                  </div>
                )}
                <div className="button-row tight">
                  <button type="button" className="danger solid" disabled={busy} onClick={onReject} data-testid="confirm-reject">
                    {rejectState.fetching ? 'Rejecting…' : 'Reject override'}
                  </button>
                  <button type="button" className="ghost" onClick={() => setRejecting(false)}>
                    Cancel
                  </button>
                </div>
              </div>
            )}
            {error && <ErrorMessage error={error} testId="override-error" />}
          </td>
        </tr>
      )}
    </Fragment>
  );
}
