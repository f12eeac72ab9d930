import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { DecisionOutcome } from '@tandem/platform';
import { isUuid, lockForTransaction, newestPerApplication, schemaTable } from '@tandem/platform';
import type { DriftSeverity } from '../domain/drift-statistics.js';
import { type AlertKind, type AlertStatus, DriftAlertRecord, DriftRunRecord } from './drift.entity.js';
import { ApplicationDecisionRecord, type LoanOutcome, LoanOutcomeRecord } from './loan-outcome.entity.js';
import { ScoreRecord } from './score.entity.js';
import { ShadowScoreRecord } from './shadow-score.entity.js';

/** Monitoring reads at most this many scores per window (the most recent). */
export const MAX_WINDOW_SCORES = 50_000;

export interface AlertCandidate {
  kind: AlertKind;
  feature: string;
  metric: string;
  value: number;
  severity: DriftSeverity;
  modelVersion: string;
  runId: string | null;
}

const SEVERITY_RANK: Record<DriftSeverity, number> = { WARNING: 1, CRITICAL: 2 };

/** Scores, outcomes, decisions, drift runs and alerts for monitoring; every method takes the tenant. */
export class MonitoringRepository {
  constructor(private readonly em: EntityManager) {}

  scoresInWindow(tenantId: string, from: Date, to: Date, modelVersion?: string): Promise<ScoreRecord[]> {
    return this.em.find(
      ScoreRecord,
      { tenantId, scoredAt: { $gte: from, $lt: to }, ...(modelVersion ? { modelVersion } : {}) },
      { orderBy: { scoredAt: 'desc' }, limit: MAX_WINDOW_SCORES },
    );
  }

  shadowScoresInWindow(tenantId: string, modelName: string, modelVersion: string, from: Date, to: Date): Promise<ShadowScoreRecord[]> {
    return this.em.find(
      ShadowScoreRecord,
      { tenantId, modelName, modelVersion, scoredAt: { $gte: from, $lt: to } },
      { orderBy: { scoredAt: 'desc' }, limit: MAX_WINDOW_SCORES },
    );
  }

  async scoresByApplication(tenantId: string, applicationIds: string[]): Promise<Map<string, ScoreRecord>> {
    const ids = applicationIds.filter((id) => isUuid(id));
    const rows = ids.length ? await this.em.find(ScoreRecord, { tenantId, applicationId: { $in: ids } }) : [];
    return new Map(rows.map((r) => [r.applicationId, r]));
  }

  findScore(tenantId: string, applicationId: string): Promise<ScoreRecord | null> {
    return isUuid(applicationId) ? this.em.findOne(ScoreRecord, { tenantId, applicationId }) : Promise.resolve(null);
  }

  findScoreByExternalId(tenantId: string, externalId: string): Promise<ScoreRecord | null> {
    return this.em.findOne(ScoreRecord, { tenantId, externalId });
  }

  async outcomes(tenantId: string, applicationIds: string[]): Promise<Map<string, LoanOutcome>> {
    const ids = applicationIds.filter((id) => isUuid(id));
    const rows = ids.length ? await this.em.find(LoanOutcomeRecord, { tenantId, applicationId: { $in: ids } }) : [];
    return new Map(rows.map((r) => [r.applicationId, r.outcome]));
  }

  async decisions(tenantId: string, applicationIds: string[]): Promise<Map<string, ApplicationDecisionRecord>> {
    const ids = applicationIds.filter((id) => isUuid(id));
    const rows = ids.length ? await this.em.find(ApplicationDecisionRecord, { tenantId, applicationId: { $in: ids } }) : [];
    return new Map(rows.map((r) => [r.applicationId, r]));
  }

  /** The most recently decided applications of the tenant (candidates for similar cases). */
  recentDecisions(tenantId: string, limit: number): Promise<ApplicationDecisionRecord[]> {
    return this.em.find(ApplicationDecisionRecord, { tenantId }, { orderBy: { decidedAt: 'desc' }, limit });
  }

  /** Records (or corrects) a loan's outcome. */
  async recordOutcome(tenantId: string, applicationId: string, outcome: LoanOutcome, recordedBy: string): Promise<LoanOutcomeRecord> {
    const existing = await this.em.findOne(LoanOutcomeRecord, { tenantId, applicationId });
    const record = existing ?? this.em.create(LoanOutcomeRecord, { tenantId, applicationId, outcome, recordedBy, recordedAt: new Date() });
    Object.assign(record, { outcome, recordedBy, recordedAt: new Date() });
    this.em.persist(record);
    await this.em.flush();
    return record;
  }

  /**
   * Keeps the latest decision per application (an older one arriving late changes nothing): a batch of
   * decisions in one statement, as one upsert each in any order would leave them.
   */
  async upsertDecisions(
    tenantId: string,
    decisions: readonly { applicationId: string; outcome: DecisionOutcome; automated: boolean; decidedAt: Date }[],
  ): Promise<void> {
    const rows = newestPerApplication(
      decisions.filter((d) => isUuid(d.applicationId)),
      (d) => d.decidedAt,
    );
    if (rows.length === 0) return;
    await this.em.execute(
      `INSERT INTO ${schemaTable(this.em, 'application_decisions')} AS d (tenant_id, application_id, outcome, automated, decided_at)
       VALUES ${rows.map(() => '(?, ?, ?, ?, ?)').join(', ')}
       ON CONFLICT (tenant_id, application_id) DO UPDATE SET outcome = EXCLUDED.outcome, automated = EXCLUDED.automated, decided_at = EXCLUDED.decided_at
       WHERE d.decided_at <= EXCLUDED.decided_at`,
      rows.flatMap((d) => [tenantId, d.applicationId, d.outcome, d.automated, d.decidedAt]),
    );
  }

  /** Tenants with scores since `since` (the scheduled job checks each; everything it reads afterwards is per tenant). */
  async tenantsScoredSince(since: Date): Promise<string[]> {
    const rows = (await this.em
      .createQueryBuilder(ScoreRecord)
      .select('tenantId', true)
      .where({ scoredAt: { $gte: since } })
      .execute('all')) as {
      tenantId?: string;
      tenant_id?: string;
    }[];
    return rows.map((r) => (r.tenantId ?? r.tenant_id) as string);
  }

  addRun(data: Omit<DriftRunRecord, 'id'>): DriftRunRecord {
    const run = this.em.create(DriftRunRecord, { ...data, id: randomUUID() });
    this.em.persist(run);
    return run;
  }

  findRun(tenantId: string, id: string): Promise<DriftRunRecord | null> {
    return isUuid(id) ? this.em.findOne(DriftRunRecord, { tenantId, id }) : Promise.resolve(null);
  }

  latestRun(tenantId: string): Promise<DriftRunRecord | null> {
    return this.em.findOne(DriftRunRecord, { tenantId }, { orderBy: { ranAt: 'desc' } });
  }

  /** Serialises alert writes of one tenant (the scheduled job and an on-demand run may overlap). */
  async lockAlerts(tenantId: string): Promise<void> {
    await lockForTransaction(this.em, `drift_alerts:${tenantId}`);
  }

  /**
   * Opens an alert, or refreshes the one already open for the same
   * (kind, feature, metric): de-duplicated while not dismissed. `publish` is
   * true for a new alert and for an escalation (WARNING → CRITICAL).
   */
  async raise(tenantId: string, c: AlertCandidate, now: Date): Promise<{ alert: DriftAlertRecord; publish: boolean }> {
    const open = await this.em.findOne(DriftAlertRecord, { tenantId, kind: c.kind, feature: c.feature, metric: c.metric, status: { $ne: 'DISMISSED' } });
    if (open) {
      const escalated = SEVERITY_RANK[c.severity] > SEVERITY_RANK[open.severity];
      Object.assign(open, { value: c.value, lastSeenAt: now, runId: c.runId, modelVersion: c.modelVersion });
      if (escalated) open.severity = c.severity;
      return { alert: open, publish: escalated };
    }
    const alert = this.em.create(DriftAlertRecord, {
      ...c,
      id: randomUUID(),
      tenantId,
      status: 'OPEN',
      raisedAt: now,
      lastSeenAt: now,
      resolvedBy: null,
      resolvedAt: null,
    });
    this.em.persist(alert);
    return { alert, publish: true };
  }

  alerts(tenantId: string, status: AlertStatus | null, limit: number): Promise<DriftAlertRecord[]> {
    return this.em.find(DriftAlertRecord, status ? { tenantId, status } : { tenantId }, { orderBy: { raisedAt: 'desc' }, limit });
  }

  findAlert(tenantId: string, id: string): Promise<DriftAlertRecord | null> {
    return isUuid(id) ? this.em.findOne(DriftAlertRecord, { tenantId, id }) : Promise.resolve(null);
  }
}
