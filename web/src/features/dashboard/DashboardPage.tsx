import { useMemo } from 'react';
import { useQuery } from 'urql';
import { DECISION_DASHBOARD } from '../../graphql/operations';
import { formatDateTime, formatPercent, formatSeconds } from '../../lib/format';
import { ErrorMessage } from '../../ui/ErrorMessage';

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

export function lastSevenDays(now = new Date()): { from: string; to: string } {
  return { from: new Date(now.getTime() - WEEK_MS).toISOString(), to: now.toISOString() };
}

export function DashboardPage() {
  // Fixed per visit so the variables (and the query) stay stable across renders.
  const range = useMemo(() => lastSevenDays(), []);
  const [{ data, fetching, error }] = useQuery({ query: DECISION_DASHBOARD, variables: range });
  const d = data?.decisionDashboard;

  return (
    <div className="page">
      <div className="page-head">
        <h2>Decisions · last 7 days</h2>
        <span className="muted">
          {formatDateTime(range.from)} – {formatDateTime(range.to)}
        </span>
      </div>
      {error && <ErrorMessage error={error} />}
      {!d && fetching && <p className="muted">Loading…</p>}
      {d && (
        <section className="summary-cards" data-testid="dashboard">
          <Metric label="Applications" value={String(d.totalApplications)} />
          <Metric label="Decisions" value={String(d.decisions)} />
          <Metric label="Auto-decision rate" value={formatPercent(d.autoDecisionRate)} />
          <Metric label="Approval rate" value={formatPercent(d.approvalRate)} />
          <Metric label="Avg. review time" value={formatSeconds(d.averageReviewSeconds)} />
          <Metric label="SLA compliance" value={formatPercent(d.slaComplianceRate)} />
        </section>
      )}
    </div>
  );
}

function Metric({ label, value }: { label: string; value: string }) {
  return (
    <div className="summary-card">
      <span className="summary-value">{value}</span>
      <span className="summary-label">{label}</span>
    </div>
  );
}
