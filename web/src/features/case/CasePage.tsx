import { useState } from 'react';
import { type CombinedError, useMutation, useQuery } from 'urql';
import { useSession } from '../../auth/session';
import { ASSIGN_CASE, CASE_APPLICATION, RELEASE_CASE, START_REVIEW } from '../../graphql/operations';
import type { CaseApplication, Decision } from '../../graphql/types';
import { formatDateTime, humanize } from '../../lib/format';
import { StatusBadge } from '../../ui/Badge';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { ApplicantPanel, FinancialsPanel, LoanPanel } from './ApplicationDetails';
import { allowedActions } from './decision-logic';
import { DecisionForm } from './DecisionForm';
import { QueueEntryPanel } from './QueueEntryPanel';
import { ScoringPanel } from './ScoringPanel';

export interface DecidedCase {
  applicationId: string;
  applicantName: string;
  decision: Decision;
}

export function CasePage({ applicationId, onDecided }: { applicationId: string; onDecided: (c: DecidedCase) => void }) {
  const meId = useSession()?.user.id ?? null;
  const [{ data, fetching, error }, refetch] = useQuery({ query: CASE_APPLICATION, variables: { id: applicationId } });
  const [assign, assignCase] = useMutation(ASSIGN_CASE);
  const [start, startReview] = useMutation(START_REVIEW);
  const [release, releaseCase] = useMutation(RELEASE_CASE);
  const [actionError, setActionError] = useState<CombinedError | null>(null);
  const busy = assign.fetching || start.fetching || release.fetching;

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
      <div className="case-layout">
        <div className="case-main">
          <div className="panel-grid">
            <ApplicantPanel app={app} />
            <FinancialsPanel app={app} />
            <LoanPanel app={app} />
          </div>
          <ScoringPanel scoring={app.scoring} />
          <PastDecisions app={app} />
        </div>
        <aside className="case-side">
          <QueueEntryPanel
            entry={entry}
            meId={meId}
            busy={busy}
            onAssign={onAssign}
            onStart={onStart}
            onRelease={onRelease}
          />
          <DecisionForm
            key={app.id}
            applicationId={app.id}
            modelRecommendation={app.scoring?.modelRecommendation ?? null}
            enabled={can.decide}
            disabledReason={decisionHint(entry?.status)}
            onDecided={(decision) => onDecided({ applicationId: app.id, applicantName: name, decision })}
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
  return (
    <section className="panel" data-testid="past-decisions">
      <h3>Decisions</h3>
      <table className="compact">
        <thead>
          <tr>
            <th>When</th>
            <th>Outcome</th>
            <th>By</th>
            <th>Override</th>
            <th>Reasoning</th>
          </tr>
        </thead>
        <tbody>
          {app.decisions.map((d) => (
            <tr key={d.id}>
              <td>{formatDateTime(d.decidedAt)}</td>
              <td>
                <StatusBadge status={d.outcome} />
              </td>
              <td>{d.automated ? 'Model' : 'Analyst'}</td>
              <td>{d.isOverride ? humanize(d.overrideStatus ?? 'yes') : '—'}</td>
              <td className="wrap">{d.reasoning ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
