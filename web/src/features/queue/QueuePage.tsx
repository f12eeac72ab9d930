import { useState } from 'react';
import { type CombinedError, useMutation } from 'urql';
import { useSession } from '../../auth/session';
import { ASSIGN_CASE, PICK_NEXT_CASE } from '../../graphql/operations';
import type { QueueEntry } from '../../graphql/types';
import { casePath, navigate } from '../../lib/router';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { LiveIndicator } from './LiveIndicator';
import { QueueSummaryCards } from './QueueSummaryCards';
import { QueueTable } from './QueueTable';
import type { QueueTab } from './queue-logic';
import { useLiveQueue } from './useLiveQueue';

const TABS: { id: QueueTab; label: string }[] = [
  { id: 'open', label: 'All open' },
  { id: 'mine', label: 'Mine' },
];

export function QueuePage() {
  const meId = useSession()?.user.id ?? null;
  const [tab, setTab] = useState<QueueTab>('open');
  const queue = useLiveQueue(tab, meId);
  const [pick, pickNext] = useMutation(PICK_NEXT_CASE);
  const [assign, assignCase] = useMutation(ASSIGN_CASE);
  const [busyEntryId, setBusyEntryId] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<CombinedError | null>(null);

  async function onPickNext() {
    setNotice(null);
    setActionError(null);
    const res = await pickNext({});
    if (res.error) return setActionError(res.error);
    const entry = res.data?.pickNextCase;
    if (!entry) return setNotice('Nothing available to pick right now.');
    navigate(casePath(entry.application.id));
  }

  async function onAssign(entry: QueueEntry) {
    setNotice(null);
    setActionError(null);
    setBusyEntryId(entry.id);
    const res = await assignCase({ entryId: entry.id });
    setBusyEntryId(null);
    if (res.error) return setActionError(res.error);
    queue.refresh();
  }

  return (
    <div className="page queue-page">
      <div className="page-head">
        <h2>Review queue</h2>
        <LiveIndicator error={queue.subscriptionError} />
        <span className="spacer" />
        <button type="button" className="primary" onClick={onPickNext} disabled={pick.fetching} data-testid="pick-next">
          {pick.fetching ? 'Picking…' : 'Pick next case'}
        </button>
      </div>

      <QueueSummaryCards summary={queue.summary} />

      {notice && (
        <div className="notice" data-testid="queue-notice">
          {notice}
        </div>
      )}
      {actionError && <ErrorMessage error={actionError} />}
      {assign.error && !actionError && <ErrorMessage error={assign.error} />}

      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            className={tab === t.id ? 'tab active' : 'tab'}
            onClick={() => setTab(t.id)}
            data-testid={`tab-${t.id}`}
          >
            {t.label}
          </button>
        ))}
        <span className="spacer" />
        {queue.totalCount !== null && (
          <span className="muted" data-testid="queue-count">
            {queue.rows.length} shown · {queue.totalCount} total
          </span>
        )}
      </div>

      {queue.error && <ErrorMessage error={queue.error} />}
      {queue.rows.length > 0 ? (
        <QueueTable rows={queue.rows} meId={meId} busyEntryId={busyEntryId} onAssign={onAssign} />
      ) : (
        <div className="empty" data-testid="queue-empty">
          {queue.fetching ? 'Loading queue…' : tab === 'mine' ? 'Nothing assigned to you.' : 'The queue is empty.'}
        </div>
      )}
    </div>
  );
}
