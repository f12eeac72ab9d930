import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ApplicationScored,
  type ApplicationSubmitted,
  DEMO_TENANTS,
  type EventEnvelope,
  newEnvelope,
  type SubgraphRuntime,
  type ScoringInput as SubmittedScoringInput,
  Topic,
} from '@tandem/platform';
import { startSubgraphForTest, testCaller } from '@tandem/platform/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_MODEL_VERSION, defaultModelsDir, modelVersionDir } from '../src/data/onnx-model.js';
import { ScoreRecord } from '../src/data/score.entity.js';
import { extractFeatures, type ScoringInput as ModelScoringInput } from '../src/domain/features.js';
import { pdToScore, riskBand } from '../src/domain/score-scale.js';
import { toModelScoringInput } from '../src/domain/scoring-input.js';
import { type ScoringServices, scoringSubgraph } from '../src/server.js';
import { auditsOf } from './helpers.js';

interface TestVector {
  csvRow: number;
  input: ModelScoringInput;
  expected: { pd: number };
}
const testVectors = (
  JSON.parse(readFileSync(join(modelVersionDir(defaultModelsDir(), 'credit-default', DEFAULT_MODEL_VERSION), 'test-vectors.json'), 'utf8')) as {
    vectors: TestVector[];
  }
).vectors;
const vector = (csvRow: number) => {
  const tv = testVectors.find((v) => v.csvRow === csvRow);
  if (!tv) throw new Error(`no test vector for row ${csvRow}`);
  return tv;
};

/** A test vector as the applications subgraph would publish it. */
function submittedInput(input: ModelScoringInput, scale = 1): SubmittedScoringInput {
  // Scaling every amount leaves every ratio, and so the PD, unchanged.
  const money = (v: number | null) => (v === null ? null : v * scale);
  return {
    monthlyIncome: money(input.monthlyIncome),
    monthlyExpenses: money(input.monthlyExpenses) ?? 0,
    assets: money(input.assets),
    debt: money(input.debt),
    existingLoansMonthlyPayment: null,
    pastArrears: input.pastArrears,
    housing: input.housing,
    employmentType: input.employmentType,
    yearsEmployed: input.yearsEmployed,
    loanAmount: input.amount * scale,
    termMonths: input.termMonths,
    purpose: 'CONSUMER_GOODS',
    goodsPrice: money(input.goodsPrice),
    ageYears: 41,
    maritalStatus: 'SINGLE',
  };
}

// The bus carries untyped payloads; catalogue interfaces lack Record's index signature.
const untyped = (e: EventEnvelope<ApplicationSubmitted>) => e as unknown as EventEnvelope;

const submittedEvent = (tenantId: string, input: SubmittedScoringInput, applicationId: string = randomUUID()) =>
  newEnvelope<ApplicationSubmitted>('applications', Topic.ApplicationSubmitted, tenantId, {
    applicationId,
    externalId: `ext-${applicationId.slice(0, 8)}`,
    submittedAt: new Date().toISOString(),
    input,
  });

const SCORING = /* GraphQL */ `
  query Scoring($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Application {
        id
        scoring {
          probabilityOfDefault score riskBand route routeReason modelRecommendation modelVersion policyVersion scoredAt
          topFactors { feature description value impact }
          reasonCodes { code description }
        }
      }
    }
  }`;
const POLICY = /* GraphQL */ `
  query Policy($at: DateTime) {
    routingPolicy(at: $at) { version autoApproveBelow autoDeclineAbove maxAutoAmount maxAutoTermMonths reviewPurposes effectiveFrom createdBy }
  }`;
const SET_POLICY = /* GraphQL */ `
  mutation Set($input: RoutingPolicyInput!) {
    setRoutingPolicy(input: $input) { version autoApproveBelow autoDeclineAbove maxAutoAmount maxAutoTermMonths reviewPurposes effectiveFrom createdBy }
  }`;

describe('scoring subgraph: application.submitted → score → route', () => {
  let sg: Awaited<ReturnType<typeof startSubgraphForTest<ScoringServices>>>;
  const analyst = (tenantId = 'demo') => testCaller('analyst', tenantId);
  const admin = (tenantId: string) => testCaller('admin', tenantId, `admin-of-${tenantId}`);

  beforeAll(async () => {
    sg = await startSubgraphForTest(scoringSubgraph, inject('databaseUrl'));
  });
  afterAll(async () => sg?.close());

  const eventsOf = (type: string, applicationId: string) =>
    sg.published.filter((e) => e.type === type && (e.payload as { applicationId?: string }).applicationId === applicationId);

  /** Publishes an application.submitted and waits for the application.scored it causes. */
  async function submitAndScore(tenantId: string, input: SubmittedScoringInput): Promise<EventEnvelope<ApplicationScored>> {
    const event = submittedEvent(tenantId, input);
    await sg.bus.publish(untyped(event));
    await expect.poll(() => eventsOf(Topic.ApplicationScored, event.payload.applicationId).length).toBe(1);
    return eventsOf(Topic.ApplicationScored, event.payload.applicationId)[0] as unknown as EventEnvelope<ApplicationScored>;
  }

  async function scoringOf(caller: ReturnType<typeof analyst>, applicationId: string) {
    const { body } = await sg.call(caller, SCORING, { representations: [{ __typename: 'Application', id: applicationId }] });
    expect(body.errors).toBeUndefined();
    return (body.data as any)._entities[0].scoring;
  }

  const scoreCount = (applicationId: string) => sg.orm.em.fork().count(ScoreRecord, { applicationId });

  it('scores with the ONNX model and publishes scoring.started, then application.scored', async () => {
    const tv = vector(2509);
    const input = submittedInput(tv.input);
    const scored = await submitAndScore('demo', input);
    const { applicationId } = scored.payload;

    const modelPd = await sg.services.model.score(extractFeatures(toModelScoringInput(input), sg.services.model.card).vector);
    expect(scored.payload.probabilityOfDefault).toBe(modelPd);
    expect(Math.abs(scored.payload.probabilityOfDefault - tv.expected.pd)).toBeLessThan(1e-5);
    expect(scored.payload).toMatchObject({
      route: 'AUTO_APPROVE',
      modelRecommendation: 'APPROVE',
      score: pdToScore(modelPd, sg.services.model.card.scoreScaling),
      riskBand: riskBand(modelPd),
      modelVersion: DEFAULT_MODEL_VERSION,
      loanAmount: input.loanAmount,
      termMonths: input.termMonths,
    });
    expect(scored.tenantId).toBe('demo');
    expect(scored.source).toBe('scoring');

    // the score is in the audit trail: what the model and the policy made of it, not the applicant's data
    const stored = await sg.orm.em.fork().findOneOrFail(ScoreRecord, { applicationId });
    // The principal reasons travel with every score, so a human decline can quote them too.
    expect(scored.payload.reasonCodes).toEqual(stored.reasonCodes);
    await expect.poll(() => auditsOf(sg, 'demo', 'Score').filter((a) => a.entityId === stored.id)).toHaveLength(1);
    const audit = auditsOf(sg, 'demo', 'Score').find((a) => a.entityId === stored.id)!;
    expect(audit).toMatchObject({
      action: 'SCORED',
      actor: { kind: 'system', id: Topic.ApplicationSubmitted },
      oldValue: null,
      newValue: {
        applicationId,
        modelVersion: DEFAULT_MODEL_VERSION,
        probabilityOfDefault: modelPd,
        score: scored.payload.score,
        riskBand: scored.payload.riskBand,
        route: 'AUTO_APPROVE',
        policyVersion: stored.policyVersion,
      },
    });
    expect(JSON.stringify(audit)).not.toMatch(/ageYears|maritalStatus|monthlyIncome|featureVector/);

    const started = eventsOf(Topic.ScoringStarted, applicationId);
    expect(started).toHaveLength(1);
    expect(sg.published.indexOf(started[0] as EventEnvelope)).toBeLessThan(sg.published.indexOf(scored as unknown as EventEnvelope));
  });

  it('routes an amount above the tenant limit to human review, keeping what the score says', async () => {
    // demo decides automatically up to 20,000; acme up to 50,000 (demo seed).
    const tv = vector(2509);
    const large = submittedInput(tv.input, 100); // 22,500
    const demo = await submitAndScore('demo', large);
    expect(Math.abs(demo.payload.probabilityOfDefault - tv.expected.pd)).toBeLessThan(1e-5);
    expect(demo.payload.route).toBe('HUMAN_REVIEW');
    expect(demo.payload.modelRecommendation).toBe('APPROVE');
    expect(demo.payload.routeReason).toMatch(/amount 22500 exceeds the automatic-decision limit 20000/);
    const acme = await submitAndScore('acme', large);
    expect(acme.payload.route).toBe('AUTO_APPROVE');
  });

  it('gives a decline recommendation 1–4 reason codes, and a review recommendation its reasons too (an analyst may decline it)', async () => {
    const declined = await submitAndScore('demo', submittedInput(vector(3248).input));
    expect(declined.payload).toMatchObject({ route: 'AUTO_DECLINE', modelRecommendation: 'DECLINE' });
    expect(declined.payload.reasonCodes.length).toBeGreaterThanOrEqual(1);
    expect(declined.payload.reasonCodes.length).toBeLessThanOrEqual(4);
    for (const r of declined.payload.reasonCodes) {
      expect(r.code).toMatch(/^R\d\d_[A-Z_]+$/);
      expect(r.description.length).toBeGreaterThan(0);
    }
    const review = await submitAndScore('demo', submittedInput(vector(995).input));
    expect(review.payload).toMatchObject({ route: 'HUMAN_REVIEW', modelRecommendation: 'REVIEW' });
    expect(review.payload.reasonCodes.length).toBeGreaterThanOrEqual(1);
    expect(review.payload.reasonCodes.length).toBeLessThanOrEqual(4);
    expect(review.payload.routeReason).toMatch(/between the auto-approve/);
  });

  it('scores an application once, whatever is redelivered', async () => {
    const event = submittedEvent('demo', submittedInput(vector(21).input));
    const { applicationId } = event.payload;
    await sg.bus.publish(untyped(event));
    await sg.bus.publish(untyped(event)); // the same event again: the inbox drops it
    await sg.bus.publish(untyped({ ...event, id: randomUUID() })); // another event for the same application
    await expect.poll(() => eventsOf(Topic.ApplicationScored, applicationId).length).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(eventsOf(Topic.ApplicationScored, applicationId)).toHaveLength(1);
    expect(eventsOf(Topic.ScoringStarted, applicationId)).toHaveLength(1);
    expect(await scoreCount(applicationId)).toBe(1);
  });

  it('stores one score when two events for one application race', async () => {
    const first = submittedEvent('demo', submittedInput(vector(932).input));
    const second = { ...first, id: randomUUID() };
    // The second waits for the first's transaction, then finds its score: neither fails.
    await Promise.all([sg.bus.publish(untyped(first)), sg.bus.publish(untyped(second))]);
    expect(await scoreCount(first.payload.applicationId)).toBe(1);
    await expect.poll(() => eventsOf(Topic.ApplicationScored, first.payload.applicationId).length).toBe(1);
  });

  it('adds Application.scoring for the owner tenant only', async () => {
    const scored = await submitAndScore('demo', submittedInput(vector(3248).input));
    const { applicationId } = scored.payload;
    const scoring = await scoringOf(analyst('demo'), applicationId);
    expect(scoring).toMatchObject({
      probabilityOfDefault: scored.payload.probabilityOfDefault,
      score: scored.payload.score,
      riskBand: scored.payload.riskBand,
      route: 'AUTO_DECLINE',
      routeReason: scored.payload.routeReason,
      modelRecommendation: 'DECLINE',
      modelVersion: DEFAULT_MODEL_VERSION,
      policyVersion: 1,
      scoredAt: scored.payload.scoredAt,
      reasonCodes: scored.payload.reasonCodes,
    });
    const impacts = (scoring.topFactors as { impact: number }[]).map((f) => f.impact);
    const raising = impacts.filter((i) => i > 0);
    expect(raising.length).toBeGreaterThan(0);
    expect(raising.length).toBeLessThanOrEqual(5);
    expect(impacts.length - raising.length).toBeLessThanOrEqual(5);
    expect(impacts).toEqual([...raising, ...impacts.filter((i) => i < 0)]);
    expect(scoring.topFactors.find((f: { feature: string }) => f.feature === 'past_arrears')).toMatchObject({ value: 'Past arrears on record' });

    expect(await scoringOf(analyst('tenant-b'), applicationId)).toBeNull();
    expect(await scoringOf(analyst('demo'), randomUUID())).toBeNull();
    expect(await scoringOf(analyst('demo'), 'not-a-uuid')).toBeNull();

    // Several applications in one request: one batched look-up, each gets its own score.
    const other = await submitAndScore('demo', submittedInput(vector(21).input));
    const { body } = await sg.call(analyst('demo'), SCORING, {
      representations: [applicationId, other.payload.applicationId].map((id) => ({ __typename: 'Application', id })),
    });
    expect((body.data as any)._entities.map((e: any) => e.scoring.route)).toEqual(['AUTO_DECLINE', other.payload.route]);
  });

  it('seeds the demo tenants once: demo reviews every loan above 20,000, acme above 50,000', async () => {
    const card = sg.services.model.card;
    const policyOf = async (tenantId: string) => ((await sg.call(analyst(tenantId), POLICY)).body.data as any).routingPolicy;
    expect(await policyOf('demo')).toMatchObject({
      version: 1,
      maxAutoAmount: '20000.00',
      autoApproveBelow: card.thresholds.autoApprove,
      autoDeclineAbove: card.thresholds.autoDecline,
      createdBy: 'demo-seed',
    });
    expect(await policyOf('acme')).toMatchObject({ version: 1, maxAutoAmount: '50000.00' });
    await scoringSubgraph.seedDemo?.({ orm: sg.orm } as SubgraphRuntime, sg.services, DEMO_TENANTS);
    expect((await policyOf('demo')).version).toBe(1);
  });

  it('setRoutingPolicy rejects an unsound policy and callers without config:manage', async () => {
    const tenant = 'tenant-p';
    const valid = { autoApproveBelow: 0.1, autoDeclineAbove: 0.6, maxAutoAmount: 10_000 };
    const codeOf = async (input: Record<string, unknown>, caller = admin(tenant)) => (await sg.call(caller, SET_POLICY, { input })).body.errors?.[0];
    for (const bad of [
      { ...valid, autoApproveBelow: 0.7, autoDeclineAbove: 0.3 },
      { ...valid, autoApproveBelow: 0 },
      { ...valid, autoDeclineAbove: 1 },
      { ...valid, maxAutoAmount: 0 },
      { ...valid, maxAutoTermMonths: 0 },
      { ...valid, reviewPurposes: ['SPACESHIP'] },
      { ...valid, effectiveFrom: new Date(Date.now() - 60_000).toISOString() },
    ]) {
      const error = await codeOf(bad);
      expect(error?.extensions?.code, JSON.stringify(bad)).toBe('BAD_USER_INPUT');
    }
    expect((await codeOf({ ...valid, autoApproveBelow: 0.7, autoDeclineAbove: 0.3 }))?.message).toContain('autoDeclineAbove must be above autoApproveBelow');
    expect((await codeOf({ ...valid, maxAutoAmount: '12.345' }))?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await codeOf(valid, analyst(tenant)))?.extensions?.code).toBe('FORBIDDEN');
    // Nothing was stored: the tenant still runs on the model card policy, and nothing was audited.
    expect(((await sg.call(analyst(tenant), POLICY)).body.data as any).routingPolicy.version).toBe(0);
    expect(auditsOf(sg, tenant, 'RoutingPolicy')).toEqual([]);
  });

  it('applies a new policy version to applications scored after its effectiveFrom, and only in its tenant', async () => {
    const tenant = 'tenant-v';
    const card = sg.services.model.card;
    const policy = async (at?: string) => ((await sg.call(analyst(tenant), POLICY, { at })).body.data as any).routingPolicy;
    expect(await policy()).toMatchObject({
      version: 0,
      maxAutoAmount: '50000.00',
      autoApproveBelow: card.thresholds.autoApprove,
      reviewPurposes: [],
      createdBy: null,
    });

    const thresholds = { autoApproveBelow: card.thresholds.autoApprove, autoDeclineAbove: card.thresholds.autoDecline };
    const v1 = await sg.call(admin(tenant), SET_POLICY, { input: { ...thresholds, maxAutoAmount: 1000, reviewPurposes: ['BUSINESS'] } });
    expect(v1.body.errors).toBeUndefined();
    expect((v1.body.data as any).setRoutingPolicy).toMatchObject({
      version: 1,
      maxAutoAmount: '1000.00',
      reviewPurposes: ['BUSINESS'],
      createdBy: `admin-of-${tenant}`,
    });
    const effectiveFrom = new Date(Date.now() + 1500).toISOString();
    const v2 = await sg.call(admin(tenant), SET_POLICY, { input: { ...thresholds, maxAutoAmount: '100000', effectiveFrom } });
    expect((v2.body.data as any).setRoutingPolicy).toMatchObject({ version: 2, maxAutoAmount: '100000.00', effectiveFrom });
    expect((await policy()).version).toBe(1);
    expect((await policy(effectiveFrom)).version).toBe(2);
    // each version in the audit trail, the old value being the version before it
    await expect.poll(() => auditsOf(sg, tenant, 'RoutingPolicy').map((a) => a.action)).toEqual(['POLICY_SET', 'POLICY_CHANGED']);
    const [setAudit, changedAudit] = auditsOf(sg, tenant, 'RoutingPolicy');
    expect(setAudit).toMatchObject({
      entityId: tenant,
      actor: { kind: 'user', id: `admin-of-${tenant}` },
      oldValue: null,
      newValue: { version: 1, maxAutoAmount: 1000 },
    });
    expect(changedAudit).toMatchObject({
      oldValue: { version: 1, maxAutoAmount: 1000, reviewPurposes: ['BUSINESS'] },
      newValue: { version: 2, maxAutoAmount: 100000, reviewPurposes: [], effectiveFrom },
    });

    // Row 2975: PD ≈ 0.005, below the auto-approve threshold; amount 1,500.
    const input = submittedInput(vector(2975).input);
    const before = await submitAndScore(tenant, input);
    expect(before.payload).toMatchObject({ route: 'HUMAN_REVIEW', modelRecommendation: 'APPROVE' });
    expect(before.payload.routeReason).toMatch(/amount 1500 exceeds the automatic-decision limit 1000/);
    expect((await scoringOf(analyst(tenant), before.payload.applicationId)).policyVersion).toBe(1);

    await expect.poll(async () => (await policy()).version, { timeout: 5000, interval: 100 }).toBe(2);
    const after = await submitAndScore(tenant, input);
    expect(after.payload.route).toBe('AUTO_APPROVE');
    expect((await scoringOf(analyst(tenant), after.payload.applicationId)).policyVersion).toBe(2);
    // The earlier score keeps the version that routed it.
    expect(await scoringOf(analyst(tenant), before.payload.applicationId)).toMatchObject({ route: 'HUMAN_REVIEW', policyVersion: 1 });
    // Another tenant never sees this tenant's versions.
    expect(((await sg.call(analyst('tenant-b'), POLICY)).body.data as any).routingPolicy.version).toBe(0);
  });

  it('routes a review purpose to a human even with a clear score', async () => {
    // tenant-v's v2 has no review purposes; v1 had BUSINESS. Set v3 with CAR.
    const card = sg.services.model.card;
    await sg.call(admin('tenant-r'), SET_POLICY, {
      input: { autoApproveBelow: card.thresholds.autoApprove, autoDeclineAbove: card.thresholds.autoDecline, maxAutoAmount: 50_000, reviewPurposes: ['CAR'] },
    });
    const car = await submitAndScore('tenant-r', { ...submittedInput(vector(2509).input), purpose: 'CAR' });
    expect(car.payload).toMatchObject({ route: 'HUMAN_REVIEW', modelRecommendation: 'APPROVE' });
    expect(car.payload.routeReason).toMatch(/purpose CAR always requires human review/);
  });

  it('refuses calls that did not come through the gateway', async () => {
    const res = await sg.call(null, POLICY);
    expect(res.status).toBe(401);
  });
});
