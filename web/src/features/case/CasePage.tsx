import { useState } from 'react';
import { type CombinedError, useMutation, useQuery } from 'urql';
import { useSession } from '../../auth/session';
import { ASSIGN_CASE, CASE_APPLICATION, RELEASE_CASE, START_REVIEW } from '../../graphql/operations';
import type { CaseApplication, Decision } from '../../graphql/types';
import { formatDateTime, formatMoney, humanize } from '../../lib/format';
import { StatusBadge } from '../../ui/Badge';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { useQueueEvents } from '../queue/useQueueEvents';
import { ApplicantPanel, FinancialsPanel, LoanPanel } from './ApplicationDetails';
import { conditionalApproval, latestDocumentsRequest, rejectedOverride } from './case-decisions';
import { DecisionForm } from './DecisionForm';
import { ConditionsPanel, DocumentsPanel } from './DecisionRecordPanels';
import { allowedActions } from './decision-logic';
import { QueueEntryPanel } from './QueueEntryPanel';
import { ScoringPanel } from './ScoringPanel';

export interface DecidedCase {
  applicationId: string;
  applicantName: string;
  currency: string;
  decision: Decision;
}

export function CasePage({ applicationId, onDecided }: { applicationId: string; onDecided: (c: DecidedCase) => void }) {
  const user = useSession()?.user;
  const meId = user?.id ?? null;
  const canDecide = !!user?.permissions.includes('decision:create');
  const [{ data, fetching, error }, refetch] = useQuery({ query: CASE_APPLICATION, variables: { id: applicationId } });
  const [assign, assignCase] = useMutation(ASSIGN_CASE);
  const [start, startReview] = useMutation(START_REVIEW);
  const [release, releaseCase] = useMutation(RELEASE_CASE);
  const [actionError, setActionError] = useState<CombinedError | null>(null);
  const busy = assign.fetching || start.fetching || release.fetching;
  // The case moves under the analyst's eyes (SLA paused or resumed, override rejected, reassigned): follow it live.
  useQueueEvents((event) => {
    if (event.entry.application.id === applicationId) refetch({ requestPolicy: 'network-only' });
  });

  const app = data?.application;
  if (!app) {
    return (
      <div className="page">
        <BackLink />
        {error ? <ErrorMessage error={error} /> : fetching ? <p className="muted">Loading case…</p> : <p>Application not found.</p>}
      </div>
    );
  }
  const entry = app.queueEntry;

  async function run(action: () => Promise<{ error?: CombinedError }>) {
    setActionError(null);
    const res = await action();
    if (res.error) setActionError(res.error);
    refetch({ requestPolicy: 'network-only' });
  }

  const onAssign = () => entry && run(() => assignCase({ entryId: entry.id }));
  const onStart = () => entry && run(() => startReview({ entryId: entry.id }));
  const onRelease = () => {
    if (!entry) return;
    const reason = window.prompt('Why are you releasing this case back to the queue?');
    if (!reason?.trim()) return;
    void run(() => releaseCase({ entryId: entry.id, reason: reason.trim() }));
  };

  const can = allowedActions(entry?.status);
  const name = `${app.applicant.firstName} ${app.applicant.lastName}`;
  const documents = latestDocumentsRequest(app.decisions);
  const approval = conditionalApproval(app.decisions);
  const rejected = rejectedOverride(app.decisions);
  // An override waiting for a senior already decided the case: a second decision would be refused.
  const awaitingSenior = !!entry?.awaitingOverrideApproval;

  return (
    <div className="page case-page" data-testid="case-view" data-application-id={app.id} data-entry-id={entry?.id}>
      <BackLink />
      <div className="page-head">
        <h2 data-testid="case-applicant">{name}</h2>
        <span className="muted">{app.externalId}</span>
        <StatusBadge status={app.status} />
      </div>
      {actionError && <ErrorMessage error={actionError} />}
      {error && <ErrorMessage error={error} />}
      {rejected && entry?.status !== 'COMPLETED' && (
        <div className="notice notice-warn" role="status" data-testid="override-rejected-notice">
          <span>
            Your override ({humanize(rejected.outcome)}) was rejected
            {rejected.overrideReviewedBy ? ` by ${rejected.overrideReviewedBy.name}` : ''}: “{rejected.overrideRejectionReason}”. The case is back with you to
            decide again.
          </span>
        </div>
      )}
      <div className="case-layout">
        <div className="case-main">
          <div className="panel-grid">
            <ApplicantPanel app={app} />
            <FinancialsPanel app={app} />
            <LoanPanel app={app} />
          </div>
          <ScoringPanel scoring={app.scoring} />
          {documents && <DocumentsPanel decision={documents} />}
          {approval && (
            <ConditionsPanel
              decision={approval}
              currency={app.loan.currency}
              canDecide={canDecide}
              onChanged={() => refetch({ requestPolicy: 'network-only' })}
            />
          )}
          <PastDecisions app={app} />
        </div>
        <aside className="case-side">
          <QueueEntryPanel entry={entry} meId={meId} busy={busy} onAssign={onAssign} onStart={onStart} onRelease={onRelease} />
          <DecisionForm
            key={app.id}
            applicationId={app.id}
            modelRecommendation={app.scoring?.modelRecommendation ?? null}
            requested={{ ...app.loan, monthlyInstalment: app.ratios.monthlyInstalment }}
            reasonCodes={app.scoring?.reasonCodes ?? []}
            enabled={can.decide && !awaitingSenior}
            disabledReason={awaitingSenior ? 'An override on this case is waiting for a senior analyst.' : decisionHint(entry?.status)}
            onDecided={(decision) => onDecided({ applicationId: app.id, applicantName: name, currency: app.loan.currency, decision })}
          />
        </aside>
      </div>
    </div>
  );
}

function decisionHint(status: string | undefined): string | undefined {
  if (status === 'PENDING') return 'Assign the case to yourself and start the review to decide.';
  if (status === 'ASSIGNED') return 'Start the review to record a decision.';
  if (status === 'COMPLETED') return 'This case has already been decided.';
  if (!status) return 'This application is not awaiting review.';
  return undefined;
}

function BackLink() {
  return (
    <a href="#/queue" className="back-link">
      ← Queue
    </a>
  );
}

function PastDecisions({ app }: { app: CaseApplication }) {
  if (app.decisions.length === 0) return null;
  const currency = app.loan.currency;
  return (
    <section className="panel" data-testid="past-decisions">
      <h3>Decisions</h3>
      <table className="compact">
        <thead>
          <tr>
            <th>When</th>
            <th>Outcome</th>
            <th>By</th>
            <th>Terms</th>
            <th>Override</th>
            <th>Reasoning</th>
          </tr>
        </thead>
        <tbody>
          {app.decisions.map((d) => (
            <tr key={d.id} data-testid="decision-row" data-outcome={d.outcome}>
              <td>{formatDateTime(d.decidedAt)}</td>
              <td>
                <StatusBadge status={d.outcome} />
              </td>
              <td>{d.automated ? 'Model' : (d.decidedBy?.name ?? 'Analyst')}</td>
              <td className="num" data-testid="decision-terms">
                {d.approvedTerms ? (
                  <>
                    {formatMoney(d.approvedTerms.amount, currency)} · {d.approvedTerms.termMonths} mo
                    {d.monthlyInstalment && <div className="sub">{formatMoney(d.monthlyInstalment, currency, 2)}/month</div>}
                  </>
                ) : (
                  '—'
                )}
              </td>
              <td data-testid="decision-override">
                {d.isOverride ? (
                  <>
                    <OverrideStatusBadge status={d.overrideStatus} />
                    {d.overrideReviewedBy && <div className="sub">by {d.overrideReviewedBy.name}</div>}
                  </>
                ) : (
                  '—'
                )}
              </td>
              <td className="wrap">
                {d.reasoning ?? '—'}
                {d.overrideRejectionReason && <div className="sub">Rejected: {d.overrideRejectionReason}</div>}
                {d.reasonCodes.length > 0 && <div className="sub">Reasons: {d.reasonCodes.map((r) => r.code).join(', ')}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function OverrideStatusBadge({ status }: { status: string | null }) {
  const tone = status === 'APPROVED' ? 'good' : status === 'REJECTED' ? 'bad' : 'warn';
  return <span className={`badge badge-${tone}`}>{status === 'PENDING' ? 'Awaiting senior' : humanize(status ?? 'pending')}</span>;
}
