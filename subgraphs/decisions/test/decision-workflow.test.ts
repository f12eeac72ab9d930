import { randomUUID } from 'node:crypto';
import {
  type AuditRecorded,
  AuditTopic,
  CaseTopic,
  type DecisionContested,
  type DecisionMade,
  DecisionTopic,
  type DocumentsSubmitted,
  type OverrideRejected,
  Topic,
} from '@tandem/platform';
import { startSubgraphForTest, testCaller } from '@tandem/platform/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decisionsSubgraph } from '../src/server.js';
import { DECISION, harness, JUSTIFICATION, REASON_CODES, REASONING, SUBMIT, scored, started, type TestSubgraph } from './fixtures.js';

const TENANT = 'tenant-wf';
const analyst1 = testCaller('analyst', TENANT, 'analyst-1');
const analyst2 = testCaller('analyst', TENANT, 'analyst-2');
const senior1 = testCaller('senior_analyst', TENANT, 'senior-1');
const senior2 = testCaller('senior_analyst', TENANT, 'senior-2');
const partner = testCaller('api_consumer', TENANT, 'demo-partner');
const otherPartner = testCaller('api_consumer', 'tenant-other', 'demo-partner');

const PENDING = `query($first: Int) { pendingOverrides(first: $first) { totalCount edges { node { id applicationId decidedBy { id } overrideStatus } } } }`;
const APPROVE = `mutation($id: ID!) { approveOverride(decisionId: $id) { id overrideStatus final overrideReviewedBy { id } overrideReviewedAt } }`;
const REJECT = `mutation($id: ID!, $reason: String!) { rejectOverride(decisionId: $id, reason: $reason) { id overrideStatus final overrideRejectionReason } }`;
const FULFIL = `mutation($d: ID!, $c: ID!) { fulfilCondition(decisionId: $d, conditionId: $c) { id kind fulfilled fulfilledAt fulfilledBy { id } } }`;
const CONTEST = `mutation($a: ID!, $s: String!) { contestDecision(applicationId: $a, statement: $s) {
  id applicationId decisionId statement contestedBy contestedAt evidence { modelVersion scoreId probabilityOfDefault score riskBand routeReason reasonCodes { code description } } } }`;
const SUBMIT_DOCS = `mutation($a: ID!, $docs: [SubmittedDocumentInput!]!) { submitDocuments(applicationId: $a, documents: $docs) {
  id outcome documentsRequest { checklist dueAt answeredAt submittedDocuments { name kind url checklistItem } items { item state documents { name } } } } }`;
const STATEMENT = 'The applicant disputes the arrears on record: they were cleared in 2024 (letter from the lender attached).';
const REJECTION = 'The repayment is not evidenced; the bank statement shows the debt still open.';

describe('decisions subgraph: outcomes, overrides, conditions, contests and documents', () => {
  let sg: TestSubgraph;
  const h = harness(() => sg);

  beforeAll(async () => {
    sg = await startSubgraphForTest(decisionsSubgraph, inject('databaseUrl'));
  });
  afterAll(async () => sg?.close());

  describe('every outcome', () => {
    it('APPROVED grants the requested terms with the 12% annuity instalment', async () => {
      const applicationId = await h.caseInProgress(TENANT, 'analyst-1');
      const { submitDecision } = await h.ok(analyst1, SUBMIT, { input: { applicationId, outcome: 'APPROVED', reasoning: REASONING } });
      expect(submitDecision.decision).toMatchObject({
        outcome: 'APPROVED',
        final: true,
        approvedTerms: { amount: '10000.00', termMonths: 36 },
        monthlyInstalment: '332.14',
        typedConditions: [],
      });
    });

    it('APPROVED_WITH_CONDITIONS stores typed and free-text conditions and adjusts terms and instalment', async () => {
      const applicationId = await h.caseInProgress(TENANT, 'analyst-1');
      const { submitDecision } = await h.ok(analyst1, SUBMIT, {
        input: {
          applicationId,
          outcome: 'APPROVED_WITH_CONDITIONS',
          reasoning: REASONING,
          typedConditions: [
            { kind: 'REDUCED_AMOUNT', amount: '8000' },
            { kind: 'GUARANTOR', description: 'A guarantor earning at least 3,000 a month' },
          ],
          conditions: ['Proof of address'],
        },
      });
      expect(submitDecision.decision).toMatchObject({
        outcome: 'APPROVED_WITH_CONDITIONS',
        approvedTerms: { amount: '8000.00', termMonths: 36 },
        monthlyInstalment: '265.71',
        conditions: ['Amount reduced to 8000.00', 'A guarantor earning at least 3,000 a month', 'Proof of address'],
      });
      expect(
        submitDecision.decision.typedConditions.map((c: { kind: string; amount: string | null; fulfilled: boolean }) => [c.kind, c.amount, c.fulfilled]),
      ).toEqual([
        ['REDUCED_AMOUNT', '8000.00', false],
        ['GUARANTOR', null, false],
        ['OTHER', null, false],
      ]);
    });

    it('refuses a reduced amount that is not below the requested one, and a condition kind field that does not belong', async () => {
      const applicationId = await h.caseInProgress(TENANT, 'analyst-1');
      for (const typedConditions of [
        [{ kind: 'REDUCED_AMOUNT', amount: '10000' }],
        [{ kind: 'REDUCED_TERM', termMonths: 48 }],
        [{ kind: 'COLLATERAL', description: 'Car', termMonths: 12 }],
      ]) {
        expect(
          await h.refused(analyst1, SUBMIT, { input: { applicationId, outcome: 'APPROVED_WITH_CONDITIONS', reasoning: REASONING, typedConditions } }),
        ).toBe('BAD_USER_INPUT');
      }
    });

    it('DECLINED keeps the reason codes from the score', async () => {
      const applicationId = await h.caseInProgress(TENANT, 'analyst-1');
      const { submitDecision } = await h.ok(analyst1, SUBMIT, { input: { applicationId, outcome: 'DECLINED', reasoning: REASONING } });
      expect(submitDecision.decision).toMatchObject({ outcome: 'DECLINED', approvedTerms: null, monthlyInstalment: null, reasonCodes: REASON_CODES });
    });

    it('DOCUMENTS_REQUESTED carries a checklist and a due date and publishes DecisionMade with that outcome', async () => {
      const applicationId = await h.caseInProgress(TENANT, 'analyst-1');
      const dueAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
      const { submitDecision } = await h.ok(analyst1, SUBMIT, {
        input: {
          applicationId,
          outcome: 'DOCUMENTS_REQUESTED',
          reasoning: 'Need the last three payslips before deciding.',
          documentsChecklist: ['Last three payslips'],
          documentsDueAt: dueAt,
        },
      });
      expect(submitDecision.decision).toMatchObject({
        outcome: 'DOCUMENTS_REQUESTED',
        final: false,
        documentsRequest: { checklist: ['Last three payslips'], dueAt, answeredAt: null, submittedDocuments: [] },
      });
      await expect.poll(() => h.eventsOf<DecisionMade>(Topic.DecisionMade, applicationId)[0]?.payload.outcome).toBe('DOCUMENTS_REQUESTED');
    });
  });

  describe('override round trip', () => {
    /** An override by `deciderId` (who holds the case) against a DECLINE recommendation. */
    async function override(decider = analyst1) {
      const applicationId = await h.caseInProgress(TENANT, decider.id as string, { modelRecommendation: 'DECLINE', probabilityOfDefault: 0.5 });
      const { submitDecision } = await h.ok(decider, SUBMIT, {
        input: { applicationId, outcome: 'APPROVED', reasoning: REASONING, overrideJustification: JUSTIFICATION },
      });
      expect(submitDecision.decision.overrideStatus).toBe('PENDING');
      return { applicationId, decisionId: submitDecision.decision.id as string };
    }
    const pendingIds = async () => (await h.ok(senior1, PENDING, { first: 100 })).pendingOverrides.edges.map((e: { node: { id: string } }) => e.node.id);

    it('lists a pending override for seniors; another senior approves it, and it stands', async () => {
      const { applicationId, decisionId } = await override();
      expect(await pendingIds()).toContain(decisionId);
      expect(await h.refused(analyst2, PENDING)).toBe('FORBIDDEN');
      expect(await h.refused(analyst2, APPROVE, { id: decisionId })).toBe('FORBIDDEN');

      const { approveOverride } = await h.ok(senior1, APPROVE, { id: decisionId });
      expect(approveOverride).toMatchObject({ overrideStatus: 'APPROVED', final: true, overrideReviewedBy: { id: 'senior-1' } });
      expect(await pendingIds()).not.toContain(decisionId);
      await expect
        .poll(() => h.eventsOf<DecisionMade>(Topic.DecisionMade, applicationId).map((e) => e.payload.overrideStatus))
        .toEqual(['PENDING', 'APPROVED']);

      // Reviewed once: neither a second approval nor a late rejection.
      expect(await h.refused(senior2, APPROVE, { id: decisionId })).toBe('CONFLICT');
      expect(await h.refused(senior2, REJECT, { id: decisionId, reason: REJECTION })).toBe('CONFLICT');
    });

    it('refuses a senior reviewing their own override, and unknown or non-override decisions', async () => {
      const { decisionId } = await override(senior1);
      expect(await h.refused(senior1, APPROVE, { id: decisionId })).toBe('FORBIDDEN');
      expect(await h.refused(senior1, REJECT, { id: decisionId, reason: REJECTION })).toBe('FORBIDDEN');
      expect(await h.refused(senior2, APPROVE, { id: randomUUID() })).toBe('NOT_FOUND');
      expect(await h.refused(senior2, APPROVE, { id: 'nope' })).toBe('NOT_FOUND');
      expect(await h.refused(testCaller('senior_analyst', 'tenant-other', 'senior-9'), APPROVE, { id: decisionId })).toBe('NOT_FOUND');

      const plain = await h.caseInProgress(TENANT, 'analyst-1');
      const { submitDecision } = await h.ok(analyst1, SUBMIT, { input: { applicationId: plain, outcome: 'APPROVED', reasoning: REASONING } });
      expect(await h.refused(senior2, APPROVE, { id: submitDecision.decision.id })).toBe('CONFLICT');
    });

    it('a rejection (with a reason) reopens the case to its analyst, announces it, and lets them decide again', async () => {
      const { applicationId, decisionId } = await override();
      expect(await h.refused(senior1, REJECT, { id: decisionId, reason: 'No.' })).toBe('BAD_USER_INPUT');

      const { rejectOverride } = await h.ok(senior1, REJECT, { id: decisionId, reason: REJECTION });
      expect(rejectOverride).toMatchObject({ overrideStatus: 'REJECTED', final: false, overrideRejectionReason: REJECTION });
      await expect
        .poll(() => h.eventsOf<OverrideRejected>(DecisionTopic.OverrideRejected, applicationId)[0]?.payload)
        .toMatchObject({
          decisionId,
          analystId: 'analyst-1',
          rejectedBy: 'senior-1',
          reason: REJECTION,
        });
      await expect
        .poll(() => h.eventsOf<DecisionMade>(Topic.DecisionMade, applicationId).map((e) => e.payload.overrideStatus))
        .toEqual(['PENDING', 'REJECTED']);

      // The queue puts the case back in progress; the analyst decides again, this time with the model.
      await h.publish(started(applicationId, TENANT, 'analyst-1', new Date(Date.now() + 1_000)));
      const again = await h.ok(analyst1, SUBMIT, { input: { applicationId, outcome: 'DECLINED', reasoning: REASONING } });
      expect(again.submitDecision.decision).toMatchObject({ outcome: 'DECLINED', final: true, isOverride: false });
    });
  });

  describe('audit trail', () => {
    const auditsOf = (decisionId: string) =>
      (sg.published as unknown as { type: string; payload: AuditRecorded }[])
        .filter((e) => e.type === AuditTopic.AuditRecorded && e.payload.entityId === decisionId)
        .map((e) => e.payload);

    it('records the decision and the override review with actor, old and new value', async () => {
      const applicationId = await h.caseInProgress(TENANT, 'analyst-1', { modelRecommendation: 'DECLINE' });
      const { submitDecision } = await h.ok(analyst1, SUBMIT, {
        input: { applicationId, outcome: 'APPROVED', reasoning: REASONING, overrideJustification: JUSTIFICATION },
      });
      const decisionId = submitDecision.decision.id;
      await h.ok(senior1, REJECT, { id: decisionId, reason: REJECTION });
      await expect.poll(() => auditsOf(decisionId).map((a) => a.action)).toEqual(['DECIDED', 'OVERRIDE_REJECTED']);
      const [decided, rejected] = auditsOf(decisionId);
      expect(decided).toMatchObject({
        entityType: 'Decision',
        actor: { kind: 'user', id: 'analyst-1' },
        oldValue: null,
        newValue: { outcome: 'APPROVED', overrideStatus: 'PENDING', final: true },
      });
      expect(rejected).toMatchObject({
        actor: { kind: 'user', id: 'senior-1' },
        oldValue: { overrideStatus: 'PENDING', final: true },
        newValue: { overrideStatus: 'REJECTED', final: false },
      });
      expect(rejected.changes.map((c: { path: string }) => c.path)).toEqual(expect.arrayContaining(['overrideStatus', 'final']));
    });

    it('records an automated decision as the routing policy’s', async () => {
      const applicationId = randomUUID();
      await h.publish(scored(applicationId, TENANT, { route: 'AUTO_APPROVE', modelRecommendation: 'APPROVE', probabilityOfDefault: 0.02 }));
      await expect.poll(() => h.eventsOf<DecisionMade>(Topic.DecisionMade, applicationId).length).toBe(1);
      const decisionId = h.eventsOf<DecisionMade>(Topic.DecisionMade, applicationId)[0].payload.decisionId;
      await expect
        .poll(() => auditsOf(decisionId)[0])
        .toMatchObject({ action: 'DECIDED_AUTOMATICALLY', actor: { kind: 'system', id: Topic.ApplicationScored } });
    });
  });

  describe('conditions', () => {
    it('are marked met once, and the partner sees their state; other tenants see nothing', async () => {
      const applicationId = await h.caseInProgress(TENANT, 'analyst-1');
      const { submitDecision } = await h.ok(analyst1, SUBMIT, {
        input: {
          applicationId,
          outcome: 'APPROVED_WITH_CONDITIONS',
          reasoning: REASONING,
          typedConditions: [{ kind: 'COLLATERAL', description: 'Charge over the vehicle' }],
        },
      });
      const decisionId = submitDecision.decision.id;
      const conditionId = submitDecision.decision.typedConditions[0].id;

      expect(await h.refused(partner, FULFIL, { d: decisionId, c: conditionId })).toBe('FORBIDDEN');
      const { fulfilCondition } = await h.ok(analyst2, FULFIL, { d: decisionId, c: conditionId });
      expect(fulfilCondition).toMatchObject({ id: conditionId, kind: 'COLLATERAL', fulfilled: true, fulfilledBy: { id: 'analyst-2' } });
      expect(await h.refused(analyst2, FULFIL, { d: decisionId, c: conditionId })).toBe('CONFLICT');
      expect(await h.refused(analyst2, FULFIL, { d: decisionId, c: randomUUID() })).toBe('NOT_FOUND');

      const seen = await h.ok(partner, DECISION, { id: decisionId });
      expect(seen.decision.typedConditions).toMatchObject([{ id: conditionId, fulfilled: true }]);
      expect((await h.ok(otherPartner, DECISION, { id: decisionId })).decision).toBeNull();
    });
  });

  describe('contest (GDPR Art. 22(3))', () => {
    it('reopens an automated decline for human review with the original evidence, once', async () => {
      const applicationId = randomUUID();
      await h.publish(
        scored(applicationId, TENANT, {
          route: 'AUTO_DECLINE',
          modelRecommendation: 'DECLINE',
          probabilityOfDefault: 0.61,
          routeReason: 'PD 61.0% is above 40.0%',
        }),
      );
      await expect.poll(() => h.eventsOf<DecisionMade>(Topic.DecisionMade, applicationId).length).toBe(1);
      const decisionId = h.eventsOf<DecisionMade>(Topic.DecisionMade, applicationId)[0].payload.decisionId;

      expect(await h.refused(partner, CONTEST, { a: applicationId, s: 'Unfair.' })).toBe('BAD_USER_INPUT');
      expect(await h.refused(analyst1, CONTEST, { a: applicationId, s: STATEMENT })).toBe('FORBIDDEN');
      expect(await h.refused(partner, CONTEST, { a: randomUUID(), s: STATEMENT })).toBe('NOT_FOUND');
      expect(await h.refused(otherPartner, CONTEST, { a: applicationId, s: STATEMENT })).toBe('NOT_FOUND');

      const { contestDecision } = await h.ok(partner, CONTEST, { a: applicationId, s: STATEMENT });
      expect(contestDecision).toMatchObject({
        applicationId,
        decisionId,
        statement: STATEMENT,
        contestedBy: 'demo-partner',
        evidence: { modelVersion: 'credit-default@1.2.0', probabilityOfDefault: 0.61, routeReason: 'PD 61.0% is above 40.0%', reasonCodes: REASON_CODES },
      });
      const contested = await h.ok(partner, DECISION, { id: decisionId });
      expect(contested.decision).toMatchObject({ final: false, automated: true, contest: { id: contestDecision.id } });
      await expect
        .poll(() => h.eventsOf<DecisionContested>(DecisionTopic.DecisionContested, applicationId)[0]?.payload)
        .toMatchObject({
          contestId: contestDecision.id,
          decisionId,
          contestedBy: 'demo-partner',
          evidence: { applicationId, modelVersion: 'credit-default@1.2.0', route: 'AUTO_DECLINE', modelRecommendation: 'DECLINE', loanAmount: 10_000 },
        });
      expect(await h.refused(partner, CONTEST, { a: applicationId, s: STATEMENT })).toBe('CONFLICT');

      // A re-score does not let the policy decide it again: a human re-reviews it.
      await h.publish(scored(applicationId, TENANT, { route: 'AUTO_DECLINE', modelRecommendation: 'DECLINE', scoredAt: new Date().toISOString() }));
      await h.publish(started(applicationId, TENANT, 'analyst-1'));
      const human = await h.ok(analyst1, SUBMIT, {
        input: { applicationId, outcome: 'DECLINED', reasoning: 'Re-reviewed: the arrears are confirmed by the bureau.' },
      });
      expect(human.submitDecision.decision).toMatchObject({ automated: false, final: true });
      expect(h.eventsOf<DecisionMade>(Topic.DecisionMade, applicationId).filter((e) => e.payload.automated)).toHaveLength(1);
    });

    it('refuses to contest a decision an analyst made', async () => {
      const applicationId = await h.caseInProgress(TENANT, 'analyst-1');
      await h.ok(analyst1, SUBMIT, { input: { applicationId, outcome: 'DECLINED', reasoning: REASONING } });
      expect(await h.refused(partner, CONTEST, { a: applicationId, s: STATEMENT })).toBe('CONFLICT');
    });
  });

  describe('documents', () => {
    it('the partner answers a documents request once; the case is put back', async () => {
      const applicationId = await h.caseInProgress(TENANT, 'analyst-1');
      const docs = [
        { name: 'payslip-2026-10.pdf', kind: 'PAYSLIP', url: 'https://partner.example/docs/1', checklistItem: 'Payslips' },
        { name: 'statement.pdf', kind: 'BANK_STATEMENT' },
      ];
      expect(await h.refused(partner, SUBMIT_DOCS, { a: applicationId, docs })).toBe('CONFLICT'); // nothing requested yet

      const { submitDecision } = await h.ok(analyst1, SUBMIT, {
        input: {
          applicationId,
          outcome: 'DOCUMENTS_REQUESTED',
          reasoning: 'Need recent payslips and a bank statement.',
          documentsChecklist: ['Payslips', 'Bank statement'],
        },
      });
      expect(await h.refused(partner, SUBMIT_DOCS, { a: applicationId, docs: [{ name: 'x', kind: 'ID', url: 'javascript:alert(1)' }] })).toBe('BAD_USER_INPUT');
      expect(await h.refused(partner, SUBMIT_DOCS, { a: applicationId, docs: [] })).toBe('BAD_USER_INPUT');
      expect(await h.refused(analyst1, SUBMIT_DOCS, { a: applicationId, docs })).toBe('FORBIDDEN');
      // An item the checklist does not list (the wording must match): refused, and nothing is recorded.
      expect(await h.refused(partner, SUBMIT_DOCS, { a: applicationId, docs: [docs[0], { ...docs[1], checklistItem: 'Bank statements' }] })).toBe(
        'BAD_USER_INPUT',
      );
      const waiting = await h.ok(analyst1, `query($id: ID!) { decision(id: $id) { documentsRequest { answeredAt items { item state } } } }`, {
        id: submitDecision.decision.id,
      });
      expect(waiting.decision.documentsRequest).toEqual({
        answeredAt: null,
        items: [
          { item: 'Payslips', state: 'REQUESTED' },
          { item: 'Bank statement', state: 'REQUESTED' },
        ],
      });

      const { submitDocuments } = await h.ok(partner, SUBMIT_DOCS, { a: applicationId, docs });
      expect(submitDocuments).toMatchObject({
        id: submitDecision.decision.id,
        outcome: 'DOCUMENTS_REQUESTED',
        documentsRequest: {
          checklist: ['Payslips', 'Bank statement'],
          submittedDocuments: [docs[0], { ...docs[1], url: null, checklistItem: null }],
          // The bank statement came, but the partner did not say it answers the item: the analyst sees it as missing.
          items: [
            { item: 'Payslips', state: 'RECEIVED', documents: [{ name: 'payslip-2026-10.pdf' }] },
            { item: 'Bank statement', state: 'MISSING', documents: [] },
          ],
        },
      });
      expect(submitDocuments.documentsRequest.answeredAt).not.toBeNull();
      await expect
        .poll(() => h.eventsOf<DocumentsSubmitted>(CaseTopic.DocumentsSubmitted, applicationId)[0]?.payload.documents)
        .toEqual([
          { name: 'payslip-2026-10.pdf', kind: 'PAYSLIP', checklistItem: 'Payslips' },
          { name: 'statement.pdf', kind: 'BANK_STATEMENT', checklistItem: null },
        ]);
      expect(await h.refused(partner, SUBMIT_DOCS, { a: applicationId, docs })).toBe('CONFLICT');

      // The analyst decides with the documents in hand.
      const final = await h.ok(analyst1, SUBMIT, { input: { applicationId, outcome: 'APPROVED', reasoning: REASONING } });
      expect(final.submitDecision.decision.final).toBe(true);
      expect(await h.refused(partner, SUBMIT_DOCS, { a: applicationId, docs })).toBe('CONFLICT');
    });
  });
});
