import type { MikroORM } from '@mikro-orm/postgresql';
import { createLogger } from '@tandem/platform';
import { AnalystRepository } from '../data/analyst.repository.js';
import { QueueEntryRepository, systemActor } from '../data/queue-entry.repository.js';
import { planAutoAssignments } from '../domain/auto-assign.js';
import { queueEntryChangedStager } from '../events/queue-events.js';

const log = createLogger('auto-assign');

export const AUTO_ASSIGN_INTERVAL_MS = 15_000;
const SCAN_LIMIT = 500;
const ACTOR = systemActor('auto-assign');

/**
 * One pass of auto-assignment (domain/auto-assign.ts): pending cases inside
 * their warning window or past their deadline go to the least-loaded
 * available analysts. Each move is the ordinary locked assignment, so a case
 * taken meanwhile or an analyst filled up meanwhile is skipped (CONFLICT),
 * never doubled.
 */
export async function runAutoAssign(orm: MikroORM, now: Date = new Date()): Promise<number> {
  const due = await new QueueEntryRepository(orm.em.fork()).dueForAutoAssign(now, SCAN_LIMIT);
  let assigned = 0;
  for (const [tenantId, entryIds] of due) {
    const analysts = await new AnalystRepository(orm.em.fork()).availableWithLoad(tenantId);
    for (const { entryId, analystId } of planAutoAssignments(entryIds, analysts)) {
      const result = await new QueueEntryRepository(orm.em.fork()).assign(tenantId, entryId, ACTOR, analystId, now, queueEntryChangedStager());
      if (result.outcome === 'moved') assigned++;
    }
  }
  if (assigned) log.info({ assigned }, 'cases near their deadline auto-assigned');
  return assigned;
}
