/**
 * Drift and fairness checks of a tenant's recent scores. Run by the scheduled
 * job for every tenant that scored in the window, and on demand
 * (runDriftCheck / runFairnessCheck). Each check is one transaction: the run,
 * its alerts and their events commit together.
 */

import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '@tandem/platform';
import type { DriftRunRecord, DriftTrigger } from '../data/drift.entity.js';
import type { ModelRegistry } from '../data/model-registry.js';
import { MonitoringRepository } from '../data/monitoring.repository.js';
import type { ScoreRecord } from '../data/score.entity.js';
import { type DriftRow, driftReport, MIN_DRIFT_SAMPLE } from '../domain/drift-report.js';
import { type FairnessCase, type FairnessMetrics, fairnessMetrics, type ProtectedAttribute } from '../domain/fairness.js';
import type { MonitoringWindow } from '../domain/monitoring-window.js';
import { stageDriftAlertRaised } from '../events/scoring-events.js';

export interface DriftTable {
  modelName: string;
  modelVersion: string;
  from: Date;
  to: Date;
  sampleSize: number;
  rows: DriftRow[];
}

/** The per-variable drift table of the champion's scores in the window (nothing stored). */
export async function driftTable(em: EntityManager, registry: ModelRegistry, tenantId: string, window: MonitoringWindow): Promise<DriftTable> {
  const champion = await registry.champion(em, tenantId);
  const reference = await registry.reference(em, tenantId, champion);
  if (!reference) throw badInput(`${champion.name}@${champion.version} was registered without reference distributions: drift cannot be measured`);
  const scores = await new MonitoringRepository(em).scoresInWindow(tenantId, window.from, window.to, champion.version);
  const rows = driftReport(
    champion.model.card.features,
    reference,
    scores.map((s) => s.featureVector),
    scores.map((s) => s.probabilityOfDefault),
  );
  return { modelName: champion.name, modelVersion: champion.version, from: window.from, to: window.to, sampleSize: scores.length, rows };
}

/** Stores a drift run and opens (or refreshes) an alert per variable at WARNING or worse, given ≥ 30 scores. */
export async function runDriftCheck(
  em: EntityManager,
  registry: ModelRegistry,
  tenantId: string,
  window: MonitoringWindow,
  trigger: DriftTrigger,
): Promise<DriftRunRecord> {
  return em.transactional(async (tx) => {
    const table = await driftTable(tx, registry, tenantId, window);
    const { rows } = table;
    const repo = new MonitoringRepository(tx);
    const now = new Date();
    const run = repo.addRun({
      tenantId,
      modelName: table.modelName,
      modelVersion: table.modelVersion,
      windowFrom: window.from,
      windowTo: window.to,
      sampleSize: table.sampleSize,
      trigger,
      rows,
      alertsRaised: 0,
      ranAt: now,
    });
    if (table.sampleSize >= MIN_DRIFT_SAMPLE) {
      await repo.lockAlerts(tenantId);
      for (const row of rows) {
        if (!row.severity) continue;
        const { alert, publish } = await repo.raise(
          tenantId,
          { kind: 'DRIFT', feature: row.feature, metric: 'PSI', value: row.psi, severity: row.severity, modelVersion: table.modelVersion, runId: run.id },
          now,
        );
        if (publish) {
          stageDriftAlertRaised(tx, alert);
          run.alertsRaised++;
        }
      }
    }
    return run;
  });
}

const FAIRNESS_FEATURE: Record<ProtectedAttribute, string> = { AGE_BAND: 'ageBand', MARITAL_STATUS: 'maritalStatus' };

export interface FairnessReport {
  from: Date;
  to: Date;
  /** scored applications in the window */
  applications: number;
  /** those with an approve/decline decision (the ones compared) */
  decided: number;
  withOutcome: number;
  attributes: FairnessMetrics[];
}

const APPROVED = new Set(['APPROVED', 'APPROVED_WITH_CONDITIONS']);

/** Approval fairness over the window's decided applications (decisions from decision.made). */
export async function fairnessReport(em: EntityManager, tenantId: string, window: MonitoringWindow): Promise<FairnessReport> {
  const repo = new MonitoringRepository(em);
  const scores = await repo.scoresInWindow(tenantId, window.from, window.to);
  const ids = scores.map((s) => s.applicationId);
  const [decisions, outcomes] = await Promise.all([repo.decisions(tenantId, ids), repo.outcomes(tenantId, ids)]);
  const cases: FairnessCase[] = [];
  for (const s of scores) {
    const decision = decisions.get(s.applicationId);
    if (!decision || (decision.outcome !== 'DECLINED' && !APPROVED.has(decision.outcome))) continue;
    const outcome = outcomes.get(s.applicationId);
    cases.push({
      ageYears: protectedAge(s),
      maritalStatus: s.inputs.maritalStatus ?? null,
      approved: APPROVED.has(decision.outcome),
      modelApproves: s.modelRecommendation === 'APPROVE',
      defaulted: outcome ? outcome === 'DEFAULTED' : null,
    });
  }
  return {
    from: window.from,
    to: window.to,
    applications: scores.length,
    decided: cases.length,
    withOutcome: cases.filter((c) => c.defaulted !== null).length,
    attributes: (['AGE_BAND', 'MARITAL_STATUS'] as const).map((a) => fairnessMetrics(a, cases)),
  };
}

function protectedAge(s: ScoreRecord): number | null {
  return typeof s.inputs.ageYears === 'number' ? s.inputs.ageYears : null;
}

/** The fairness report, with an alert per attribute that breaches the four-fifths rule. */
export async function runFairnessCheck(
  em: EntityManager,
  registry: ModelRegistry,
  tenantId: string,
  window: MonitoringWindow,
): Promise<FairnessReport & { alertsRaised: number }> {
  return em.transactional(async (tx) => {
    const report = await fairnessReport(tx, tenantId, window);
    const champion = await registry.champion(tx, tenantId);
    const repo = new MonitoringRepository(tx);
    await repo.lockAlerts(tenantId);
    let alertsRaised = 0;
    const now = new Date();
    for (const m of report.attributes) {
      if (!m.breach || m.approvalRateRatio === null) continue;
      const { alert, publish } = await repo.raise(
        tenantId,
        {
          kind: 'FAIRNESS',
          feature: FAIRNESS_FEATURE[m.attribute],
          metric: 'APPROVAL_RATE_RATIO',
          value: m.approvalRateRatio,
          severity: m.breach,
          modelVersion: champion.version,
          runId: null,
        },
        now,
      );
      if (publish) {
        stageDriftAlertRaised(tx, alert);
        alertsRaised++;
      }
    }
    return { ...report, alertsRaised };
  });
}
