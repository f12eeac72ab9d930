import type { MikroORM } from '@mikro-orm/postgresql';
import { QueueEntryRepository } from '../data/queue-entry.repository.js';

export const PRIORITY_REFRESH_INTERVAL_MS = 60_000;
// Small pages: each page's entities are loaded and their change sets computed in one stretch of the event
// loop, which requests wait behind; at 500 a page took tens of milliseconds of it.
const PAGE = 100;

/**
 * Priority grows while a case waits (time waiting, SLA proximity); this keeps
 * the stored priority of pending cases current, so pickNextCase and the
 * PRIORITY_DESC order see today's urgency. No event: nothing happened to the case.
 */
export async function runPriorityRefresh(orm: MikroORM, now: Date = new Date()): Promise<number> {
  let updated = 0;
  let afterId: string | null = null;
  do {
    const page: { lastId: string | null; updated: number } = await new QueueEntryRepository(orm.em.fork()).refreshPendingPriorities(now, PAGE, afterId);
    updated += page.updated;
    afterId = page.lastId;
  } while (afterId);
  return updated;
}
