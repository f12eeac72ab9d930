import type { QueueChangedEvent, QueueEntry, QueueEntryStatus, QueueFilter } from '../../graphql/types';

export type QueueTab = 'open' | 'mine';

export const OPEN_STATUSES: QueueEntryStatus[] = ['PENDING', 'ASSIGNED', 'IN_PROGRESS'];
export const QUEUE_PAGE_SIZE = 50;

export function queueFilterFor(tab: QueueTab): QueueFilter {
  return tab === 'mine' ? { status: OPEN_STATUSES, mine: true } : { status: OPEN_STATUSES };
}

export function entryBelongsInTab(entry: QueueEntry, tab: QueueTab, meId: string | null): boolean {
  if (!OPEN_STATUSES.includes(entry.status)) return false;
  if (tab === 'mine') return !!meId && entry.assignee?.id === meId;
  return true;
}

/** PRIORITY_DESC, ties broken by the earlier SLA deadline. */
export function compareByPriority(a: QueueEntry, b: QueueEntry): number {
  if (b.priority !== a.priority) return b.priority - a.priority;
  return new Date(a.slaDeadline).getTime() - new Date(b.slaDeadline).getTime();
}

/**
 * Optimistically apply a queueChanged event to the visible rows: replace the
 * entry in place, drop it when it leaves the tab (completed, taken by someone
 * else in "Mine"), insert it by priority when it newly belongs. A network
 * refetch follows and remains the source of truth.
 */
export function applyQueueEvent(rows: readonly QueueEntry[], event: QueueChangedEvent, tab: QueueTab, meId: string | null): QueueEntry[] {
  const { entry } = event;
  const belongs = event.kind !== 'COMPLETED' && entryBelongsInTab(entry, tab, meId);
  const index = rows.findIndex((r) => r.id === entry.id);
  if (index >= 0) {
    if (!belongs) return rows.filter((r) => r.id !== entry.id);
    const next = rows.slice();
    next[index] = entry;
    return next;
  }
  if (!belongs) return rows.slice();
  const next = rows.slice();
  const at = next.findIndex((r) => compareByPriority(entry, r) < 0);
  if (at === -1) next.push(entry);
  else next.splice(at, 0, entry);
  return next;
}
