import { anyOf, badInput, conflict, forbidden, notFound, Permission, type SubgraphContext, servicesOf, tenantOf } from '@tandem/platform';
import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { AlertStatus } from '../data/drift.entity.js';
import { MonitoringRepository } from '../data/monitoring.repository.js';
import type { ScoreRecord } from '../data/score.entity.js';
import { auc, brierScore, calibrationByBand, ksSeparation } from '../domain/model-performance.js';
import { simulatePolicy } from '../domain/policy-simulation.js';
import { validateRoutingPolicy } from '../domain/routing-policy.js';
import { nearestNeighbours } from '../domain/similar-cases.js';
import { auditDriftAlertResolved } from '../events/scoring-audit.js';
import { driftTable, fairnessReport, runDriftCheck, runFairnessCheck } from '../jobs/monitoring-checks.js';
import type { ScoringServices } from '../server.js';
import { DriftAlert, DriftAlertStatus, type DriftSeverity } from './drift-alert.types.js';
import { toDriftAlert, toDriftRun, toFeatureDrift, windowOf } from './monitoring.mapper.js';
import {
  DriftReport,
  DriftRun,
  FairnessReport,
  LoanOutcome,
  ModelPerformance,
  MonitoringWindowInput,
  PolicySimulation,
  ProtectedAttribute,
  RecordedLoanOutcome,
  SimilarCase,
} from './monitoring.types.js';
import { RoutingPolicyInput } from './routing-policy.types.js';
import type { Route } from './scoring.types.js';

/** Similar cases are searched among this many most recent decisions. */
const SIMILAR_CANDIDATES = 5_000;
const MAX_SIMULATION_DAYS = 366;

type FairnessResult = Awaited<ReturnType<typeof fairnessReport>> & { alertsRaised?: number };
const toFairnessReport = (r: FairnessResult): FairnessReport => ({
  ...r,
  attributes: r.attributes.map((a) => ({ ...a, attribute: a.attribute as ProtectedAttribute, breach: (a.breach as DriftSeverity | null) ?? null })),
  alertsRaised: r.alertsRaised ?? null,
});

@Resolver()
export class MonitoringResolver {
  @Authorized(Permission.AnalyticsView)
  @Query(() => DriftReport, {
    description: "Per-feature drift of the champion's scores in the window against its training reference. Requires analytics:view.",
  })
  async driftReport(
    @Arg('window', () => MonitoringWindowInput, { nullable: true }) window: MonitoringWindowInput | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<DriftReport> {
    const table = await driftTable(ctx.em, servicesOf<ScoringServices>(ctx).registry, tenantOf(ctx), windowOf(window));
    return {
      modelName: table.modelName,
      modelVersion: table.modelVersion,
      windowFrom: table.from,
      windowTo: table.to,
      sampleSize: table.sampleSize,
      features: table.rows.map(toFeatureDrift),
    };
  }

  @Authorized(Permission.ConfigManage)
  @Mutation(() => DriftRun, {
    description: 'Runs a drift check now: stores the run and raises alerts (PSI ≥ 0.1 WARNING, ≥ 0.25 CRITICAL). Requires config:manage.',
  })
  async runDriftCheck(
    @Arg('window', () => MonitoringWindowInput, { nullable: true }) window: MonitoringWindowInput | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<DriftRun> {
    const run = await runDriftCheck(ctx.em, servicesOf<ScoringServices>(ctx).registry, tenantOf(ctx), windowOf(window), 'ON_DEMAND');
    ctx.log.info({ runId: run.id, sampleSize: run.sampleSize, alertsRaised: run.alertsRaised }, 'drift check run');
    return toDriftRun(run);
  }

  @Authorized(Permission.AnalyticsView)
  @Query(() => DriftRun, { nullable: true, description: 'A stored drift run by id (or the latest without one). Requires analytics:view.' })
  async driftRun(@Ctx() ctx: SubgraphContext, @Arg('id', () => ID, { nullable: true }) id?: string | null): Promise<DriftRun | null> {
    const repo = new MonitoringRepository(ctx.em);
    const run = id ? await repo.findRun(tenantOf(ctx), id) : await repo.latestRun(tenantOf(ctx));
    return run ? toDriftRun(run) : null;
  }

  @Authorized(Permission.AnalyticsView)
  @Query(() => [DriftAlert], { description: 'Drift and fairness alerts, newest first (all statuses without `status`). Requires analytics:view.' })
  async driftAlerts(
    @Ctx() ctx: SubgraphContext,
    @Arg('status', () => DriftAlertStatus, { nullable: true }) status?: DriftAlertStatus | null,
    @Arg('limit', () => Int, { defaultValue: 100 }) limit = 100,
  ): Promise<DriftAlert[]> {
    if (limit < 1 || limit > 500) throw badInput('limit must be 1 to 500');
    const rows = await new MonitoringRepository(ctx.em).alerts(tenantOf(ctx), (status as AlertStatus | null) ?? null, limit);
    return rows.map(toDriftAlert);
  }

  @Authorized(Permission.ConfigManage)
  @Mutation(() => DriftAlert, { description: 'Marks an open alert as seen; it stays de-duplicating until dismissed. Requires config:manage.' })
  acknowledgeDriftAlert(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<DriftAlert> {
    return this.resolveAlert(ctx, id, 'ACKNOWLEDGED');
  }

  @Authorized(Permission.ConfigManage)
  @Mutation(() => DriftAlert, { description: 'Closes an alert; a later check that finds the same drift opens a new one. Requires config:manage.' })
  dismissDriftAlert(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<DriftAlert> {
    return this.resolveAlert(ctx, id, 'DISMISSED');
  }

  private async resolveAlert(ctx: SubgraphContext, id: string, to: 'ACKNOWLEDGED' | 'DISMISSED'): Promise<DriftAlert> {
    const repo = new MonitoringRepository(ctx.em);
    const alert = await repo.findAlert(tenantOf(ctx), id);
    if (!alert) throw notFound('Drift alert', id);
    if (alert.status === 'DISMISSED') throw conflict('The alert was already dismissed');
    if (alert.status === to) throw conflict(`The alert is already ${to.toLowerCase()}`);
    const before = { status: alert.status, resolvedBy: alert.resolvedBy ?? null, resolvedAt: alert.resolvedAt ?? null };
    Object.assign(alert, { status: to, resolvedBy: ctx.caller.id ?? 'unknown', resolvedAt: new Date() });
    // Staged before the flush: the change and its audit entry commit together.
    auditDriftAlertResolved(ctx.em, alert, before, ctx.caller, ctx.requestId);
    await ctx.em.flush();
    return toDriftAlert(alert);
  }

  @Authorized(Permission.AnalyticsView)
  @Query(() => FairnessReport, {
    description: 'Approval-rate ratio, demographic parity and equalized odds by age band and marital status. Requires analytics:view.',
  })
  async fairnessReport(
    @Arg('window', () => MonitoringWindowInput, { nullable: true }) window: MonitoringWindowInput | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<FairnessReport> {
    return toFairnessReport(await fairnessReport(ctx.em, tenantOf(ctx), windowOf(window)));
  }

  @Authorized(Permission.ConfigManage)
  @Mutation(() => FairnessReport, {
    description: 'The fairness report, raising an alert for each attribute that breaches the four-fifths rule. Requires config:manage.',
  })
  async runFairnessCheck(
    @Arg('window', () => MonitoringWindowInput, { nullable: true }) window: MonitoringWindowInput | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<FairnessReport> {
    return toFairnessReport(await runFairnessCheck(ctx.em, servicesOf<ScoringServices>(ctx).registry, tenantOf(ctx), windowOf(window)));
  }

  // Either permission will do: partners have application:create, operators config:manage.
  @Authorized(anyOf(Permission.ApplicationCreate, Permission.ConfigManage))
  @Mutation(() => RecordedLoanOutcome, {
    description:
      'Records how a scored loan turned out, by application id or your externalId (a later report corrects it). Requires application:create or config:manage.',
  })
  async recordLoanOutcome(
    @Arg('outcome', () => LoanOutcome) outcome: LoanOutcome,
    @Ctx() ctx: SubgraphContext,
    @Arg('applicationId', () => ID, { nullable: true }) applicationId?: string | null,
    @Arg('externalId', () => String, { nullable: true }) externalId?: string | null,
  ): Promise<RecordedLoanOutcome> {
    const tenantId = tenantOf(ctx);
    const { permissions } = ctx.caller;
    if (!permissions.includes(Permission.ApplicationCreate) && !permissions.includes(Permission.ConfigManage)) {
      throw forbidden(`Missing permission: ${Permission.ApplicationCreate} or ${Permission.ConfigManage}`);
    }
    if ((applicationId == null) === (externalId == null)) throw badInput('give exactly one of applicationId and externalId');
    const repo = new MonitoringRepository(ctx.em);
    const score = applicationId != null ? await repo.findScore(tenantId, applicationId) : await repo.findScoreByExternalId(tenantId, externalId as string);
    if (!score) throw notFound('Scored application', applicationId ?? externalId ?? undefined);
    const record = await repo.recordOutcome(tenantId, score.applicationId, outcome, ctx.caller.id ?? 'unknown');
    ctx.log.info({ applicationId: score.applicationId, outcome }, 'loan outcome recorded');
    return { applicationId: record.applicationId, outcome: record.outcome as LoanOutcome, recordedBy: record.recordedBy, recordedAt: record.recordedAt };
  }

  @Authorized(Permission.AnalyticsView)
  @Query(() => ModelPerformance, {
    description: 'AUC, KS, Brier score and calibration by risk band of the scores in the window whose loans have an outcome. Requires analytics:view.',
  })
  async modelPerformance(
    @Arg('window', () => MonitoringWindowInput, { nullable: true }) window: MonitoringWindowInput | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ModelPerformance> {
    const tenantId = tenantOf(ctx);
    const { from, to } = windowOf(window);
    const repo = new MonitoringRepository(ctx.em);
    const scores = await repo.scoresInWindow(tenantId, from, to);
    const outcomes = await repo.outcomes(
      tenantId,
      scores.map((s) => s.applicationId),
    );
    const cases = scores.flatMap((s) => {
      const o = outcomes.get(s.applicationId);
      return o ? [{ probabilityOfDefault: s.probabilityOfDefault, riskBand: s.riskBand, defaulted: o === 'DEFAULTED' }] : [];
    });
    const a = auc(cases);
    return {
      from,
      to,
      loansWithOutcome: cases.length,
      defaults: cases.filter((c) => c.defaulted).length,
      auc: a,
      gini: a === null ? null : 2 * a - 1,
      ks: ksSeparation(cases),
      brierScore: brierScore(cases),
      calibration: calibrationByBand(cases),
    };
  }

  @Authorized(Permission.AnalyticsView)
  @Query(() => PolicySimulation, {
    description: 'Replays the applications scored between from and to under a proposed routing policy, without publishing it. Requires analytics:view.',
  })
  async simulatePolicy(
    @Arg('policy', () => RoutingPolicyInput) policy: RoutingPolicyInput,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
    @Ctx() ctx: SubgraphContext,
  ): Promise<PolicySimulation> {
    const tenantId = tenantOf(ctx);
    const problems = validateRoutingPolicy({ ...policy, effectiveFrom: null }, new Date());
    if (problems.length) throw badInput(`Invalid routing policy: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`, { problems });
    if (!(from < to)) throw badInput('from must be before to');
    const days = (to.getTime() - from.getTime()) / 86_400_000;
    if (days > MAX_SIMULATION_DAYS) throw badInput(`the window may span at most ${MAX_SIMULATION_DAYS} days`);
    const scores = await new MonitoringRepository(ctx.em).scoresInWindow(tenantId, from, to);
    const result = simulatePolicy(
      {
        autoApproveBelow: policy.autoApproveBelow,
        autoDeclineAbove: policy.autoDeclineAbove,
        maxAutoAmount: policy.maxAutoAmount,
        ...(policy.maxAutoTermMonths != null ? { maxAutoTermMonths: policy.maxAutoTermMonths } : {}),
        reviewPurposes: policy.reviewPurposes ?? [],
      },
      scores.map((s: ScoreRecord) => ({
        probabilityOfDefault: s.probabilityOfDefault,
        application: { amount: s.inputs.loanAmount, termMonths: s.inputs.termMonths, purpose: s.inputs.purpose },
        actualRoute: s.route,
      })),
      days,
    );
    return { from, to, ...result };
  }

  @Authorized(Permission.ApplicationView)
  @Query(() => [SimilarCase], {
    description: 'The k decided applications nearest to this one in model-feature space, with their decisions and known outcomes. Requires application:view.',
  })
  async similarCases(
    @Arg('applicationId', () => ID) applicationId: string,
    @Ctx() ctx: SubgraphContext,
    @Arg('k', () => Int, { defaultValue: 5 }) k = 5,
  ): Promise<SimilarCase[]> {
    const tenantId = tenantOf(ctx);
    if (!Number.isInteger(k) || k < 1 || k > 50) throw badInput('k must be 1 to 50');
    const repo = new MonitoringRepository(ctx.em);
    const score = await repo.findScore(tenantId, applicationId);
    if (!score) throw notFound('Scored application', applicationId);
    const decisions = (await repo.recentDecisions(tenantId, SIMILAR_CANDIDATES)).filter((d) => d.applicationId !== applicationId);
    const scores = await repo.scoresByApplication(
      tenantId,
      decisions.map((d) => d.applicationId),
    );
    // Only scores by the same model version share the feature space.
    const candidates = decisions.flatMap((d) => {
      const s = scores.get(d.applicationId);
      return s && s.modelName === score.modelName && s.modelVersion === score.modelVersion
        ? [{ item: { decision: d, score: s }, vector: s.featureVector }]
        : [];
    });
    const nearest = nearestNeighbours(score.featureVector, candidates, k);
    const outcomes = await repo.outcomes(
      tenantId,
      nearest.map((n) => n.item.score.applicationId),
    );
    return nearest.map(({ item: { decision, score: s }, distance }) => ({
      application: { id: s.applicationId },
      distance,
      probabilityOfDefault: s.probabilityOfDefault,
      riskBand: s.riskBand,
      route: s.route as Route,
      decision: decision.outcome,
      automated: decision.automated,
      decidedAt: decision.decidedAt,
      loanOutcome: (outcomes.get(s.applicationId) as LoanOutcome | undefined) ?? null,
    }));
  }
}
