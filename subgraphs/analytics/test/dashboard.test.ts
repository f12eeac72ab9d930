import { randomUUID } from 'node:crypto';
import {
  type ApplicationScored,
  type ApplicationStatus,
  type ApplicationStatusChanged,
  type DecisionMade,
  type DecisionOutcome,
  type EventEnvelope,
  type ModelRecommendation,
  type Route,
  Topic,
} from '@tandem/platform';
import { startSubgraphForTest, testCaller } from '@tandem/platform/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ApplicationFactRepository } from '../src/data/application-fact.repository.js';
import { analyticsSubgraph } from '../src/server.js';

const DASHBOARD = /* GraphQL */ `
  query Dashboard($from: DateTime!, $to: DateTime!) {
    decisionDashboard(from: $from, to: $to) {
      from to totalApplications decisions automatedDecisions humanDecisions autoDecisionRate approvalRate
      averageReviewSeconds slaComplianceRate overrideRate pendingReview
      byRiskBand { riskBand applications approved declined }
      byOutcome { outcome count }
    }
  }`;

const TENANT_A = 'tenant-a';
const TENANT_B = 'tenant-b';
const MARCH = { from: '2025-03-01T00:00:00.000Z', to: '2025-04-01T00:00:00.000Z' };

/** An ISO time `minutes` after `iso`. */
const after = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

function envelope<T>(type: string, tenantId: string, source: string, occurredAt: string, payload: T): EventEnvelope<T> {
  return { id: randomUUID(), type, tenantId, source, occurredAt, payload };
}

function statusChanged(tenantId: string, applicationId: string, submittedAt: string, from: ApplicationStatus, to: ApplicationStatus, occurredAt: string) {
  return envelope<ApplicationStatusChanged>(Topic.ApplicationStatusChanged, tenantId, 'applications', occurredAt, { applicationId, from, to, submittedAt });
}

function scored(
  tenantId: string,
  applicationId: string,
  submittedAt: string,
  s: { band: string; pd: number; route: Route; recommendation: ModelRecommendation; amount: number; scoredAt?: string },
) {
  const scoredAt = s.scoredAt ?? after(submittedAt, 1);
  return envelope<ApplicationScored>(Topic.ApplicationScored, tenantId, 'scoring', scoredAt, {
    applicationId,
    scoreId: randomUUID(),
    modelVersion: 'credit-default-1.0.0',
    probabilityOfDefault: s.pd,
    score: Math.round(600 - 100 * Math.log2(s.pd / (1 - s.pd))),
    riskBand: s.band,
    route: s.route,
    routeReason: `band ${s.band}`,
    modelRecommendation: s.recommendation,
    reasonCodes: [{ code: 'DTI_HIGH', description: 'Debt is high relative to income' }],
    loanAmount: s.amount,
    termMonths: 36,
    submittedAt,
    scoredAt,
  });
}

function decided(
  tenantId: string,
  applicationId: string,
  d: {
    outcome: DecisionOutcome;
    automated: boolean;
    decidedAt: string;
    isOverride?: boolean;
    overrideStatus?: DecisionMade['overrideStatus'];
    reviewSeconds?: number | null;
    withinSla?: boolean | null;
  },
) {
  return envelope<DecisionMade>(Topic.DecisionMade, tenantId, 'decisions', d.decidedAt, {
    decisionId: randomUUID(),
    applicationId,
    outcome: d.outcome,
    automated: d.automated,
    isOverride: d.isOverride ?? false,
    overrideStatus: d.overrideStatus ?? null,
    decidedBy: d.automated ? null : 'analyst-1',
    reviewSeconds: d.reviewSeconds ?? null,
    decidedAt: d.decidedAt,
    withinSla: d.withinSla ?? null,
  });
}

/** Tenant A: ten applications submitted in March, two just outside it, one decision whose application was never seen. */
const a = Object.fromEntries(['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9', 'a10', 'o1', 'o2', 'orphan'].map((k) => [k, randomUUID()]));
const sub = {
  a1: MARCH.from, // exactly at `from`: inside (the window is [from, to))
  a2: '2025-03-03T09:00:00.000Z',
  a3: '2025-03-05T10:00:00.000Z',
  a4: '2025-03-10T11:00:00.000Z',
  a5: '2025-03-12T12:00:00.000Z',
  a6: '2025-03-15T13:00:00.000Z',
  a7: '2025-03-20T14:00:00.000Z',
  a8: '2025-03-25T15:00:00.000Z',
  a9: '2025-03-28T16:00:00.000Z',
  a10: '2025-03-30T17:00:00.000Z',
  o1: '2025-02-28T23:59:59.999Z', // just before `from`
  o2: MARCH.to, // exactly at `to`: outside
};

// a7's decision is delivered twice (the same envelope, as a redelivering bus would).
const a7Decision = decided(TENANT_A, a.a7, { outcome: 'DECLINED', automated: false, decidedAt: after(sub.a7, 60), reviewSeconds: 300, withinSla: true });

const tenantAEvents: EventEnvelope<unknown>[] = [
  // a1: auto-approved, band A.
  scored(TENANT_A, a.a1, sub.a1, { band: 'A', pd: 0.02, route: 'AUTO_APPROVE', recommendation: 'APPROVE', amount: 5000 }),
  decided(TENANT_A, a.a1, { outcome: 'APPROVED', automated: true, decidedAt: after(sub.a1, 2) }),
  statusChanged(TENANT_A, a.a1, sub.a1, 'SCORING', 'APPROVED', after(sub.a1, 2)),
  // a2: auto-declined, band E.
  scored(TENANT_A, a.a2, sub.a2, { band: 'E', pd: 0.55, route: 'AUTO_DECLINE', recommendation: 'DECLINE', amount: 20000 }),
  decided(TENANT_A, a.a2, { outcome: 'DECLINED', automated: true, decidedAt: after(sub.a2, 2) }),
  statusChanged(TENANT_A, a.a2, sub.a2, 'SCORING', 'DECLINED', after(sub.a2, 2)),
  // a3: out of order: the decision arrives first, then the score, then the status.
  decided(TENANT_A, a.a3, { outcome: 'APPROVED_WITH_CONDITIONS', automated: false, decidedAt: after(sub.a3, 45), reviewSeconds: 600, withinSla: true }),
  scored(TENANT_A, a.a3, sub.a3, { band: 'C', pd: 0.2, route: 'HUMAN_REVIEW', recommendation: 'REVIEW', amount: 12000 }),
  statusChanged(TENANT_A, a.a3, sub.a3, 'REVIEW', 'APPROVED', after(sub.a3, 45)),
  // a4: an override (model said decline) approved by a senior; the senior's event arrives before the analyst's older one.
  scored(TENANT_A, a.a4, sub.a4, { band: 'D', pd: 0.3, route: 'HUMAN_REVIEW', recommendation: 'DECLINE', amount: 8000 }),
  statusChanged(TENANT_A, a.a4, sub.a4, 'SCORING', 'REVIEW', after(sub.a4, 1)),
  decided(TENANT_A, a.a4, {
    outcome: 'APPROVED',
    automated: false,
    decidedAt: after(sub.a4, 120),
    isOverride: true,
    overrideStatus: 'APPROVED',
    reviewSeconds: 900,
    withinSla: false,
  }),
  decided(TENANT_A, a.a4, {
    outcome: 'APPROVED',
    automated: false,
    decidedAt: after(sub.a4, 30),
    isOverride: true,
    overrideStatus: 'PENDING',
    reviewSeconds: 900,
    withinSla: false,
  }),
  statusChanged(TENANT_A, a.a4, sub.a4, 'REVIEW', 'APPROVED', after(sub.a4, 120)),
  // a5: waiting for review; rescored (C is the newer score, delivered before the older D), and a stale SCORING status arrives last.
  scored(TENANT_A, a.a5, sub.a5, { band: 'C', pd: 0.22, route: 'HUMAN_REVIEW', recommendation: 'REVIEW', amount: 7000, scoredAt: after(sub.a5, 10) }),
  scored(TENANT_A, a.a5, sub.a5, { band: 'D', pd: 0.31, route: 'HUMAN_REVIEW', recommendation: 'REVIEW', amount: 7000, scoredAt: after(sub.a5, 1) }),
  statusChanged(TENANT_A, a.a5, sub.a5, 'SCORING', 'REVIEW', after(sub.a5, 10)),
  statusChanged(TENANT_A, a.a5, sub.a5, 'PENDING', 'SCORING', after(sub.a5, 0)),
  // a6: an override awaiting a senior: not a decision yet, still pending review.
  scored(TENANT_A, a.a6, sub.a6, { band: 'D', pd: 0.33, route: 'HUMAN_REVIEW', recommendation: 'DECLINE', amount: 9000 }),
  statusChanged(TENANT_A, a.a6, sub.a6, 'SCORING', 'REVIEW', after(sub.a6, 1)),
  decided(TENANT_A, a.a6, {
    outcome: 'APPROVED',
    automated: false,
    decidedAt: after(sub.a6, 50),
    isOverride: true,
    overrideStatus: 'PENDING',
    reviewSeconds: 700,
    withinSla: true,
  }),
  // a7: a human decline, delivered twice.
  scored(TENANT_A, a.a7, sub.a7, { band: 'B', pd: 0.08, route: 'HUMAN_REVIEW', recommendation: 'REVIEW', amount: 15000 }),
  a7Decision,
  a7Decision,
  statusChanged(TENANT_A, a.a7, sub.a7, 'REVIEW', 'DECLINED', after(sub.a7, 60)),
  // a8: documents requested: a decision, and the application stays in review.
  scored(TENANT_A, a.a8, sub.a8, { band: 'C', pd: 0.18, route: 'HUMAN_REVIEW', recommendation: 'REVIEW', amount: 11000 }),
  statusChanged(TENANT_A, a.a8, sub.a8, 'SCORING', 'REVIEW', after(sub.a8, 1)),
  decided(TENANT_A, a.a8, { outcome: 'DOCUMENTS_REQUESTED', automated: false, decidedAt: after(sub.a8, 20), reviewSeconds: 120, withinSla: true }),
  // a9: an override the senior rejected: the case went back to the analyst, who then declined — a decision, not an override.
  scored(TENANT_A, a.a9, sub.a9, { band: 'E', pd: 0.45, route: 'HUMAN_REVIEW', recommendation: 'DECLINE', amount: 25000 }),
  statusChanged(TENANT_A, a.a9, sub.a9, 'SCORING', 'REVIEW', after(sub.a9, 1)),
  decided(TENANT_A, a.a9, {
    outcome: 'APPROVED',
    automated: false,
    decidedAt: after(sub.a9, 40),
    isOverride: true,
    overrideStatus: 'PENDING',
    reviewSeconds: 400,
    withinSla: true,
  }),
  decided(TENANT_A, a.a9, {
    outcome: 'APPROVED',
    automated: false,
    decidedAt: after(sub.a9, 90),
    isOverride: true,
    overrideStatus: 'REJECTED',
    reviewSeconds: 400,
    withinSla: true,
  }),
  decided(TENANT_A, a.a9, { outcome: 'DECLINED', automated: false, decidedAt: after(sub.a9, 150), reviewSeconds: 400, withinSla: true }),
  statusChanged(TENANT_A, a.a9, sub.a9, 'REVIEW', 'DECLINED', after(sub.a9, 150)),
  // a10: submitted, not scored yet.
  statusChanged(TENANT_A, a.a10, sub.a10, 'PENDING', 'SCORING', after(sub.a10, 0)),
  // Outside March.
  scored(TENANT_A, a.o1, sub.o1, { band: 'A', pd: 0.03, route: 'AUTO_APPROVE', recommendation: 'APPROVE', amount: 3000 }),
  decided(TENANT_A, a.o1, { outcome: 'APPROVED', automated: true, decidedAt: after(sub.o1, 2) }),
  statusChanged(TENANT_A, a.o2, sub.o2, 'PENDING', 'SCORING', after(sub.o2, 0)),
  scored(TENANT_A, a.o2, sub.o2, { band: 'B', pd: 0.1, route: 'HUMAN_REVIEW', recommendation: 'REVIEW', amount: 4000 }),
  decided(TENANT_A, a.o2, { outcome: 'DECLINED', automated: false, decidedAt: after(sub.o2, 30), reviewSeconds: 50, withinSla: true }),
  // A decision for an application whose submission was never seen belongs to no window.
  decided(TENANT_A, a.orphan, { outcome: 'APPROVED', automated: true, decidedAt: '2025-03-15T00:00:00.000Z' }),
];

// Tenant B: b1 deliberately shares a1's application id; facts are keyed per tenant.
const subB = { b1: '2025-03-04T08:00:00.000Z', b2: '2025-03-06T08:00:00.000Z' };
const b2 = randomUUID();
const tenantBEvents: EventEnvelope<unknown>[] = [
  statusChanged(TENANT_B, a.a1, subB.b1, 'SCORING', 'APPROVED', after(subB.b1, 2)),
  scored(TENANT_B, a.a1, subB.b1, { band: 'A', pd: 0.01, route: 'AUTO_APPROVE', recommendation: 'APPROVE', amount: 1000 }),
  decided(TENANT_B, a.a1, { outcome: 'APPROVED', automated: true, decidedAt: after(subB.b1, 2) }),
  scored(TENANT_B, b2, subB.b2, { band: 'B', pd: 0.09, route: 'HUMAN_REVIEW', recommendation: 'REVIEW', amount: 6000 }),
  decided(TENANT_B, b2, { outcome: 'DECLINED', automated: false, decidedAt: after(subB.b2, 30), reviewSeconds: 200, withinSla: false }),
  statusChanged(TENANT_B, b2, subB.b2, 'REVIEW', 'DECLINED', after(subB.b2, 30)),
];

const outcomes = (approved: number, withConditions: number, declined: number, documents: number) => [
  { outcome: 'APPROVED', count: approved },
  { outcome: 'APPROVED_WITH_CONDITIONS', count: withConditions },
  { outcome: 'DECLINED', count: declined },
  { outcome: 'DOCUMENTS_REQUESTED', count: documents },
];

// The same events one at a time and as one batch (as the relay hands them over under load): the facts must not differ.
describe.each([
  ['one event at a time', false],
  ['in one batch', true],
])('analytics subgraph: decisionDashboard, events delivered %s', (_delivery, asOneBatch) => {
  let sg: Awaited<ReturnType<typeof startSubgraphForTest>>;
  const manager = (tenantId: string) => testCaller('senior_analyst', tenantId);
  const dashboard = async (tenantId: string, window: { from: string; to: string }) => {
    const { body } = await sg.call<{ decisionDashboard: Record<string, unknown> }>(manager(tenantId), DASHBOARD, window);
    expect(body.errors).toBeUndefined();
    return body.data?.decisionDashboard;
  };

  beforeAll(async () => {
    sg = await startSubgraphForTest(analyticsSubgraph, inject('databaseUrl'));
    // Interleave the tenants, as a shared bus would.
    const all = tenantAEvents.flatMap((e, i) => (tenantBEvents[i] ? [e, tenantBEvents[i]] : [e]));
    if (asOneBatch) {
      const { error } = await sg.bus.publishBatch(all as EventEnvelope[]);
      if (error) throw error;
    } else for (const event of all) await sg.bus.publish(event as EventEnvelope);
    // Wait until every distinct event has been handled (the inbox holds one row per event).
    const distinct = new Set(all.map((e) => e.id)).size;
    const inbox = `"${sg.orm.config.get('schema')}".processed_events`;
    const handled = async () => Number((await sg.orm.em.fork().execute<{ n: string }[]>(`SELECT count(*) AS n FROM ${inbox}`))[0].n);
    for (let waited = 0; (await handled()) < distinct; waited += 50) {
      if (waited > 10_000) throw new Error(`only ${await handled()} of ${distinct} events were handled`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await handled()).toBe(distinct);
  });
  afterAll(async () => sg?.close());

  it('computes every figure for tenant A in March from the events', async () => {
    // Decisions in effect: a1, a2 (automated); a3, a4, a7, a8, a9 (human). a6's override still awaits approval.
    // Approvals: a1, a3 (with conditions), a4. Standing overrides: a4 (a9's was rejected).
    // Human review seconds: 600 + 900 + 300 + 120 + 400; within SLA: a3, a7, a8, a9 (not a4).
    // In review now: a5, a6, a8.
    expect(await dashboard(TENANT_A, MARCH)).toEqual({
      from: MARCH.from,
      to: MARCH.to,
      totalApplications: 10,
      decisions: 7,
      automatedDecisions: 2,
      humanDecisions: 5,
      autoDecisionRate: 2 / 7,
      approvalRate: 3 / 7,
      averageReviewSeconds: (600 + 900 + 300 + 120 + 400) / 5,
      slaComplianceRate: 4 / 5,
      overrideRate: 1 / 7,
      pendingReview: 3,
      byRiskBand: [
        { riskBand: 'A', applications: 1, approved: 1, declined: 0 }, // a1
        { riskBand: 'B', applications: 1, approved: 0, declined: 1 }, // a7
        { riskBand: 'C', applications: 3, approved: 1, declined: 0 }, // a3, a5 (rescored from D), a8
        { riskBand: 'D', applications: 2, approved: 1, declined: 0 }, // a4, a6
        { riskBand: 'E', applications: 2, approved: 0, declined: 2 }, // a2, a9
      ],
      byOutcome: outcomes(2, 1, 3, 1),
    });
  });

  it('merges events that arrived out of order into one complete fact, keeping the newest of each kind', async () => {
    const repo = new ApplicationFactRepository(sg.orm.em.fork());
    const a3 = await repo.findFact(TENANT_A, a.a3);
    expect(a3).toMatchObject({
      submittedAt: new Date(sub.a3),
      status: 'APPROVED',
      route: 'HUMAN_REVIEW',
      modelRecommendation: 'REVIEW',
      probabilityOfDefault: 0.2,
      riskBand: 'C',
      outcome: 'APPROVED_WITH_CONDITIONS',
      automated: false,
      isOverride: false,
      reviewSeconds: 600,
      withinSla: true,
    });
    expect(Number(a3?.loanAmount)).toBe(12000);
    expect(a3?.decidedAt).toEqual(new Date(after(sub.a3, 45)));
    const a4 = await repo.findFact(TENANT_A, a.a4);
    expect(a4).toMatchObject({ overrideStatus: 'APPROVED', decidedAt: new Date(after(sub.a4, 120)) });
    const a5 = await repo.findFact(TENANT_A, a.a5);
    expect(a5).toMatchObject({ status: 'REVIEW', riskBand: 'C', probabilityOfDefault: 0.22 });
    const orphan = await repo.findFact(TENANT_A, a.orphan);
    expect(orphan).toMatchObject({ submittedAt: null, outcome: 'APPROVED' });
  });

  it('keeps tenants apart: tenant B sees only its own applications, even under a shared application id', async () => {
    expect(await dashboard(TENANT_B, MARCH)).toEqual({
      from: MARCH.from,
      to: MARCH.to,
      totalApplications: 2,
      decisions: 2,
      automatedDecisions: 1,
      humanDecisions: 1,
      autoDecisionRate: 1 / 2,
      approvalRate: 1 / 2,
      averageReviewSeconds: 200,
      slaComplianceRate: 0,
      overrideRate: 0,
      pendingReview: 0,
      byRiskBand: [
        { riskBand: 'A', applications: 1, approved: 1, declined: 0 },
        { riskBand: 'B', applications: 1, approved: 0, declined: 1 },
      ],
      byOutcome: outcomes(1, 0, 1, 0),
    });
    const otherTenant = await dashboard('tenant-c', MARCH);
    expect(otherTenant).toMatchObject({ totalApplications: 0, decisions: 0, byRiskBand: [] });
  });

  it('filters by submission time on [from, to)', async () => {
    // 10 Mar 00:00 – 20 Mar 00:00: a4 (decided, override approved), a5 and a6 (both in review).
    const mid = await dashboard(TENANT_A, { from: '2025-03-10T00:00:00.000Z', to: '2025-03-20T00:00:00.000Z' });
    expect(mid).toMatchObject({
      totalApplications: 3,
      decisions: 1,
      automatedDecisions: 0,
      humanDecisions: 1,
      autoDecisionRate: 0,
      approvalRate: 1,
      averageReviewSeconds: 900,
      slaComplianceRate: 0,
      overrideRate: 1,
      pendingReview: 2,
      byRiskBand: [
        { riskBand: 'C', applications: 1, approved: 0, declined: 0 },
        { riskBand: 'D', applications: 2, approved: 1, declined: 0 },
      ],
      byOutcome: outcomes(1, 0, 0, 0),
    });
    // February holds only o1, the millisecond before March.
    const february = await dashboard(TENANT_A, { from: '2025-02-01T00:00:00.000Z', to: MARCH.from });
    expect(february).toMatchObject({
      totalApplications: 1,
      decisions: 1,
      automatedDecisions: 1,
      approvalRate: 1,
      averageReviewSeconds: null,
      slaComplianceRate: null,
    });
    // o2 was submitted exactly at March's `to`, so it belongs to April.
    const april = await dashboard(TENANT_A, { from: MARCH.to, to: '2025-05-01T00:00:00.000Z' });
    expect(april).toMatchObject({
      totalApplications: 1,
      decisions: 1,
      humanDecisions: 1,
      averageReviewSeconds: 50,
      slaComplianceRate: 1,
      byOutcome: outcomes(0, 0, 1, 0),
    });
  });

  it('answers an empty window with zero counts, zero decision rates and null human-review figures', async () => {
    expect(await dashboard(TENANT_A, { from: '2024-01-01T00:00:00.000Z', to: '2024-02-01T00:00:00.000Z' })).toEqual({
      from: '2024-01-01T00:00:00.000Z',
      to: '2024-02-01T00:00:00.000Z',
      totalApplications: 0,
      decisions: 0,
      automatedDecisions: 0,
      humanDecisions: 0,
      autoDecisionRate: 0,
      approvalRate: 0,
      averageReviewSeconds: null,
      slaComplianceRate: null,
      overrideRate: 0,
      pendingReview: 0,
      byRiskBand: [],
      byOutcome: outcomes(0, 0, 0, 0),
    });
  });

  it('rejects a reversed, empty or too long window with BAD_USER_INPUT', async () => {
    for (const window of [
      { from: MARCH.to, to: MARCH.from },
      { from: MARCH.from, to: MARCH.from },
      { from: '2024-01-01T00:00:00.000Z', to: '2025-01-02T00:00:00.001Z' },
    ]) {
      const { body } = await sg.call(manager(TENANT_A), DASHBOARD, window);
      expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(body.data).toBeNull();
    }
    const notADate = await sg.call(manager(TENANT_A), DASHBOARD, { from: 'yesterday', to: MARCH.to });
    expect(notADate.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('requires analytics:view and the gateway', async () => {
    const readonly = await sg.call(testCaller('readonly', TENANT_A), DASHBOARD, MARCH);
    expect(readonly.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(readonly.body.data).toBeNull();
    const analyst = await sg.call<{ decisionDashboard: { totalApplications: number } }>(testCaller('analyst', TENANT_A), DASHBOARD, MARCH);
    expect(analyst.body.data?.decisionDashboard.totalApplications).toBe(10);
    const anonymous = await sg.call(null, DASHBOARD, MARCH);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
