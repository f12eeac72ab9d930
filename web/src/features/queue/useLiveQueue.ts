import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from 'urql';
import { QUEUE_SUMMARY, REVIEW_QUEUE } from '../../graphql/operations';
import type { QueueChangedEvent, QueueEntry } from '../../graphql/types';
import { applyQueueEvent, QUEUE_PAGE_SIZE, type QueueTab, queueFilterFor } from './queue-logic';
import { useQueueEvents } from './useQueueEvents';

/** Bursts of events collapse into one refetch. */
const REFETCH_DEBOUNCE_MS = 150;

/**
 * The review queue and its summary, kept live: every queueChanged event is
 * patched into the visible rows at once, then queue and summary are
 * refetched network-only.
 */
export function useLiveQueue(tab: QueueTab, meId: string | null) {
  const variables = useMemo(() => ({ filter: queueFilterFor(tab), first: QUEUE_PAGE_SIZE, orderBy: 'PRIORITY_DESC' as const }), [tab]);
  const [queue, refetchQueue] = useQuery({ query: REVIEW_QUEUE, variables });
  const [summary, refetchSummary] = useQuery({ query: QUEUE_SUMMARY });

  const baseRows = useMemo<QueueEntry[]>(() => queue.data?.reviewQueue.edges.map((e) => e.node) ?? [], [queue.data]);
  // Patched rows are tied to the server result they were derived from; a new
  // server result supersedes them.
  const [patch, setPatch] = useState<{ base: QueueEntry[]; rows: QueueEntry[] } | null>(null);
  const rows = patch && patch.base === baseRows ? patch.rows : baseRows;

  const latest = useRef({ baseRows, tab, meId });
  latest.current = { baseRows, tab, meId };

  const refresh = useCallback(() => {
    refetchQueue({ requestPolicy: 'network-only' });
    refetchSummary({ requestPolicy: 'network-only' });
  }, [refetchQueue, refetchSummary]);

  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const onEvent = useCallback(
    (event: QueueChangedEvent) => {
      setPatch((prev) => {
        const { baseRows: base, tab: t, meId: me } = latest.current;
        const current = prev && prev.base === base ? prev.rows : base;
        return { base, rows: applyQueueEvent(current, event, t, me) };
      });
      clearTimeout(timer.current);
      timer.current = setTimeout(refresh, REFETCH_DEBOUNCE_MS);
    },
    [refresh],
  );

  const live = useQueueEvents(onEvent);

  return {
    rows,
    totalCount: queue.data?.reviewQueue.totalCount ?? null,
    fetching: queue.fetching,
    error: queue.error,
    summary: summary.data?.queueSummary ?? null,
    summaryError: summary.error,
    refresh,
    subscriptionError: live.error,
    lastEventAt: live.lastEventAt,
  };
}
