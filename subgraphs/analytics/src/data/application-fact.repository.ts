import type { EntityManager } from '@mikro-orm/postgresql';
import { newestPerApplication, schemaTable } from '@tandem/platform';
import { APPROVING_OUTCOMES, type DashboardCounts, type OutcomeCounts, type RiskBandCounts } from '../domain/decision-metrics.js';
import type { ReportingWindow } from '../domain/reporting-window.js';
import { ApplicationFact } from './application-fact.entity.js';

export interface StatusFact {
  applicationId: string;
  submittedAt: Date;
  status: string;
  /** When the status changed at the source; orders status events that arrive out of order. */
  changedAt: Date;
}

export interface ScoreFact {
  applicationId: string;
  submittedAt: Date;
  route: string;
  modelRecommendation: string;
  probabilityOfDefault: number;
  riskBand: string;
  loanAmount: number;
  scoredAt: Date;
}

export interface DecisionFact {
  applicationId: string;
  decidedAt: Date;
  outcome: string;
  automated: boolean;
  isOverride: boolean;
  overrideStatus: string | null;
  reviewSeconds: number | null;
  withinSla: boolean | null;
}

/**
 * SET clauses for a group of columns one event type owns: the event's values
 * win only when its timestamp is not older than the one stored, so a late
 * (stale) event of the same type changes nothing. Column names are constants.
 */
function latestWins(stamp: string, columns: string[]): string {
  const newer = `(f.${stamp} IS NULL OR EXCLUDED.${stamp} >= f.${stamp})`;
  return [...columns.map((c) => `${c} = CASE WHEN ${newer} THEN EXCLUDED.${c} ELSE f.${c} END`), `${stamp} = GREATEST(f.${stamp}, EXCLUDED.${stamp})`].join(
    ',\n      ',
  );
}

// The vocabulary of decision-metrics.ts, in SQL.
// An override awaiting a senior, or one a senior rejected (the case went back to its analyst), is no decision in effect.
const DECISION = `(outcome IS NOT NULL AND (override_status IS NULL OR override_status = 'APPROVED'))`;
const HUMAN_DECISION = `(${DECISION} AND automated = false)`;
const APPROVAL = `(${DECISION} AND outcome IN (${APPROVING_OUTCOMES.map((o) => `'${o}'`).join(', ')}))`;
const DECLINE = `(${DECISION} AND outcome = 'DECLINED')`;
const STANDING_OVERRIDE = `(${DECISION} AND is_override)`;

/**
 * The analytics read model. Event handlers upsert facts (each event sets only
 * the columns it knows, so arrival order does not matter); the dashboard reads
 * aggregates, one SQL query per metric family. Every method takes the tenant.
 */
export class ApplicationFactRepository {
  constructor(private readonly em: EntityManager) {}

  private get table(): string {
    return schemaTable(this.em, 'application_facts');
  }

  findFact(tenantId: string, applicationId: string): Promise<ApplicationFact | null> {
    return this.em.findOne(ApplicationFact, { tenantId, applicationId });
  }

  // Each takes a batch of one kind in one statement (a consumer's batch under load): the result is that of one
  // upsert per fact in any order, because each column group keeps its newest values (latestWins).

  async recordStatuses(tenantId: string, facts: readonly StatusFact[]): Promise<void> {
    const rows = newestPerApplication(facts, (s) => s.changedAt);
    if (!rows.length) return;
    await this.em.execute(
      `INSERT INTO ${this.table} AS f (tenant_id, application_id, submitted_at, status, status_changed_at, updated_at)
       VALUES ${rows.map(() => '(?, ?, ?, ?, ?, now())').join(', ')}
       ON CONFLICT (tenant_id, application_id) DO UPDATE SET
      submitted_at = COALESCE(f.submitted_at, EXCLUDED.submitted_at),
      ${latestWins('status_changed_at', ['status'])},
      updated_at = now()`,
      rows.flatMap((s) => [tenantId, s.applicationId, s.submittedAt, s.status, s.changedAt]),
    );
  }

  async recordScores(tenantId: string, facts: readonly ScoreFact[]): Promise<void> {
    const rows = newestPerApplication(facts, (s) => s.scoredAt);
    if (!rows.length) return;
    await this.em.execute(
      `INSERT INTO ${this.table} AS f (tenant_id, application_id, submitted_at, route, model_recommendation,
         probability_of_default, risk_band, loan_amount, scored_at, updated_at)
       VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, now())').join(', ')}
       ON CONFLICT (tenant_id, application_id) DO UPDATE SET
      submitted_at = COALESCE(f.submitted_at, EXCLUDED.submitted_at),
      ${latestWins('scored_at', ['route', 'model_recommendation', 'probability_of_default', 'risk_band', 'loan_amount'])},
      updated_at = now()`,
      rows.flatMap((s) => [
        tenantId,
        s.applicationId,
        s.submittedAt,
        s.route,
        s.modelRecommendation,
        s.probabilityOfDefault,
        s.riskBand,
        s.loanAmount.toFixed(2),
        s.scoredAt,
      ]),
    );
  }

  async recordDecisions(tenantId: string, facts: readonly DecisionFact[]): Promise<void> {
    const rows = newestPerApplication(facts, (d) => d.decidedAt);
    if (!rows.length) return;
    await this.em.execute(
      `INSERT INTO ${this.table} AS f (tenant_id, application_id, decided_at, outcome, automated, is_override,
         override_status, review_seconds, within_sla, updated_at)
       VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, now())').join(', ')}
       ON CONFLICT (tenant_id, application_id) DO UPDATE SET
      ${latestWins('decided_at', ['outcome', 'automated', 'is_override', 'override_status', 'review_seconds', 'within_sla'])},
      updated_at = now()`,
      rows.flatMap((d) => [tenantId, d.applicationId, d.decidedAt, d.outcome, d.automated, d.isOverride, d.overrideStatus, d.reviewSeconds, d.withinSla]),
    );
  }

  /** Every count the decision dashboard needs, for applications submitted in [from, to). */
  async dashboardCounts(tenantId: string, window: ReportingWindow): Promise<DashboardCounts> {
    const inWindow = 'tenant_id = ? AND submitted_at >= ? AND submitted_at < ?';
    const params = [tenantId, window.from, window.to];
    const [[totals], bands, outcomes] = await Promise.all([
      this.em.execute<Record<string, string | number | null>[]>(
        `SELECT
           count(*) AS applications,
           count(*) FILTER (WHERE status = 'REVIEW') AS pending_review,
           count(*) FILTER (WHERE ${DECISION}) AS decisions,
           count(*) FILTER (WHERE ${DECISION} AND automated) AS automated_decisions,
           count(*) FILTER (WHERE ${HUMAN_DECISION}) AS human_decisions,
           count(*) FILTER (WHERE ${APPROVAL}) AS approvals,
           count(*) FILTER (WHERE ${STANDING_OVERRIDE}) AS overrides,
           count(review_seconds) FILTER (WHERE ${HUMAN_DECISION}) AS human_with_review_time,
           coalesce(sum(review_seconds) FILTER (WHERE ${HUMAN_DECISION}), 0) AS human_review_seconds,
           count(within_sla) FILTER (WHERE ${HUMAN_DECISION}) AS human_with_sla_result,
           count(*) FILTER (WHERE ${HUMAN_DECISION} AND within_sla) AS human_within_sla
         FROM ${this.table} WHERE ${inWindow}`,
        params,
      ),
      this.em.execute<{ risk_band: string; applications: string; approved: string; declined: string }[]>(
        `SELECT risk_band,
           count(*) AS applications,
           count(*) FILTER (WHERE ${APPROVAL}) AS approved,
           count(*) FILTER (WHERE ${DECLINE}) AS declined
         FROM ${this.table} WHERE ${inWindow} AND risk_band IS NOT NULL
         GROUP BY risk_band ORDER BY risk_band`,
        params,
      ),
      this.em.execute<{ outcome: string; count: string }[]>(
        `SELECT outcome, count(*) AS count FROM ${this.table} WHERE ${inWindow} AND ${DECISION} GROUP BY outcome ORDER BY outcome`,
        params,
      ),
    ]);
    const n = (v: unknown) => Number(v ?? 0); // count() is bigint: the driver returns strings
    return {
      applications: n(totals.applications),
      pendingReview: n(totals.pending_review),
      decisions: n(totals.decisions),
      automatedDecisions: n(totals.automated_decisions),
      humanDecisions: n(totals.human_decisions),
      approvals: n(totals.approvals),
      overrides: n(totals.overrides),
      humanDecisionsWithReviewTime: n(totals.human_with_review_time),
      humanReviewSecondsTotal: n(totals.human_review_seconds),
      humanDecisionsWithSlaResult: n(totals.human_with_sla_result),
      humanDecisionsWithinSla: n(totals.human_within_sla),
      byRiskBand: bands.map(
        (b): RiskBandCounts => ({ riskBand: b.risk_band, applications: n(b.applications), approved: n(b.approved), declined: n(b.declined) }),
      ),
      byOutcome: outcomes.map((o): OutcomeCounts => ({ outcome: o.outcome, count: n(o.count) })),
    };
  }
}
