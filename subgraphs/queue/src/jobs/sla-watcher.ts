import type { MikroORM } from '@mikro-orm/postgresql';
import { createLogger } from '@tandem/platform';
import { QueueEntryRepository } from '../data/queue-entry.repository.js';
import { slaAlertStager } from '../events/queue-events.js';

const log = createLogger('sla-watcher');

/**
 * Alerts must reach people within 5 s of the instant they are due: a pass
 * every second, plus the commit and the outbox relay (woken by the commit),
 * keeps that with room to spare. A pass is one indexed query when nothing is due.
 */
export const SLA_WATCH_INTERVAL_MS = 1_000;
const BATCH = 200;

/**
 * One pass of the SLA watcher: every open case that has crossed into
 * APPROACHING, BREACHED or its escalation time gets one SlaWarning event per
 * kind. The sent marks commit with the outbox rows, so a crash repeats
 * nothing and loses nothing; rows another worker holds are skipped.
 */
export async function runSlaWatcher(orm: MikroORM, now: Date = new Date()): Promise<number> {
  let staged = 0;
  for (;;) {
    const batch = await new QueueEntryRepository(orm.em.fork()).claimDueSlaAlerts(now, BATCH, slaAlertStager(now));
    staged += batch.alerts;
    // A short batch is the last; a batch that staged nothing would only repeat itself.
    if (batch.entries < BATCH || batch.alerts === 0) break;
  }
  if (staged) log.info({ alerts: staged }, 'SLA alerts staged');
  return staged;
}
