import type { CaseQueueEntry } from '../../graphql/types';
import { formatDateTime } from '../../lib/format';
import { StatusBadge } from '../../ui/Badge';
import { SlaCountdown, SlaPaused } from '../../ui/SlaCountdown';
import { allowedActions } from './decision-logic';

interface QueueEntryPanelProps {
  entry: CaseQueueEntry | null;
  meId: string | null;
  busy: boolean;
  onAssign: () => void;
  onStart: () => void;
  onRelease: () => void;
}

export function QueueEntryPanel({ entry, meId, busy, onAssign, onStart, onRelease }: QueueEntryPanelProps) {
  if (!entry) {
    return (
      <section className="panel" data-testid="queue-entry-panel">
        <h3>Queue</h3>
        <p className="muted">This application is not in the review queue.</p>
      </section>
    );
  }
  const can = allowedActions(entry.status);
  const mine = !!meId && entry.assignee?.id === meId;
  return (
    <section className="panel" data-testid="queue-entry-panel" data-status={entry.status}>
      <h3>Queue</h3>
      <dl className="fields">
        <dt>Status</dt>
        <dd data-testid="entry-status">
          <StatusBadge status={entry.status} />
        </dd>
        <dt>Assignee</dt>
        <dd data-testid="entry-assignee">{entry.assignee ? `${entry.assignee.name}${mine ? ' (me)' : ''}` : '—'}</dd>
        <dt>Priority</dt>
        <dd>{entry.priority}</dd>
        <dt>SLA</dt>
        <dd data-testid="entry-sla">
          {entry.slaPausedAt && entry.status !== 'COMPLETED' ? (
            <SlaPaused since={entry.slaPausedAt} detailed />
          ) : (
            <SlaCountdown deadline={entry.slaDeadline} done={entry.status === 'COMPLETED'} />
          )}
        </dd>
        <dt>Queued</dt>
        <dd>{formatDateTime(entry.createdAt)}</dd>
      </dl>
      {entry.awaitingOverrideApproval && (
        <p className="inline-note" data-testid="awaiting-override">
          The override decision on this case waits for a senior analyst.
        </p>
      )}
      <div className="button-row">
        <button type="button" disabled={busy || !can.assign} onClick={onAssign} data-testid="assign-case">
          Assign to me
        </button>
        <button type="button" className="primary" disabled={busy || !can.start} onClick={onStart} data-testid="start-review">
          Start review
        </button>
        <button type="button" disabled={busy || !can.release} onClick={onRelease} data-testid="release-case">
          Release
        </button>
      </div>
    </section>
  );
}
