import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type ApiClientRegistered,
  type ApplicationScored,
  type Caller,
  CaseTopic,
  type ConsumerHandlers,
  createLogger,
  type DecisionContested,
  type DecisionMade,
  DecisionTopic,
  type DocumentsSubmitted,
  type EventEnvelope,
  eventsByTenant,
  handlerWithBatch,
  type OverrideRejected,
  type QueueEntryChanged,
  recordEvent,
  systemCaller,
  Topic,
} from '@tandem/platform';
import type { DecisionRecord } from '../data/decision.entity.js';
import { DecisionRepository, toScoreSnapshot } from '../data/decision.repository.js';
import { WebhookRepository } from '../data/webhook.repository.js';
import { ConditionRecord, type ContestRecord, type DocumentSubmissionRecord } from '../data/workflow.entities.js';
import { planAutomatedDecision, type ScoreSnapshot } from '../domain/decision-rules.js';
import { parseInstant } from '../domain/projections.js';
import { auditDecided } from './decision-audit.js';

const SOURCE = 'decisions';
const log = createLogger('decisions:events');

/** Published: a decision was made, by the routing policy or an analyst. */
export function stageDecisionMade(em: EntityManager, record: DecisionRecord, requestId?: string): void {
  const payload: DecisionMade = {
    decisionId: record.id,
    applicationId: record.applicationId,
    outcome: record.outcome,
    automated: record.automated,
    isOverride: record.isOverride,
    overrideStatus: record.overrideStatus ?? null,
    decidedBy: record.decidedBy ?? null,
    reviewSeconds: record.reviewSeconds ?? null,
    decidedAt: record.decidedAt.toISOString(),
    withinSla: record.withinSla ?? null,
  };
  recordEvent(em, SOURCE, Topic.DecisionMade, record.tenantId, payload, requestId);
}

/** What a partner reads about a decision in a webhook: the outcome and terms, never the analyst's internal notes. */
async function decisionNotice(em: EntityManager, record: DecisionRecord): Promise<Record<string, unknown>> {
  await em.flush(); // conditions created with the decision get their rows before they are read back
  const conditions = await em.find(ConditionRecord, { tenantId: record.tenantId, decisionId: record.id }, { orderBy: { position: 'asc' } });
  return {
    decisionId: record.id,
    applicationId: record.applicationId,
    outcome: record.outcome,
    automated: record.automated,
    decidedAt: record.decidedAt.toISOString(),
    overrideStatus: record.overrideStatus ?? null,
    approvedTerms: record.approvedAmount != null ? { amount: record.approvedAmount, termMonths: record.approvedTermMonths } : null,
    monthlyInstalment: record.monthlyInstalment ?? null,
    conditions: conditions.map((c) => ({
      id: c.id,
      kind: c.kind,
      description: c.description,
      amount: c.amount ?? null,
      termMonths: c.termMonths ?? null,
      fulfilled: c.fulfilledAt != null,
    })),
    reasonCodes: record.reasonCodes,
  };
}

/**
 * Everything a new decision causes, in its transaction: DecisionMade on the
 * bus, its audit entry, and the partner's webhook when the decision takes effect for them (an
 * override waits for its review) or asks them for documents.
 */
export async function stageDecisionNotices(
  em: EntityManager,
  record: DecisionRecord,
  actor: Pick<Caller, 'kind' | 'id'>,
  requestId?: string,
  webhookClientIds?: readonly string[],
): Promise<void> {
  stageDecisionMade(em, record, requestId);
  auditDecided(em, record, actor, requestId);
  const webhooks = new WebhookRepository(em, webhookClientIds);
  if (record.outcome === 'DOCUMENTS_REQUESTED') {
    await webhooks.stageDeliveries(
      record.tenantId,
      'decision.documents_requested',
      {
        decisionId: record.id,
        applicationId: record.applicationId,
        checklist: record.documentsChecklist ?? [],
        dueAt: record.documentsDueAt?.toISOString() ?? null,
        // The analyst's request in words: it is addressed to the applicant.
        message: record.reasoning ?? null,
      },
      record.decidedAt,
    );
  } else if (record.overrideStatus !== 'PENDING') {
    await webhooks.stageDeliveries(record.tenantId, 'decision.made', () => decisionNotice(em, record), record.decidedAt);
  }
}

/**
 * A senior analyst reviewed an override: DecisionMade again with the new
 * overrideStatus (APPROVED: the outcome stands; REJECTED: it no longer
 * settles the application). The partner learns an approved outcome as
 * decision.made; a rejection is announced to the queue (the analyst is
 * notified) and to the partner (the application is back under review).
 */
export async function stageOverrideReviewed(em: EntityManager, record: DecisionRecord, requestId?: string): Promise<void> {
  stageDecisionMade(em, record, requestId);
  const webhooks = new WebhookRepository(em);
  const at = record.overrideReviewedAt ?? new Date();
  if (record.overrideStatus === 'APPROVED') {
    await webhooks.stageDeliveries(record.tenantId, 'decision.made', () => decisionNotice(em, record), at);
    return;
  }
  const payload: OverrideRejected = {
    decisionId: record.id,
    applicationId: record.applicationId,
    analystId: record.decidedBy ?? '',
    rejectedBy: record.overrideReviewedBy ?? '',
    reason: record.overrideRejectionReason ?? '',
    rejectedAt: at.toISOString(),
  };
  recordEvent(em, SOURCE, DecisionTopic.OverrideRejected, record.tenantId, payload, requestId);
  await webhooks.stageDeliveries(
    record.tenantId,
    'decision.override_rejected',
    {
      decisionId: record.id,
      applicationId: record.applicationId,
      outcome: record.outcome,
      overrideStatus: 'REJECTED',
    },
    at,
  );
}

/** The partner's view of a condition being met. */
export async function stageConditionFulfilled(em: EntityManager, record: DecisionRecord, condition: ConditionRecord): Promise<void> {
  await new WebhookRepository(em).stageDeliveries(
    record.tenantId,
    'decision.condition_fulfilled',
    {
      decisionId: record.id,
      applicationId: record.applicationId,
      conditionId: condition.id,
      kind: condition.kind,
      description: condition.description,
      fulfilledAt: condition.fulfilledAt?.toISOString() ?? null,
    },
    condition.fulfilledAt ?? new Date(),
  );
}

/** An automated decision is contested: the queue opens a human re-review case with the original evidence. */
export function stageDecisionContested(em: EntityManager, contest: ContestRecord, requestId?: string): void {
  const snapshot = contest.scoreSnapshot;
  if (!snapshot) throw new Error(`contest ${contest.id}: the decision has no score snapshot`);
  const payload: DecisionContested = {
    contestId: contest.id,
    applicationId: contest.applicationId,
    decisionId: contest.decisionId,
    statement: contest.statement,
    contestedBy: contest.contestedBy,
    contestedAt: contest.contestedAt.toISOString(),
    evidence: {
      applicationId: contest.applicationId,
      scoreId: snapshot.scoreId,
      modelVersion: snapshot.modelVersion,
      probabilityOfDefault: snapshot.probabilityOfDefault,
      score: snapshot.score,
      riskBand: snapshot.riskBand,
      route: snapshot.route,
      routeReason: snapshot.routeReason,
      modelRecommendation: snapshot.modelRecommendation,
      reasonCodes: snapshot.reasonCodes,
      loanAmount: snapshot.loanAmount,
      termMonths: snapshot.termMonths,
      scoredAt: snapshot.scoredAt,
    },
  };
  recordEvent(em, SOURCE, DecisionTopic.DecisionContested, contest.tenantId, payload, requestId);
}

/** The partner answered a documents request: the queue puts the case back and resumes its clock. */
export function stageDocumentsSubmitted(em: EntityManager, submission: DocumentSubmissionRecord, requestId?: string): void {
  const payload: DocumentsSubmitted = {
    applicationId: submission.applicationId,
    documents: submission.documents.map(({ name, kind, checklistItem }) => ({ name, kind, checklistItem: checklistItem ?? null })),
    submittedAt: submission.submittedAt.toISOString(),
  };
  recordEvent(em, SOURCE, CaseTopic.DocumentsSubmitted, submission.tenantId, payload, requestId);
}

function snapshotFromEvent(e: EventEnvelope<ApplicationScored>): ScoreSnapshot {
  const p = e.payload;
  return {
    scoreId: p.scoreId,
    modelVersion: p.modelVersion,
    probabilityOfDefault: p.probabilityOfDefault,
    score: p.score,
    riskBand: p.riskBand,
    route: p.route,
    routeReason: p.routeReason,
    modelRecommendation: p.modelRecommendation,
    reasonCodes: (p.reasonCodes ?? []).map(({ code, description }) => ({ code, description })),
    loanAmount: p.loanAmount,
    termMonths: p.termMonths,
    scoredAt: parseInstant(p.scoredAt, new Date(e.occurredAt)),
  };
}

async function applyCaseChanges(em: EntityManager, events: readonly EventEnvelope<QueueEntryChanged>[]): Promise<void> {
  for (const [tenantId, ofTenant] of eventsByTenant(events)) {
    await new DecisionRepository(em).applyCaseChanges(
      tenantId,
      ofTenant.map((e) => {
        const p = e.payload;
        const changeAt = parseInstant(e.occurredAt, new Date());
        return {
          applicationId: p.applicationId,
          change: {
            entryId: p.entryId,
            status: p.status,
            assigneeId: p.assigneeId ?? null,
            startedAt: p.startedAt ? parseInstant(p.startedAt, changeAt) : null,
            slaDeadline: parseInstant(p.slaDeadline, changeAt),
          },
          changeAt,
        };
      }),
    );
  }
}

/**
 * Consumed: the score (what decisions are checked against, and the routing
 * policy's verdict) and the queue's case (who may decide, since when).
 * Both run inside the consumer's transaction with its inbox row, so a
 * redelivered event changes nothing.
 */
export function decisionConsumers(): ConsumerHandlers {
  return {
    [Topic.ApplicationScored]: async (em, e: EventEnvelope<ApplicationScored>) => {
      const repo = new DecisionRepository(em);
      const { applicationId } = e.payload;
      const held = await repo.applyScore(e.tenantId, applicationId, snapshotFromEvent(e));
      if (!held) return; // an older score than the one we hold
      // A clear case is decided by the policy right away; a re-score after a final decision changes nothing.
      // Nor once a human has the application (an override under review or rejected, a contest): people decide it from then on.
      const snapshot = toScoreSnapshot(held);
      const plan = planAutomatedDecision(snapshot, await repo.isInHumanHands(e.tenantId, applicationId));
      if (!plan) return;
      const record = repo.createDecision(e.tenantId, applicationId, plan, snapshot);
      // The routing policy decided, in reaction to the score.
      await stageDecisionNotices(em, record, systemCaller(Topic.ApplicationScored), e.requestId);
      log.info({ applicationId, decisionId: record.id, outcome: record.outcome }, 'automated decision');
    },
    // Which API clients the tenant has: a webhook is set for those only.
    [Topic.ApiClientRegistered]: async (em, e: EventEnvelope<ApiClientRegistered>) =>
      new WebhookRepository(em).registerClient(e.tenantId, e.payload.clientId, e.payload.name),
    // The case projection: nothing else here writes it, so a batch of changes (under load) is one statement per tenant.
    [Topic.QueueEntryChanged]: handlerWithBatch<QueueEntryChanged>(applyCaseChanges),
  };
}
