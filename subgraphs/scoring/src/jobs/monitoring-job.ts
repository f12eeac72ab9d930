import type { MikroORM } from '@mikro-orm/postgresql';
import { createLogger } from '@tandem/platform';
import type { ModelRegistry } from '../data/model-registry.js';
import { MonitoringRepository } from '../data/monitoring.repository.js';
import { runDriftCheck, runFairnessCheck } from './monitoring-checks.js';

const log = createLogger('scoring-monitoring');

export const MONITORING_EVERY_MS = 10 * 60_000;
/** The sliding window each scheduled run looks at. */
export const MONITORING_WINDOW_HOURS = 24 * 7;

/**
 * Every tenant that scored within the window gets a drift and a fairness
 * check. One tenant's failure (e.g. a champion without reference data) is
 * logged and does not stop the others.
 */
export async function runScheduledMonitoring(orm: MikroORM, registry: ModelRegistry, now = new Date()): Promise<void> {
  const window = { from: new Date(now.getTime() - MONITORING_WINDOW_HOURS * 3_600_000), to: now };
  const tenants = await new MonitoringRepository(orm.em.fork()).tenantsScoredSince(window.from);
  for (const tenantId of tenants) {
    try {
      const run = await runDriftCheck(orm.em.fork(), registry, tenantId, window, 'SCHEDULED');
      const fairness = await runFairnessCheck(orm.em.fork(), registry, tenantId, window);
      log.info({ tenantId, runId: run.id, sampleSize: run.sampleSize, driftAlerts: run.alertsRaised, fairnessAlerts: fairness.alertsRaised }, 'monitoring run');
    } catch (err) {
      log.warn({ err, tenantId }, 'monitoring run failed for tenant');
    }
  }
}
