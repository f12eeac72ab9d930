import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningTandem } from '../src/tandem.js';
import { collect, gql, login, partnerToken, until, wsClient } from './graph-client.js';
import { startTestTandem } from './test-tandem.js';

const application = (externalId: string, amount: number) => ({
  externalId,
  applicant: {
    firstName: 'Marta', lastName: 'Soler', email: 'marta@example.com', dateOfBirth: '1988-03-14', maritalStatus: 'MARRIED',
    housing: 'RENT', employment: { type: 'FIXED', yearsEmployed: 6 },
  },
  financials: { monthlyIncome: '3200.00', monthlyExpenses: 1100, assets: 5000, debt: 2000, pastArrears: false },
  loan: { amount, termMonths: 48, purpose: 'CAR', goodsPrice: amount + 5000, currency: 'EUR' },
});

/**
 * The walking skeleton's path, through the public gateway only: a partner
 * submits, the model scores, the policy routes to review, an analyst watches
 * the queue live, takes the case and decides it, and the dashboard counts it.
 */
describe('end to end through the gateway (HTTP and graphql-ws)', () => {
  let tandem: RunningTandem;
  let url: string;
  let base: string;

  beforeAll(async () => {
    tandem = await startTestTandem();
    url = tandem.graphqlUrl;
    base = url.replace(/\/graphql$/, '');
  });
  afterAll(async () => tandem?.stop());

  it('takes an application from a partner to an analyst decision', async () => {
    const token = await partnerToken(base);
    // Above the demo tenant's 20,000 automatic-decision limit: always human review.
    const submitted = await gql(url, 'mutation($i: SubmitApplicationInput!) { submitApplication(input: $i) { application { id status } } }', {
      i: application('e2e-review-1', 25_000),
    }, token);
    expect(submitted.body.errors).toBeUndefined();
    const applicationId = submitted.body.data.submitApplication.application.id as string;

    const analyst = await login(url, 'analyst@demo.test');
    const ws = wsClient(url, analyst);
    const changes = collect<{ queueChanged: { kind: string; entry: { id: string; status: string; application: { id: string } } } }>(
      ws,
      'subscription { queueChanged { kind entry { id status application { id } } } }',
    );

    const reviewed = await until(async () => {
      const r = await gql(url, `query($id: ID!) { application(id: $id) { status scoring { probabilityOfDefault score riskBand route routeReason modelRecommendation topFactors { feature impact } } queueEntry { id status priority slaDeadline } } }`, { id: applicationId }, analyst);
      const a = r.body.data?.application;
      return a?.status === 'REVIEW' && a.queueEntry ? a : undefined;
    });
    expect(reviewed.scoring.route).toBe('HUMAN_REVIEW');
    expect(reviewed.scoring.routeReason.length).toBeGreaterThan(10);
    expect(reviewed.scoring.probabilityOfDefault).toBeGreaterThan(0);
    expect(reviewed.scoring.topFactors.length).toBeGreaterThan(0);
    const entryId = reviewed.queueEntry.id as string;

    const assigned = await gql(url, 'mutation($id: ID!) { assignCase(entryId: $id) { id status assignee { id email } } }', { id: entryId }, analyst);
    expect(assigned.body.errors).toBeUndefined();
    expect(assigned.body.data.assignCase).toMatchObject({ status: 'ASSIGNED', assignee: { email: 'analyst@demo.test' } });
    const started = await gql(url, 'mutation($id: ID!) { startReview(entryId: $id) { status } }', { id: entryId }, analyst);
    expect(started.body.data.startReview.status).toBe('IN_PROGRESS');

    // The live queue saw both changes, with fields resolved from two subgraphs.
    await until(async () => changes.items.some((c) => c.queueChanged.kind === 'STARTED' && c.queueChanged.entry.id === entryId));
    expect(changes.items.find((c) => c.queueChanged.kind === 'ASSIGNED')?.queueChanged.entry.application.id).toBe(applicationId);

    const recommendation = reviewed.scoring.modelRecommendation as string;
    const outcome = recommendation === 'DECLINE' ? 'DECLINED' : 'APPROVED';
    const decision = await until(async () => {
      const r = await gql(url, `mutation($in: SubmitDecisionInput!) { submitDecision(input: $in) { decision { id outcome isOverride overrideStatus application { id externalId loan { amount } } } } }`, {
        in: { applicationId, outcome, reasoning: 'Stable income, affordable instalment, clean payment history.', approvedTerms: outcome === 'APPROVED' ? { amount: 25_000, termMonths: 48 } : null },
      }, analyst);
      // The decisions subgraph learns of the started review through an event: retry briefly on CONFLICT.
      if (r.body.errors?.[0]?.extensions?.code === 'CONFLICT') return undefined;
      return r;
    });
    expect(decision.body.errors).toBeUndefined();
    expect(decision.body.data.submitDecision.decision).toMatchObject({ outcome, isOverride: false, overrideStatus: null });
    // From the decision to the application it settles, whose fields the applications subgraph serves.
    expect(decision.body.data.submitDecision.decision.application).toMatchObject({ id: applicationId, externalId: expect.any(String), loan: { amount: expect.anything() } });

    const final = await until(async () => {
      const r = await gql(url, `query($id: ID!) { application(id: $id) { status queueEntry { status } decisions { outcome automated } } }`, { id: applicationId }, analyst);
      const a = r.body.data?.application;
      return a?.status === outcome && a.queueEntry?.status === 'COMPLETED' ? a : undefined;
    });
    expect(final.decisions).toEqual([{ outcome, automated: false }]);
    await until(async () => changes.items.some((c) => c.queueChanged.kind === 'COMPLETED' && c.queueChanged.entry.id === entryId));

    const from = new Date(Date.now() - 3600_000).toISOString();
    const to = new Date(Date.now() + 3600_000).toISOString();
    const dashboard = await until(async () => {
      const r = await gql(url, 'query($f: DateTime!, $t: DateTime!) { decisionDashboard(from: $f, to: $t) { totalApplications decisions autoDecisionRate approvalRate averageReviewSeconds slaComplianceRate } }', { f: from, t: to }, analyst);
      const d = r.body.data?.decisionDashboard;
      return d && d.decisions >= 1 ? d : undefined;
    });
    expect(dashboard.totalApplications).toBeGreaterThanOrEqual(1);
    expect(dashboard.averageReviewSeconds).not.toBeNull();
    expect(dashboard.slaComplianceRate).toBe(1);
    changes.stop();
    await ws.dispose();
  });

  it('decides clear cases automatically and keeps tenants apart', async () => {
    const token = await partnerToken(base);
    const r = await gql(url, 'mutation($i: SubmitApplicationInput!) { submitApplication(input: $i) { application { id } } }', { i: application('e2e-auto-1', 4000) }, token);
    const id = r.body.data.submitApplication.application.id;
    const analyst = await login(url, 'analyst@demo.test');
    const decided = await until(async () => {
      const a = (await gql(url, `query($id: ID!) { application(id: $id) { status scoring { route } decisions { automated outcome } } }`, { id }, analyst)).body.data?.application;
      if (!a?.scoring) return undefined;
      if (a.scoring.route === 'HUMAN_REVIEW') return a.status === 'REVIEW' ? a : undefined;
      return a.decisions.length && a.status !== 'SCORING' && a.status !== 'PENDING' ? a : undefined;
    });
    if (decided.scoring.route !== 'HUMAN_REVIEW') {
      expect(decided.decisions[0].automated).toBe(true);
      expect(decided.status).toBe(decided.scoring.route === 'AUTO_APPROVE' ? 'APPROVED' : 'DECLINED');
    }
    const acme = await login(url, 'analyst@acme.test');
    const other = await gql(url, `query($id: ID!) { application(id: $id) { id } }`, { id }, acme);
    expect(other.body.data?.application).toBeNull();
  });

  it('answers a caller mistake with a code and no stack', async () => {
    const bad = await gql(url, '{ me { id } }', {}, 'not-a-token');
    expect(bad.status).toBe(401);
    expect(bad.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const anon = await gql(url, '{ reviewQueue { totalCount } }');
    expect(anon.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const readonly = await login(url, 'readonly@demo.test');
    const forbidden = await gql(url, 'mutation { pickNextCase { id } }', {}, readonly);
    expect(forbidden.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(forbidden.body)).not.toMatch(/at .*\.ts:\d+/);
    const token = await partnerToken(base);
    const invalid = await gql(url, 'mutation($i: SubmitApplicationInput!) { submitApplication(input: $i) { application { id } } }', { i: { ...application('e2e-bad', 1000), loan: { amount: 'lots', termMonths: 12 } } }, token);
    expect(invalid.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const oauthBad = await fetch(`${base}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&client_id=demo-partner&client_secret=wrong' });
    expect(oauthBad.status).toBe(401);
    expect(await oauthBad.json()).toMatchObject({ error: 'invalid_client' });
  });
});
