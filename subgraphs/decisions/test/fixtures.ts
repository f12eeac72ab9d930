import { randomUUID } from 'node:crypto';
import type { Caller } from '@tandem/platform';
import { type ApplicationScored, type EventEnvelope, type QueueEntryChanged, Topic } from '@tandem/platform';
import type { startSubgraphForTest } from '@tandem/platform/testing';
import { expect } from 'vitest';

/** Events as the bus would deliver them, and the GraphQL this subgraph answers, for the workflow tests. */
export type TestSubgraph = Awaited<ReturnType<typeof startSubgraphForTest>>;

export const DECISION_FIELDS = /* GraphQL */ `
  id applicationId outcome reasoning conditions approvedTerms { amount termMonths } monthlyInstalment final
  typedConditions { id kind description amount termMonths fulfilled fulfilledAt fulfilledBy { id } }
  documentsRequest { checklist dueAt answeredAt submittedDocuments { name kind url } }
  isOverride overrideDirection overrideStatus overrideJustification overrideReviewedBy { id } overrideReviewedAt overrideRejectionReason
  automated decidedBy { id } decidedAt reviewSeconds modelVersion reasonCodes { code description }
  contest { id statement contestedBy evidence { modelVersion scoreId probabilityOfDefault riskBand reasonCodes { code } } }`;

export const SUBMIT = `mutation($input: SubmitDecisionInput!) { submitDecision(input: $input) { decision { ${DECISION_FIELDS} } } }`;
export const DECISION = `query($id: ID!) { decision(id: $id) { ${DECISION_FIELDS} } }`;

export const REASONING = 'Stable income for six years, low utilisation and no arrears.';
export const JUSTIFICATION = 'Payslips verified by phone; the debt the model saw was repaid last month (bank statement on file).';
export const REASON_CODES = [
  { code: 'R01_HIGH_DEBT_TO_INCOME', description: 'Outstanding debt is too high relative to income' },
  { code: 'R08_PAST_ARREARS', description: 'Past arrears on record' },
];

export function envelope<T>(type: string, payload: T, tenantId: string, occurredAt = new Date()): EventEnvelope<T> {
  return { id: randomUUID(), type, tenantId, source: 'test', occurredAt: occurredAt.toISOString(), payload };
}

export function scored(applicationId: string, tenantId: string, overrides: Partial<ApplicationScored> = {}) {
  return envelope<ApplicationScored>(
    Topic.ApplicationScored,
    {
      applicationId,
      scoreId: randomUUID(),
      modelVersion: 'credit-default@1.2.0',
      probabilityOfDefault: 0.18,
      score: 610,
      riskBand: 'C',
      route: 'HUMAN_REVIEW',
      routeReason: 'PD 18.0% is between the auto-approve (5.0%) and auto-decline (40.0%) thresholds',
      modelRecommendation: 'REVIEW',
      reasonCodes: REASON_CODES,
      loanAmount: 10_000,
      termMonths: 36,
      submittedAt: new Date(Date.now() - 3_600_000).toISOString(),
      scoredAt: new Date(Date.now() - 3_000_000).toISOString(),
      ...overrides,
    },
    tenantId,
  );
}

/** The queue's case started by `assigneeId`, at `at` (later changes win in the projection). */
export function started(applicationId: string, tenantId: string, assigneeId: string, at = new Date()) {
  return envelope<QueueEntryChanged>(
    Topic.QueueEntryChanged,
    {
      kind: 'STARTED',
      entryId: `entry-${applicationId}`,
      applicationId,
      status: 'IN_PROGRESS',
      assigneeId,
      priority: 50,
      slaDeadline: new Date(Date.now() + 4 * 3_600_000).toISOString(),
      startedAt: new Date(Date.now() - 60_000).toISOString(),
    },
    tenantId,
    at,
  );
}

export function harness(sg: () => TestSubgraph) {
  const publish = (event: EventEnvelope<object>) => sg().bus.publish(event as EventEnvelope);
  return {
    publish,
    /** An application scored for review whose case `assigneeId` has started. */
    async caseInProgress(tenantId: string, assigneeId: string, scoreOverrides: Partial<ApplicationScored> = {}) {
      const applicationId = randomUUID();
      await publish(scored(applicationId, tenantId, scoreOverrides));
      await publish(started(applicationId, tenantId, assigneeId));
      return applicationId;
    },
    /** Calls and expects success; returns `data`. */
    async ok(caller: Caller, query: string, variables: Record<string, unknown> = {}) {
      const { body } = await sg().call(caller, query, variables);
      expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
      return body.data as any;
    },
    /** Calls and expects a refusal; returns its code. */
    async refused(caller: Caller, query: string, variables: Record<string, unknown> = {}) {
      const { body } = await sg().call(caller, query, variables);
      expect(body.data == null || Object.values(body.data).every((v) => v === null), JSON.stringify(body.data)).toBe(true);
      return body.errors?.[0]?.extensions?.code;
    },
    eventsOf: <T>(type: string, applicationId: string) =>
      (sg().published as EventEnvelope<{ applicationId?: string }>[]).filter(
        (e) => e.type === type && e.payload.applicationId === applicationId,
      ) as unknown as EventEnvelope<T>[],
  };
}
