import type { MikroORM } from '@mikro-orm/postgresql';
import { QueueEntryRepository } from '../data/queue-entry.repository.js';

/**
 * A pass reads only the cases whose priority has risen since it was stored
 * (one indexed query when none has), so it can run often: the ranking that
 * pickNextCase and the PRIORITY_DESC order see lags by at most this much.
 */
export const PRIORITY_REFRESH_INTERVAL_MS = 15_000;
// Small pages: each page's entities are loaded and their change sets computed in one stretch of the event
// loop, which requests wait behind.
const PAGE = 100;

/**
 * Priority grows while a case waits (time waiting, SLA proximity); this keeps
 * the stored priority of pending cases current. No event: nothing happened to the case.
 */
export async function runPriorityRefresh(orm: MikroORM, now: Date = new Date()): Promise<number> {
  let updated = 0;
  let reranked: number;
  // A short page is the last.
  do {
    reranked = await new QueueEntryRepository(orm.em.fork()).refreshRisenPriorities(now, PAGE);
    updated += reranked;
  } while (reranked === PAGE);
  return updated;
}
