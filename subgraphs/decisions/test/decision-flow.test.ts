import { randomUUID } from 'node:crypto';
import { type ApplicationScored, type DecisionMade, type EventEnvelope, type QueueEntryChanged, Topic } from '@tandem/platform';
import { startSubgraphForTest, testCaller } from '@tandem/platform/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type CaseChange, DecisionRepository } from '../src/data/decision.repository.js';
import { ReviewCaseRecord } from '../src/data/review-case.entity.js';
import { decisionsSubgraph } from '../src/server.js';
import { REASON_CODES, scored as scoredFixture } from './fixtures.js';

const DECISION_FIELDS = /* GraphQL */ `
  id applicationId outcome reasoning conditions approvedTerms { amount termMonths }
  isOverride overrideDirection overrideStatus overrideJustification automated decidedBy { id } decidedAt reviewSeconds modelVersion
  reasonCodes { code description }`;

const SUBMIT = /* GraphQL */ `
  mutation Decide($input: SubmitDecisionInput!) { submitDecision(input: $input) { decision { ${DECISION_FIELDS} } } }`;

const DECISION = /* GraphQL */ `query($id: ID!) { decision(id: $id) { ${DECISION_FIELDS} } }`;

const APPLICATION_DECISIONS = /* GraphQL */ `
  query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Application { id decisions { ${DECISION_FIELDS} } } } }`;

const REASONING = 'Stable income for six years, low utilisation and no arrears.';
const JUSTIFICATION = 'Payslips verified by phone; the debt the model saw was repaid last month (bank statement on file).';

describe('decisions subgraph: decision flow', () => {
  let sg: Awaited<ReturnType<typeof startSubgraphForTest>>;
  const analyst1 = testCaller('analyst', 'tenant-a', 'analyst-1');
  const analyst2 = testCaller('analyst', 'tenant-a', 'analyst-2');

  beforeAll(async () => {
    sg = await startSubgraphForTest(decisionsSubgraph, inject('databaseUrl'));
  });
  afterAll(async () => sg?.close());

  /** Delivers an event as the bus would, to this subgraph's consumers. */
  const publish = (event: EventEnvelope<object>) => sg.bus.publish(event as EventEnvelope);

  const envelope = <T>(type: string, payload: T, tenantId = 'tenant-a', occurredAt = new Date()): EventEnvelope<T> => ({
    id: randomUUID(),
    type,
    tenantId,
    source: 'test',
    occurredAt: occurredAt.toISOString(),
    payload,
  });

  const scored = (applicationId: string, overrides: Partial<ApplicationScored> = {}, tenantId = 'tenant-a') =>
    scoredFixture(applicationId, tenantId, overrides);

  const queueChange = (
    applicationId: string,
    kind: QueueEntryChanged['kind'],
    overrides: Partial<QueueEntryChanged> = {},
    at = new Date(),
    tenantId = 'tenant-a',
  ) =>
    envelope<QueueEntryChanged>(
      Topic.QueueEntryChanged,
      {
        kind,
        entryId: `entry-${applicationId}`,
        applicationId,
        status: kind === 'STARTED' ? 'IN_PROGRESS' : kind === 'ASSIGNED' ? 'ASSIGNED' : kind === 'COMPLETED' ? 'COMPLETED' : 'PENDING',
        assigneeId: kind === 'CREATED' || kind === 'RELEASED' ? null : 'analyst-1',
        priority: 50,
        slaDeadline: new Date(Date.now() + 4 * 3_600_000).toISOString(),
        startedAt: kind === 'STARTED' ? new Date(Date.now() - 90_000).toISOString() : null,
        ...overrides,
      },
      tenantId,
      at,
    );

  /** An application scored for review whose case analyst-1 has started. */
  async function caseInProgress(scoreOverrides: Partial<ApplicationScored> = {}, tenantId = 'tenant-a') {
    const applicationId = randomUUID();
    await publish(scored(applicationId, scoreOverrides, tenantId));
    await publish(queueChange(applicationId, 'STARTED', {}, new Date(), tenantId));
    return applicationId;
  }

  const decisionsOf = async (applicationId: string, caller = analyst1) => {
    const { body } = await sg.call(caller, APPLICATION_DECISIONS, { reps: [{ __typename: 'Application', id: applicationId }] });
    expect(body.errors).toBeUndefined();
    return (body.data as any)._entities[0].decisions as any[];
  };
  const decisionEventsFor = (applicationId: string) =>
    (sg.published as EventEnvelope<object>[]).filter(
      (e): e is EventEnvelope<DecisionMade> => e.type === Topic.DecisionMade && (e.payload as DecisionMade).applicationId === applicationId,
    );
  const settle = () => new Promise((r) => setTimeout(r, 250));

  it('declines a clear decline automatically, with the reason codes, once even when the event is redelivered', async () => {
    const applicationId = randomUUID();
    const event = scored(applicationId, {
      route: 'AUTO_DECLINE',
      modelRecommendation: 'DECLINE',
      probabilityOfDefault: 0.61,
      routeReason: 'PD 61.0% is above the auto-decline threshold 40.0%',
    });
    await publish(event);
    await publish(event); // redelivery: same envelope id
    await expect.poll(() => decisionEventsFor(applicationId).length).toBe(1);

    const made = decisionEventsFor(applicationId)[0];
    expect(made.tenantId).toBe('tenant-a');
    expect(made.payload).toMatchObject({
      outcome: 'DECLINED',
      automated: true,
      isOverride: false,
      overrideStatus: null,
      decidedBy: null,
      reviewSeconds: null,
      withinSla: null,
    });
    expect(made.payload.decidedAt).toBe(new Date(event.payload.scoredAt).toISOString());

    const { body } = await sg.call(analyst1, DECISION, { id: made.payload.decisionId });
    expect(body.errors).toBeUndefined();
    expect((body.data as any).decision).toMatchObject({
      applicationId,
      outcome: 'DECLINED',
      automated: true,
      decidedBy: null,
      reasoning: 'PD 61.0% is above the auto-decline threshold 40.0%',
      reasonCodes: REASON_CODES,
      modelVersion: 'credit-default@1.2.0',
      approvedTerms: null,
      reviewSeconds: null,
    });

    // A re-publication by scoring (a new envelope for the same score) decides nothing new either.
    await publish(scored(applicationId, { route: 'AUTO_DECLINE', modelRecommendation: 'DECLINE' }));
    await settle();
    expect(decisionEventsFor(applicationId)).toHaveLength(1);
    expect(await decisionsOf(applicationId)).toHaveLength(1);
  });

  it('approves a clear approval automatically at the requested terms', async () => {
    const applicationId = randomUUID();
    await publish(
      scored(applicationId, { route: 'AUTO_APPROVE', modelRecommendation: 'APPROVE', probabilityOfDefault: 0.02, loanAmount: 4_500.5, termMonths: 24 }),
    );
    const decisions = await decisionsOf(applicationId);
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ outcome: 'APPROVED', automated: true, approvedTerms: { amount: '4500.50', termMonths: 24 }, reasonCodes: [] });
  });

  it('leaves a review case to the analyst who started it, and records the review time and SLA', async () => {
    const applicationId = await caseInProgress();
    expect(await decisionsOf(applicationId)).toEqual([]);

    const { body } = await sg.call(analyst1, SUBMIT, { input: { applicationId, outcome: 'APPROVED', reasoning: REASONING } });
    expect(body.errors).toBeUndefined();
    const decision = (body.data as any).submitDecision.decision;
    expect(decision).toMatchObject({
      applicationId,
      outcome: 'APPROVED',
      reasoning: REASONING,
      automated: false,
      decidedBy: { id: 'analyst-1' },
      isOverride: false,
      overrideStatus: null,
      overrideDirection: null,
      modelVersion: 'credit-default@1.2.0',
      approvedTerms: { amount: '10000.00', termMonths: 36 },
      reasonCodes: [],
    });
    expect(decision.reviewSeconds).toBeGreaterThanOrEqual(90);
    expect(decision.reviewSeconds).toBeLessThan(120);

    await expect.poll(() => decisionEventsFor(applicationId).length).toBe(1);
    const made = decisionEventsFor(applicationId)[0].payload;
    expect(made).toMatchObject({
      decisionId: decision.id,
      outcome: 'APPROVED',
      automated: false,
      decidedBy: 'analyst-1',
      withinSla: true,
      isOverride: false,
      overrideStatus: null,
    });
    expect(made.reviewSeconds).toBe(decision.reviewSeconds);

    expect((await decisionsOf(applicationId)).map((d) => d.id)).toEqual([decision.id]);
  });

  it('marks a decision after the SLA deadline as outside it', async () => {
    const applicationId = randomUUID();
    await publish(scored(applicationId));
    await publish(queueChange(applicationId, 'STARTED', { slaDeadline: new Date(Date.now() - 60_000).toISOString() }));
    const { body } = await sg.call(analyst1, SUBMIT, { input: { applicationId, outcome: 'DECLINED', reasoning: REASONING } });
    expect(body.errors).toBeUndefined();
    // A decline keeps the model's reasons for the notice.
    expect((body.data as any).submitDecision.decision.reasonCodes).toEqual(REASON_CODES);
    await expect.poll(() => decisionEventsFor(applicationId)[0]?.payload.withinSla).toBe(false);
  });

  it('keeps the newest case state when queue events arrive out of order', async () => {
    const applicationId = randomUUID();
    await publish(scored(applicationId));
    const t0 = Date.now();
    await publish(queueChange(applicationId, 'STARTED', {}, new Date(t0)));
    // The ASSIGNED that happened before STARTED is delivered late: it must not undo the start.
    await publish(queueChange(applicationId, 'ASSIGNED', {}, new Date(t0 - 5_000)));
    const { body } = await sg.call(analyst1, SUBMIT, { input: { applicationId, outcome: 'APPROVED', reasoning: REASONING } });
    expect(body.errors).toBeUndefined();
  });

  it('previews the terms and instalment an approval would grant, as submitDecision then stores them', async () => {
    const PREVIEW = /* GraphQL */ `
      query Preview($id: ID!, $typed: [ConditionInput!], $terms: ApprovedTermsInput) {
        approvalTermsPreview(applicationId: $id, typedConditions: $typed, approvedTerms: $terms) {
          requested { amount termMonths } requestedMonthlyInstalment terms { amount termMonths } monthlyInstalment annualRate
        }
      }`;
    const applicationId = await caseInProgress();
    const typed = [
      { kind: 'REDUCED_AMOUNT', amount: 8000 },
      { kind: 'REDUCED_TERM', termMonths: 24 },
    ];
    const preview = await sg.call<{ approvalTermsPreview: Record<string, unknown> }>(analyst1, PREVIEW, { id: applicationId, typed });
    expect(preview.body.errors).toBeUndefined();
    expect(preview.body.data!.approvalTermsPreview).toEqual({
      requested: { amount: '10000.00', termMonths: 36 },
      requestedMonthlyInstalment: '332.14',
      terms: { amount: '8000.00', termMonths: 24 },
      monthlyInstalment: '376.59',
      annualRate: 0.12,
    });
    // The decision stores what the preview said.
    const { body } = await sg.call<{ submitDecision: { decision: { approvedTerms: unknown; monthlyInstalment: string } } }>(analyst1, SUBMIT, {
      input: { applicationId, outcome: 'APPROVED_WITH_CONDITIONS', reasoning: REASONING, typedConditions: typed },
    });
    expect(body.errors).toBeUndefined();
    const stored = await sg.call<{ _entities: { decisions: unknown[] }[] }>(
      analyst1,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Application { decisions { approvedTerms { amount termMonths } monthlyInstalment } } } }`,
      { reps: [{ __typename: 'Application', id: applicationId }] },
    );
    expect(stored.body.data!._entities[0]!.decisions).toEqual([{ approvedTerms: { amount: '8000.00', termMonths: 24 }, monthlyInstalment: '376.59' }]);

    // Terms a decision would refuse, another tenant's application, and a caller who cannot decide.
    const refused = await sg.call(analyst1, PREVIEW, { id: applicationId, typed: [{ kind: 'REDUCED_AMOUNT', amount: 12000 }] });
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', details: { problems: [{ field: 'typedConditions[0].amount' }] } });
    const elsewhere = await sg.call(testCaller('analyst', 'tenant-b', 'analyst-9'), PREVIEW, { id: applicationId });
    expect(elsewhere.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const readonly = await sg.call(testCaller('readonly', 'tenant-a', 'reader'), PREVIEW, { id: applicationId });
    expect(readonly.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('knows when an application has its final decision, per tenant', async () => {
    const applicationId = await caseInProgress();
    const final = (tenantId: string) => new DecisionRepository(sg.orm.em.fork()).hasFinalDecision(tenantId, applicationId);
    expect(await final('tenant-a')).toBe(false);
    const { body } = await sg.call(analyst1, SUBMIT, { input: { applicationId, outcome: 'APPROVED', reasoning: REASONING } });
    expect(body.errors).toBeUndefined();
    expect(await final('tenant-a')).toBe(true);
    expect(await final('tenant-b')).toBe(false);
  });

  it('keeps each case at its newest change: first, later and same-instant changes apply, an earlier one changes nothing', async () => {
    const repo = () => new DecisionRepository(sg.orm.em.fork());
    const applicationId = randomUUID();
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, s));
    const change = (status: CaseChange['status'], assigneeId: string | null): CaseChange => ({
      entryId: `entry-${applicationId}`,
      status,
      assigneeId,
      startedAt: status === 'IN_PROGRESS' ? at(5) : null,
      slaDeadline: at(59),
    });
    const held = async () => (await sg.orm.em.fork().findOne(ReviewCaseRecord, { tenantId: 'demo', applicationId }))!;

    expect(await repo().applyCaseChange('demo', applicationId, change('ASSIGNED', 'analyst-1'), at(1))).toBe(true);
    expect(await repo().applyCaseChange('demo', applicationId, change('IN_PROGRESS', 'analyst-1'), at(5))).toBe(true);
    // The ASSIGNED of before, delivered late, and a release from before the start: nothing changes.
    expect(await repo().applyCaseChange('demo', applicationId, change('ASSIGNED', 'analyst-2'), at(4))).toBe(false);
    expect(await repo().applyCaseChange('demo', applicationId, change('PENDING', null), at(3))).toBe(false);
    expect(await held()).toMatchObject({ status: 'IN_PROGRESS', assigneeId: 'analyst-1', startedAt: at(5), lastChangeAt: at(5) });
    // A second change in the same millisecond is the later one.
    expect(await repo().applyCaseChange('demo', applicationId, change('COMPLETED', 'analyst-1'), at(5))).toBe(true);
    expect(await held()).toMatchObject({ status: 'COMPLETED', entryId: `entry-${applicationId}`, slaDeadline: at(59), lastChangeAt: at(5) });
    // Another tenant's case of the same application id is its own row.
    expect(await repo().applyCaseChange('other-tenant', applicationId, change('PENDING', null), at(0))).toBe(true);
    expect((await held()).status).toBe('COMPLETED');

    // The same rules for a batch in one statement: per application the newest change, of equal times the last.
    const [first, second] = [randomUUID(), randomUUID()];
    const batchChange = (applicationId: string, status: CaseChange['status'], assigneeId: string | null, minute: number) => ({
      applicationId,
      change: { ...change(status, assigneeId), entryId: `entry-${applicationId}` },
      changeAt: at(minute),
    });
    const applied = await repo().applyCaseChanges('demo', [
      batchChange(first, 'ASSIGNED', 'analyst-1', 1),
      batchChange(first, 'IN_PROGRESS', 'analyst-1', 5),
      batchChange(second, 'PENDING', null, 2),
      batchChange(first, 'PENDING', null, 3), // older than the start before it
      batchChange(first, 'COMPLETED', 'analyst-1', 5), // as new as the start: the later wins
    ]);
    expect(applied).toBe(2);
    const caseOf = async (id: string) => (await sg.orm.em.fork().findOne(ReviewCaseRecord, { tenantId: 'demo', applicationId: id }))!;
    expect(await caseOf(first)).toMatchObject({ status: 'COMPLETED', assigneeId: 'analyst-1', lastChangeAt: at(5) });
    expect(await caseOf(second)).toMatchObject({ status: 'PENDING', assigneeId: null, lastChangeAt: at(2) });
    // A batch of only stale changes changes nothing.
    expect(await repo().applyCaseChanges('demo', [batchChange(first, 'ASSIGNED', 'analyst-2', 4)])).toBe(0);
  });

  describe('refusals', () => {
    it('FORBIDDEN for an analyst the case is not assigned to', async () => {
      const applicationId = await caseInProgress();
      const { body } = await sg.call(analyst2, SUBMIT, { input: { applicationId, outcome: 'APPROVED', reasoning: REASONING } });
      expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });

    it("waits for the queue's news of the decider's own start: a decision sent before STARTED arrives succeeds once it does", async () => {
      const applicationId = randomUUID();
      await publish(scored(applicationId));
      await publish(queueChange(applicationId, 'ASSIGNED'));
      const sent = Date.now();
      const decision = sg.call(analyst1, SUBMIT, { input: { applicationId, outcome: 'APPROVED', reasoning: REASONING } });
      await new Promise((r) => setTimeout(r, 300));
      await publish(queueChange(applicationId, 'STARTED', {}, new Date(Date.now() + 1)));
      const { body } = await decision;
      expect(body.errors).toBeUndefined();
      expect(Date.now() - sent).toBeGreaterThanOrEqual(300);
      await settle();
      expect(decisionEventsFor(applicationId)).toHaveLength(1);
    });

    // Each refusal below first waits (up to 2 s) in case the queue's news is still on its way.
    it('CONFLICT while the case is assigned but not started, and after it was released', { timeout: 15_000 }, async () => {
      const applicationId = randomUUID();
      await publish(scored(applicationId));
      await publish(queueChange(applicationId, 'ASSIGNED'));
      const assigned = await sg.call(analyst1, SUBMIT, { input: { applicationId, outcome: 'APPROVED', reasoning: REASONING } });
      expect(assigned.body.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect(assigned.body.errors?.[0].message).toContain('IN_PROGRESS');

      await publish(queueChange(applicationId, 'STARTED', {}, new Date(Date.now() + 1)));
      await publish(queueChange(applicationId, 'RELEASED', {}, new Date(Date.now() + 2)));
      const released = await sg.call(analyst1, SUBMIT, { input: { applicationId, outcome: 'APPROVED', reasoning: REASONING } });
      expect(released.body.errors?.[0].extensions?.code).toBe('CONFLICT');
    });

    it('CONFLICT asking to retry when this subgraph has not heard of the case yet', { timeout: 15_000 }, async () => {
      const applicationId = randomUUID();
      const unknown = await sg.call(analyst1, SUBMIT, { input: { applicationId, outcome: 'APPROVED', reasoning: REASONING } });
      expect(unknown.body.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect(unknown.body.errors?.[0].message).toMatch(/retry/);
      await publish(scored(applicationId));
      const scoredOnly = await sg.call(analyst1, SUBMIT, { input: { applicationId, outcome: 'APPROVED', reasoning: REASONING } });
      expect(scoredOnly.body.errors?.[0].extensions?.code).toBe('CONFLICT');
    });

    it('BAD_USER_INPUT for short reasoning, missing conditions, bad terms or money; nothing is stored or published', async () => {
      const applicationId = await caseInProgress();
      const attempts = [
        { applicationId, outcome: 'APPROVED', reasoning: 'Looks fine.' },
        { applicationId, outcome: 'APPROVED_WITH_CONDITIONS', reasoning: REASONING, conditions: [] },
        { applicationId, outcome: 'APPROVED', reasoning: REASONING, approvedTerms: { amount: 50_000, termMonths: 36 } },
        { applicationId, outcome: 'APPROVED', reasoning: REASONING, approvedTerms: { amount: '12.345', termMonths: 36 } },
        { applicationId, outcome: 'DECLINED', reasoning: REASONING, conditions: ['Guarantor'] },
      ];
      for (const input of attempts) {
        const { body } = await sg.call(analyst1, SUBMIT, { input });
        expect(body.errors?.[0].extensions?.code, JSON.stringify(input)).toBe('BAD_USER_INPUT');
      }
      const short = await sg.call(analyst1, SUBMIT, { input: attempts[0] });
      expect(short.body.errors?.[0].message).toContain('reasoning');
      await settle();
      expect(await decisionsOf(applicationId)).toEqual([]);
      expect(decisionEventsFor(applicationId)).toHaveLength(0);

      // The refusals left the case decidable.
      const ok = await sg.call(analyst1, SUBMIT, {
        input: {
          applicationId,
          outcome: 'APPROVED_WITH_CONDITIONS',
          reasoning: REASONING,
          conditions: ['Proof of address'],
          approvedTerms: { amount: '8000', termMonths: 24 },
        },
      });
      expect(ok.body.errors).toBeUndefined();
      expect((ok.body.data as any).submitDecision.decision).toMatchObject({
        conditions: ['Proof of address'],
        approvedTerms: { amount: '8000.00', termMonths: 24 },
      });
    });

    it('FORBIDDEN without decision:create', async () => {
      const applicationId = await caseInProgress();
      const { body } = await sg.call(testCaller('readonly', 'tenant-a', 'analyst-1'), SUBMIT, {
        input: { applicationId, outcome: 'APPROVED', reasoning: REASONING },
      });
      expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });
  });

  describe('overrides', () => {
    it('needs a 50-character justification to approve against a decline recommendation', async () => {
      // Outside the automation envelope: the score says decline but a human decides.
      const applicationId = await caseInProgress({
        modelRecommendation: 'DECLINE',
        probabilityOfDefault: 0.55,
        routeReason: 'Score alone would decline, but amount exceeds the limit',
      });
      const without = await sg.call(analyst1, SUBMIT, { input: { applicationId, outcome: 'APPROVED', reasoning: REASONING } });
      expect(without.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(without.body.errors?.[0].message).toContain('overrideJustification');
      const short = await sg.call(analyst1, SUBMIT, {
        input: { applicationId, outcome: 'APPROVED', reasoning: REASONING, overrideJustification: 'Known customer, trust them.' },
      });
      expect(short.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(await decisionsOf(applicationId)).toEqual([]);

      const { body } = await sg.call(analyst1, SUBMIT, {
        input: { applicationId, outcome: 'APPROVED', reasoning: REASONING, overrideJustification: JUSTIFICATION },
      });
      expect(body.errors).toBeUndefined();
      expect((body.data as any).submitDecision.decision).toMatchObject({
        isOverride: true,
        overrideDirection: 'APPROVE_OVER_DECLINE',
        overrideStatus: 'PENDING',
        overrideJustification: JUSTIFICATION,
      });
      await expect.poll(() => decisionEventsFor(applicationId)[0]?.payload).toMatchObject({ isOverride: true, overrideStatus: 'PENDING' });
    });

    it('records a decline against an approve recommendation as DECLINE_OVER_APPROVE', async () => {
      const applicationId = await caseInProgress({ modelRecommendation: 'APPROVE', probabilityOfDefault: 0.02 });
      const { body } = await sg.call(analyst1, SUBMIT, {
        input: { applicationId, outcome: 'DECLINED', reasoning: REASONING, overrideJustification: JUSTIFICATION },
      });
      expect(body.errors).toBeUndefined();
      expect((body.data as any).submitDecision.decision).toMatchObject({
        isOverride: true,
        overrideDirection: 'DECLINE_OVER_APPROVE',
        overrideStatus: 'PENDING',
      });
    });
  });

  describe('one final decision per application', () => {
    it('answers CONFLICT to a second decision', async () => {
      const applicationId = await caseInProgress();
      const first = await sg.call(analyst1, SUBMIT, { input: { applicationId, outcome: 'DECLINED', reasoning: REASONING } });
      expect(first.body.errors).toBeUndefined();
      const second = await sg.call(analyst1, SUBMIT, { input: { applicationId, outcome: 'APPROVED', reasoning: REASONING } });
      expect(second.body.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect(await decisionsOf(applicationId)).toHaveLength(1);
    });

    it('lets a documents request be followed by the final decision', async () => {
      const applicationId = await caseInProgress();
      const docs = await sg.call(analyst1, SUBMIT, {
        input: { applicationId, outcome: 'DOCUMENTS_REQUESTED', reasoning: 'Need the last three payslips before deciding.' },
      });
      expect(docs.body.errors).toBeUndefined();
      const final = await sg.call(analyst1, SUBMIT, { input: { applicationId, outcome: 'APPROVED', reasoning: REASONING } });
      expect(final.body.errors).toBeUndefined();
      expect((await decisionsOf(applicationId)).map((d) => d.outcome)).toEqual(['DOCUMENTS_REQUESTED', 'APPROVED']);
    });

    it('of 10 concurrent submissions by the assignee, exactly one succeeds and one event is published', async () => {
      const applicationId = await caseInProgress();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          sg.call(analyst1, SUBMIT, { input: { applicationId, outcome: i % 2 ? 'APPROVED' : 'DECLINED', reasoning: `${REASONING} (#${i})` } }),
        ),
      );
      const succeeded = results.filter((r) => !r.body.errors);
      expect(succeeded).toHaveLength(1);
      expect(results.filter((r) => r.body.errors).map((r) => r.body.errors?.[0].extensions?.code)).toEqual(Array(9).fill('CONFLICT'));
      expect(await decisionsOf(applicationId)).toHaveLength(1);
      await expect.poll(() => decisionEventsFor(applicationId).length).toBe(1);
      await settle();
      expect(decisionEventsFor(applicationId)).toHaveLength(1);
    });
  });

  describe('tenants and lookups', () => {
    it('keeps decisions inside their tenant', { timeout: 15_000 }, async () => {
      const applicationId = await caseInProgress();
      const { body } = await sg.call(analyst1, SUBMIT, { input: { applicationId, outcome: 'APPROVED', reasoning: REASONING } });
      const id = (body.data as any).submitDecision.decision.id;
      const otherTenant = testCaller('analyst', 'tenant-b', 'analyst-1');

      const own = await sg.call(analyst1, DECISION, { id });
      expect((own.body.data as any).decision.id).toBe(id);
      const other = await sg.call(otherTenant, DECISION, { id });
      expect(other.body.errors).toBeUndefined();
      expect((other.body.data as any).decision).toBeNull();
      expect(await decisionsOf(applicationId, otherTenant)).toEqual([]);

      // Nor can the other tenant's analyst decide it, even with the same user id and a case of their own.
      await publish(queueChange(applicationId, 'STARTED', {}, new Date(), 'tenant-b'));
      const crossTenant = await sg.call(otherTenant, SUBMIT, { input: { applicationId, outcome: 'DECLINED', reasoning: REASONING } });
      expect(crossTenant.body.errors?.[0].extensions?.code).toBe('CONFLICT'); // tenant-b has no score for it
      expect(await decisionsOf(applicationId)).toHaveLength(1);
    });

    it('answers null for an unknown or malformed decision id, and FORBIDDEN without decision:view', async () => {
      for (const id of [randomUUID(), 'not-a-uuid']) {
        const { body } = await sg.call(analyst1, DECISION, { id });
        expect(body.errors).toBeUndefined();
        expect((body.data as any).decision).toBeNull();
      }
      const noView = { ...analyst1, permissions: analyst1.permissions.filter((p) => p !== 'decision:view') };
      const { body } = await sg.call(noView, DECISION, { id: randomUUID() });
      expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });

    it('refuses calls that did not come through the gateway', async () => {
      const res = await sg.call(null, DECISION, { id: randomUUID() });
      expect(res.status).toBe(401);
      expect(res.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });
  });
});
