import type { QueueEntry } from '../../graphql/types';
import { formatMoney, formatPercent } from '../../lib/format';
import { casePath } from '../../lib/router';
import { RiskBadge, StatusBadge } from '../../ui/Badge';
import { SlaCountdown, SlaPaused } from '../../ui/SlaCountdown';

interface QueueTableProps {
  rows: QueueEntry[];
  meId: string | null;
  busyEntryId: string | null;
  onAssign: (entry: QueueEntry) => void;
}

export function QueueTable({ rows, meId, busyEntryId, onAssign }: QueueTableProps) {
  return (
    <table className="queue-table" data-testid="queue-table">
      <thead>
        <tr>
          <th className="num">Prio</th>
          <th>Applicant</th>
          <th className="num">Amount</th>
          <th className="num">Term</th>
          <th className="num">PD</th>
          <th className="num">Score</th>
          <th>Band</th>
          <th>Status</th>
          <th>Assignee</th>
          <th>SLA</th>
          <th aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {rows.map((entry) => (
          <QueueRow key={entry.id} entry={entry} mine={!!meId && entry.assignee?.id === meId} busy={busyEntryId === entry.id} onAssign={onAssign} />
        ))}
      </tbody>
    </table>
  );
}

function QueueRow({ entry, mine, busy, onAssign }: { entry: QueueEntry; mine: boolean; busy: boolean; onAssign: (entry: QueueEntry) => void }) {
  const { application: app } = entry;
  const name = `${app.applicant.firstName} ${app.applicant.lastName}`;
  return (
    <tr data-testid="queue-row" data-entry-id={entry.id} data-application-id={app.id} data-status={entry.status} className={mine ? 'row-mine' : undefined}>
      <td className="num">{entry.priority}</td>
      <td>
        <a href={casePath(app.id)} data-testid="open-case">
          {name}
        </a>
        <div className="sub">{app.externalId}</div>
      </td>
      <td className="num">{formatMoney(app.loan.amount, app.loan.currency)}</td>
      <td className="num">{app.loan.termMonths} mo</td>
      <td className="num">{app.scoring ? formatPercent(app.scoring.probabilityOfDefault) : '—'}</td>
      <td className="num">{app.scoring?.score ?? '—'}</td>
      <td>{app.scoring ? <RiskBadge band={app.scoring.riskBand} /> : <span className="muted">unscored</span>}</td>
      <td>
        <StatusBadge status={entry.status} />
        {entry.awaitingOverrideApproval && (
          <div className="sub" data-testid="row-override-pending">
            Override awaiting senior
          </div>
        )}
      </td>
      <td data-testid="row-assignee">{entry.assignee ? mine ? `${entry.assignee.name} (me)` : entry.assignee.name : <span className="muted">—</span>}</td>
      <td>
        {entry.slaPausedAt && entry.status !== 'COMPLETED' ? (
          <SlaPaused since={entry.slaPausedAt} />
        ) : (
          <SlaCountdown deadline={entry.slaDeadline} done={entry.status === 'COMPLETED'} />
        )}
      </td>
      <td className="actions">
        {entry.status === 'PENDING' ? (
          <button type="button" className="small" disabled={busy} onClick={() => onAssign(entry)} data-testid="assign-to-me">
            {busy ? 'Assigning…' : 'Assign to me'}
          </button>
        ) : (
          <a className="button small ghost" href={casePath(app.id)}>
            Open
          </a>
        )}
      </td>
    </tr>
  );
}
