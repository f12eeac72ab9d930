import { randomUUID } from 'node:crypto';
import type { ApplicationScored, DriftAlertRaised, EventEnvelope } from '@tandem/platform';
import { Topic } from '@tandem/platform';
import { startSubgraphForTest, testCaller } from '@tandem/platform/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ApplicationDecisionRecord } from '../src/data/loan-outcome.entity.js';
import { recommend } from '../src/domain/routing.js';
import { runScheduledMonitoring } from '../src/jobs/monitoring-job.js';
import { type ScoringServices, scoringSubgraph } from '../src/server.js';
import {
  auditsOf,
  baselineVectors,
  decisionEvent,
  PROMOTE,
  publishDecision,
  REGISTER,
  submitAndScore,
  submittedInput,
  type TestSubgraph,
  until,
} from './helpers.js';

const FEATURES = 'feature kind sampleSize bins psi severity ks ksPValue chiSquare chiSquareDegreesOfFreedom chiSquarePValue';
const RUN = /* GraphQL */ `
  mutation Run($window: MonitoringWindowInput) {
    runDriftCheck(window: $window) { id modelVersion sampleSize trigger alertsRaised windowFrom windowTo features { ${FEATURES} } }
  }`;
const RUN_BY_ID = /* GraphQL */ `query R($id: ID) { driftRun(id: $id) { id sampleSize features { feature psi } } }`;
const LATEST_RUN = /* GraphQL */ `query Latest { driftRun { id trigger sampleSize modelVersion } }`;
const REPORT = /* GraphQL */ `
  query Report($window: MonitoringWindowInput) { driftReport(window: $window) { modelVersion sampleSize features { ${FEATURES} } } }`;
const ALERTS = /* GraphQL */ `
  query Alerts($status: DriftAlertStatus) { driftAlerts(status: $status) { id kind feature metric value severity status modelVersion resolvedBy } }`;
const ACK = /* GraphQL */ `mutation Ack($id: ID!) { acknowledgeDriftAlert(id: $id) { id status resolvedBy } }`;
const DISMISS = /* GraphQL */ `mutation Dismiss($id: ID!) { dismissDriftAlert(id: $id) { id status } }`;
const FAIRNESS_FIELDS = `applications decided withOutcome alertsRaised
  attributes { attribute approvalRateRatio demographicParityDifference equalizedOddsDifference breach groups { group applications approvals approvalRate } }`;
const FAIRNESS = /* GraphQL */ `query F($window: MonitoringWindowInput) { fairnessReport(window: $window) { ${FAIRNESS_FIELDS} } }`;
const RUN_FAIRNESS = /* GraphQL */ `mutation F($window: MonitoringWindowInput) { runFairnessCheck(window: $window) { ${FAIRNESS_FIELDS} } }`;
const OUTCOME = /* GraphQL */ `
  mutation Outcome($applicationId: ID, $externalId: String, $outcome: LoanOutcome!) {
    recordLoanOutcome(applicationId: $applicationId, externalId: $externalId, outcome: $outcome) { applicationId outcome recordedBy }
  }`;
const PERFORMANCE = /* GraphQL */ `
  query P($window: MonitoringWindowInput) {
    modelPerformance(window: $window) { loansWithOutcome defaults auc gini ks brierScore calibration { riskBand loans defaults meanPredictedPd observedDefaultRate } }
  }`;
const SIMULATE = /* GraphQL */ `
  query S($policy: RoutingPolicyInput!, $from: DateTime!, $to: DateTime!) {
    simulatePolicy(policy: $policy, from: $from, to: $to) { applications autoApproved autoDeclined humanReview autoDecisionRate approvalRate reviewQueuePerDay routeChanges }
  }`;
const SIMILAR = /* GraphQL */ `
  query Similar($id: ID!, $k: Int) { similarCases(applicationId: $id, k: $k) { application { id } distance probabilityOfDefault decision automated loanOutcome } }`;

const lastHour = { lastHours: 1 };

describe('monitoring: drift, fairness, outcomes, policy simulation, similar cases', () => {
  let sg: TestSubgraph;
  const admin = (tenantId: string) => testCaller('admin', tenantId, `admin-of-${tenantId}`);
  const manager = (tenantId: string) => testCaller('senior_analyst', tenantId);

  async function withBaselineChampion(tenant: string) {
    const reg = await sg.call(admin(tenant), REGISTER, { input: { name: 'credit-default', version: '0.1.0', modelPath: 'credit-default/0.1.0' } });
    expect(reg.body.errors).toBeUndefined();
    const promoted = await sg.call(admin(tenant), PROMOTE, { name: 'credit-default', version: '0.1.0' });
    expect(promoted.body.errors).toBeUndefined();
  }
  const alertEvents = (tenant: string) =>
    sg.published.filter((e) => e.type === Topic.DriftAlertRaised && e.tenantId === tenant) as unknown as EventEnvelope<DriftAlertRaised>[];

  beforeAll(async () => {
    sg = await startSubgraphForTest<ScoringServices>(scoringSubgraph, inject('databaseUrl'));
  });
  afterAll(async () => sg?.close());

  it('runs a drift check: stores the run, raises alerts once while open, publishes them, re-raises after dismissal', async () => {
    const tenant = 'drift-a';
    await withBaselineChampion(tenant);
    // 40 applicants, every one with past arrears: the training population had 17%
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => submitAndScore(sg, tenant, submittedInput({ ...(baselineVectors[i % 20] as any).input, pastArrears: true }))),
    );

    const denied = await sg.call(testCaller('analyst', tenant), RUN, { window: lastHour });
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const badWindow = await sg.call(admin(tenant), RUN, { window: { lastHours: 0 } });
    expect(badWindow.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const first = await sg.call(admin(tenant), RUN, { window: lastHour });
    expect(first.body.errors).toBeUndefined();
    const run = (first.body.data as any).runDriftCheck;
    expect(run).toMatchObject({ modelVersion: '0.1.0', sampleSize: 40, trigger: 'ON_DEMAND' });
    const arrears = run.features.find((f: any) => f.feature === 'past_arrears');
    // all 40 in the "1" bin against 17.2%: PSI = (0.0122−0.8284)·ln(0.0122/0.8284) + (0.9878−0.1716)·ln(0.9878/0.1716) (+0.5 smoothing)
    expect(arrears).toMatchObject({ kind: 'CATEGORICAL', severity: 'CRITICAL', bins: 2, sampleSize: 40 });
    expect(arrears.psi).toBeCloseTo((0.5 / 41 - 0.828421) * Math.log(0.5 / 41 / 0.828421) + (40.5 / 41 - 0.171579) * Math.log(40.5 / 41 / 0.171579), 4);
    expect(arrears.chiSquarePValue).toBeLessThan(1e-6);
    expect(run.features.find((f: any) => f.feature === 'score')).toMatchObject({ kind: 'SCORE' });
    expect(run.features.find((f: any) => f.feature === 'housing')).toMatchObject({ kind: 'CATEGORICAL' });
    expect(run.features.find((f: any) => f.feature === 'loan_to_income')?.ks).toBeGreaterThan(0);
    const flagged = run.features.filter((f: any) => f.severity !== null);
    expect(run.alertsRaised).toBe(flagged.length);

    await expect.poll(() => alertEvents(tenant).length).toBe(flagged.length);
    const pushed = alertEvents(tenant).find((e) => e.payload.feature === 'past_arrears');
    expect(pushed?.payload).toMatchObject({ severity: 'CRITICAL', metric: 'PSI', kind: 'DRIFT', status: 'OPEN', modelVersion: '0.1.0' });
    expect(pushed?.payload.value).toBeCloseTo(arrears.psi, 9);

    const stored = await sg.call(testCaller('analyst', tenant), RUN_BY_ID, { id: run.id });
    expect((stored.body.data as any).driftRun).toMatchObject({ id: run.id, sampleSize: 40 });
    const report = await sg.call(testCaller('analyst', tenant), REPORT, { window: lastHour });
    expect((report.body.data as any).driftReport.features.find((f: any) => f.feature === 'past_arrears').psi).toBeCloseTo(arrears.psi, 12);

    // de-duplicated while open
    const second = (await sg.call(admin(tenant), RUN, { window: lastHour })).body.data as any;
    expect(second.runDriftCheck.alertsRaised).toBe(0);
    expect(second.runDriftCheck.id).not.toBe(run.id);
    const open = ((await sg.call(testCaller('analyst', tenant), ALERTS, { status: 'OPEN' })).body.data as any).driftAlerts;
    expect(open).toHaveLength(flagged.length);
    const alert = open.find((a: any) => a.feature === 'past_arrears');

    const ack = await sg.call(admin(tenant), ACK, { id: alert.id });
    expect((ack.body.data as any).acknowledgeDriftAlert).toEqual({ id: alert.id, status: 'ACKNOWLEDGED', resolvedBy: `admin-of-${tenant}` });
    expect((await sg.call(admin(tenant), ACK, { id: alert.id })).body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(((await sg.call(admin(tenant), RUN, { window: lastHour })).body.data as any).runDriftCheck.alertsRaised).toBe(0);

    expect(((await sg.call(admin(tenant), DISMISS, { id: alert.id })).body.data as any).dismissDriftAlert.status).toBe('DISMISSED');
    const afterDismissal = ((await sg.call(admin(tenant), RUN, { window: lastHour })).body.data as any).runDriftCheck;
    expect(afterDismissal.alertsRaised).toBe(1);
    const reopened = ((await sg.call(testCaller('analyst', tenant), ALERTS, { status: 'OPEN' })).body.data as any).driftAlerts.find(
      (a: any) => a.feature === 'past_arrears',
    );
    expect(reopened.id).not.toBe(alert.id);

    // tenant isolation and unknown ids
    expect((await sg.call(admin('drift-other'), DISMISS, { id: reopened.id })).body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await sg.call(admin('drift-other'), ACK, { id: reopened.id })).body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(((await sg.call(testCaller('analyst', 'drift-other'), RUN_BY_ID, { id: run.id })).body.data as any).driftRun).toBeNull();

    // acknowledge and dismiss are in the audit trail; the refused second acknowledge and the other tenant's call are not
    await expect.poll(() => auditsOf(sg, tenant, 'DriftAlert').map((a) => a.action)).toEqual(['ACKNOWLEDGED', 'DISMISSED']);
    const [acked, dismissed] = auditsOf(sg, tenant, 'DriftAlert');
    expect(acked).toMatchObject({
      entityId: alert.id,
      actor: { kind: 'user', id: `admin-of-${tenant}` },
      oldValue: { status: 'OPEN', resolvedBy: null },
      newValue: { status: 'ACKNOWLEDGED', resolvedBy: `admin-of-${tenant}`, resolvedAt: expect.any(String) },
    });
    expect(dismissed).toMatchObject({ entityId: alert.id, oldValue: { status: 'ACKNOWLEDGED' }, newValue: { status: 'DISMISSED' } });
    expect(auditsOf(sg, 'drift-other', 'DriftAlert')).toEqual([]);
    expect(((await sg.call(admin('drift-other'), ALERTS, {})).body.data as any).driftAlerts).toEqual([]);
  });

  it('raises no alert from a window too small to judge, and merges its bins', async () => {
    const tenant = 'drift-b';
    await withBaselineChampion(tenant);
    for (const tv of baselineVectors.slice(0, 5)) await submitAndScore(sg, tenant, submittedInput({ ...tv.input, pastArrears: true }));
    const run = ((await sg.call(admin(tenant), RUN, { window: lastHour })).body.data as any).runDriftCheck;
    expect(run.sampleSize).toBe(5);
    expect(run.alertsRaised).toBe(0);
    // 5 observations support one bin of 5 expected: PSI over a single bin is 0
    expect(run.features.find((f: any) => f.feature === 'score')).toMatchObject({ bins: 1, psi: 0 });
    expect(alertEvents(tenant)).toHaveLength(0);
  });

  it('the scheduled job checks every tenant that scored in its sliding window', async () => {
    const tenant = 'drift-c';
    await withBaselineChampion(tenant);
    await submitAndScore(sg, tenant, submittedInput((baselineVectors[0] as any).input));
    expect(((await sg.call(testCaller('analyst', tenant), LATEST_RUN)).body.data as any).driftRun).toBeNull();
    await runScheduledMonitoring(sg.orm, sg.services.registry);
    const latest = ((await sg.call(testCaller('analyst', tenant), LATEST_RUN)).body.data as any).driftRun;
    expect(latest).toMatchObject({ trigger: 'SCHEDULED', sampleSize: 1, modelVersion: '0.1.0' });
  });

  it('keeps the latest decision of each application, whatever order the decisions arrive in', async () => {
    const tenant = 'latest-decision';
    const applicationId = randomUUID();
    const stored = () => sg.orm.em.fork().findOne(ApplicationDecisionRecord, { tenantId: tenant, applicationId });
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 22, 10, minute));
    await publishDecision(sg, tenant, applicationId, 'APPROVED', at(20));
    await publishDecision(sg, tenant, applicationId, 'DECLINED', at(10), true); // older, arriving late
    expect(await stored()).toMatchObject({ outcome: 'APPROVED', automated: false, decidedAt: at(20) });
    await publishDecision(sg, tenant, applicationId, 'DECLINED', at(30), true);
    expect(await stored()).toMatchObject({ outcome: 'DECLINED', automated: true, decidedAt: at(30) });
    await publishDecision(sg, tenant, 'not-a-uuid', 'APPROVED');
    expect(await sg.orm.em.fork().count(ApplicationDecisionRecord, { tenantId: tenant })).toBe(1);
  });

  it('keeps the same latest decisions when they arrive as one batch (one statement for all)', async () => {
    const tenant = 'latest-decision-batch';
    const [first, second] = [randomUUID(), randomUUID()];
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 22, 11, minute));
    const { error } = await sg.bus.publishBatch(
      [
        decisionEvent(tenant, first, 'APPROVED', at(20)),
        decisionEvent(tenant, second, 'DECLINED', at(5), true),
        decisionEvent(tenant, first, 'DECLINED', at(10), true), // older than the one before it
        decisionEvent(tenant, first, 'APPROVED_WITH_CONDITIONS', at(20)), // as new: the later of the two wins
        decisionEvent(tenant, 'not-a-uuid', 'APPROVED'),
      ].map((e) => e as unknown as EventEnvelope),
    );
    expect(error).toBeUndefined();
    const rows = await sg.orm.em.fork().find(ApplicationDecisionRecord, { tenantId: tenant }, { orderBy: { decidedAt: 'asc' } });
    expect(rows.map((r) => [r.applicationId, r.outcome, r.automated, r.decidedAt])).toEqual([
      [second, 'DECLINED', true, at(5)],
      [first, 'APPROVED_WITH_CONDITIONS', false, at(20)],
    ]);
  });

  describe('with decisions and outcomes', () => {
    const tenant = 'fair-a';
    const scored: { young: EventEnvelope<ApplicationScored>[]; older: EventEnvelope<ApplicationScored>[] } = { young: [], older: [] };
    const outcomeOf = (i: number) => (i % 4 === 0 ? 'DEFAULTED' : 'REPAID');

    beforeAll(async () => {
      await withBaselineChampion(tenant);
      for (const tv of baselineVectors) {
        scored.young.push(await submitAndScore(sg, tenant, submittedInput(tv.input, { ageYears: 22 })));
        scored.older.push(await submitAndScore(sg, tenant, submittedInput(tv.input, { ageYears: 40 })));
      }
      // young: 5 of 20 approved; 35-44: 15 of 20 approved
      for (const [i, e] of scored.young.entries()) await publishDecision(sg, tenant, e.payload.applicationId, i < 5 ? 'APPROVED' : 'DECLINED');
      for (const [i, e] of scored.older.entries()) await publishDecision(sg, tenant, e.payload.applicationId, i < 15 ? 'APPROVED_WITH_CONDITIONS' : 'DECLINED');
      await until(async () => (await sg.orm.em.fork().count(ApplicationDecisionRecord, { tenantId: tenant })) === 40, 'the 40 decisions');
    });

    it('reports approval fairness by age band and raises a four-fifths alert once', async () => {
      const { body } = await sg.call(testCaller('analyst', tenant), FAIRNESS, { window: lastHour });
      expect(body.errors).toBeUndefined();
      const report = (body.data as any).fairnessReport;
      expect(report).toMatchObject({ applications: 40, decided: 40, withOutcome: 0, alertsRaised: null });
      const age = report.attributes.find((a: any) => a.attribute === 'AGE_BAND');
      expect(age.groups).toEqual([
        { group: '18-24', applications: 20, approvals: 5, approvalRate: 0.25 },
        { group: '35-44', applications: 20, approvals: 15, approvalRate: 0.75 },
      ]);
      expect(age.approvalRateRatio).toBeCloseTo(1 / 3, 12);
      expect(age.demographicParityDifference).toBeCloseTo(0.5, 12);
      expect(age.breach).toBe('CRITICAL');
      expect(age.equalizedOddsDifference).toBeNull();
      // everyone is SINGLE: nothing to compare
      expect(report.attributes.find((a: any) => a.attribute === 'MARITAL_STATUS')).toMatchObject({ approvalRateRatio: null, breach: null });

      const denied = await sg.call(testCaller('analyst', tenant), RUN_FAIRNESS, { window: lastHour });
      expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const checked = ((await sg.call(admin(tenant), RUN_FAIRNESS, { window: lastHour })).body.data as any).runFairnessCheck;
      expect(checked.alertsRaised).toBe(1);
      await expect.poll(() => alertEvents(tenant).length).toBe(1);
      expect(alertEvents(tenant)[0]?.payload).toMatchObject({ kind: 'FAIRNESS', feature: 'ageBand', metric: 'APPROVAL_RATE_RATIO', severity: 'CRITICAL' });
      expect(alertEvents(tenant)[0]?.payload.value).toBeCloseTo(1 / 3, 12);
      expect(((await sg.call(admin(tenant), RUN_FAIRNESS, { window: lastHour })).body.data as any).runFairnessCheck.alertsRaised).toBe(0);
    });

    it('records outcomes (partners by externalId, not analysts) and reports realised performance', async () => {
      const all = [...scored.young, ...scored.older];
      const partner = testCaller('api_consumer', tenant);
      const refused = await sg.call(testCaller('analyst', tenant), OUTCOME, { applicationId: all[0]?.payload.applicationId, outcome: 'REPAID' });
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const neither = await sg.call(partner, OUTCOME, { outcome: 'REPAID' });
      expect(neither.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const unknown = await sg.call(partner, OUTCOME, { externalId: 'no-such-application', outcome: 'REPAID' });
      expect(unknown.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const otherTenant = await sg.call(testCaller('api_consumer', 'fair-other'), OUTCOME, { applicationId: all[0]?.payload.applicationId, outcome: 'REPAID' });
      expect(otherTenant.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

      for (const [i, e] of all.entries()) {
        const byExternalId = i % 2 === 1;
        const { body } = await sg.call(partner, OUTCOME, {
          ...(byExternalId ? { externalId: `ext-${e.payload.applicationId}` } : { applicationId: e.payload.applicationId }),
          outcome: outcomeOf(i),
        });
        expect(body.errors).toBeUndefined();
        expect((body.data as any).recordLoanOutcome).toMatchObject({ applicationId: e.payload.applicationId, outcome: outcomeOf(i) });
      }

      const perf = ((await sg.call(testCaller('analyst', tenant), PERFORMANCE, { window: lastHour })).body.data as any).modelPerformance;
      // AUC by counting pairs (defaulter's PD above the payer's), ties half
      const bad = all.filter((_, i) => outcomeOf(i) === 'DEFAULTED').map((e) => e.payload.probabilityOfDefault);
      const good = all.filter((_, i) => outcomeOf(i) === 'REPAID').map((e) => e.payload.probabilityOfDefault);
      let wins = 0;
      for (const b of bad) for (const g of good) wins += b > g ? 1 : b === g ? 0.5 : 0;
      const expectedAuc = wins / (bad.length * good.length);
      expect(perf).toMatchObject({ loansWithOutcome: 40, defaults: bad.length });
      expect(perf.auc).toBeCloseTo(expectedAuc, 12);
      expect(perf.gini).toBeCloseTo(2 * expectedAuc - 1, 12);
      expect(perf.calibration.reduce((s: number, b: any) => s + b.loans, 0)).toBe(40);
      expect(perf.calibration.reduce((s: number, b: any) => s + b.defaults, 0)).toBe(bad.length);

      // with outcomes, equalized odds can be measured
      const age = ((await sg.call(testCaller('analyst', tenant), FAIRNESS, { window: lastHour })).body.data as any).fairnessReport.attributes.find(
        (a: any) => a.attribute === 'AGE_BAND',
      );
      // both groups hold the same 20 applicants with the same outcomes (i and i+20 share i mod 4), so the
      // model's TPR and FPR match exactly, although the humans approved them at different rates
      expect(age.equalizedOddsDifference).toBe(0);
      expect(age.demographicParityDifference).toBeCloseTo(0.5, 12);
    });

    it('simulates a proposed routing policy over the scored applications', async () => {
      const all = [...scored.young, ...scored.older];
      const from = new Date(Date.now() - 3_600_000).toISOString();
      const to = new Date(Date.now() + 60_000).toISOString();
      const policy = { autoApproveBelow: 0.1, autoDeclineAbove: 0.5, maxAutoAmount: 1_000_000 };
      const { body } = await sg.call(manager(tenant), SIMULATE, { policy, from, to });
      expect(body.errors).toBeUndefined();
      const sim = (body.data as any).simulatePolicy;
      const approve = all.filter((e) => recommend(e.payload.probabilityOfDefault, policy) === 'APPROVE').length;
      const decline = all.filter((e) => recommend(e.payload.probabilityOfDefault, policy) === 'DECLINE').length;
      expect(sim).toMatchObject({ applications: 40, autoApproved: approve, autoDeclined: decline, humanReview: 40 - approve - decline });
      expect(sim.autoDecisionRate).toBeCloseTo((approve + decline) / 40, 12);
      expect(sim.approvalRate).toBeCloseTo(approve / (approve + decline), 12);

      // an automation limit of 1 sends everything to a human
      const capped = ((await sg.call(manager(tenant), SIMULATE, { policy: { ...policy, maxAutoAmount: 1 }, from, to })).body.data as any).simulatePolicy;
      expect(capped).toMatchObject({ autoApproved: 0, autoDeclined: 0, humanReview: 40, autoDecisionRate: 0 });

      const unsound = await sg.call(manager(tenant), SIMULATE, { policy: { ...policy, autoApproveBelow: 0.6 }, from, to });
      expect(unsound.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const backwards = await sg.call(manager(tenant), SIMULATE, { policy, from: to, to: from });
      expect(backwards.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const readonly = await sg.call(testCaller('readonly', tenant), SIMULATE, { policy, from, to });
      expect(readonly.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });

    it('finds the nearest decided applications in model-feature space', async () => {
      const target = scored.young[3] as EventEnvelope<ApplicationScored>;
      const twin = scored.older[3] as EventEnvelope<ApplicationScored>;
      const { body } = await sg.call(testCaller('analyst', tenant), SIMILAR, { id: target.payload.applicationId, k: 3 });
      expect(body.errors).toBeUndefined();
      const cases = (body.data as any).similarCases;
      expect(cases).toHaveLength(3);
      // the same applicant at another age has the same model features: distance 0, and age never enters
      expect(cases[0]).toMatchObject({
        application: { id: twin.payload.applicationId },
        distance: 0,
        decision: 'APPROVED_WITH_CONDITIONS',
        loanOutcome: 'REPAID',
      });
      expect(cases.map((c: any) => c.application.id)).not.toContain(target.payload.applicationId);
      const distances = cases.map((c: any) => c.distance);
      expect([...distances].sort((a, b) => a - b)).toEqual(distances);

      expect((await sg.call(testCaller('analyst', tenant), SIMILAR, { id: target.payload.applicationId, k: 0 })).body.errors?.[0]?.extensions?.code).toBe(
        'BAD_USER_INPUT',
      );
      expect((await sg.call(testCaller('analyst', 'fair-other'), SIMILAR, { id: target.payload.applicationId })).body.errors?.[0]?.extensions?.code).toBe(
        'NOT_FOUND',
      );
    });
  });
});
