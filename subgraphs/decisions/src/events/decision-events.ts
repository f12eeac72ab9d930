import type { EntityManager } from '@mikro-orm/postgresql';
import {
  createLogger,
  recordEvent,
  Topic,
  type ApplicationScored,
  type ConsumerHandlers,
  type DecisionMade,
  type EventEnvelope,
  type QueueEntryChanged,
} from '@tandem/platform';
import type { DecisionRecord } from '../data/decision.entity.js';
import { DecisionRepository, toScoreSnapshot } from '../data/decision.repository.js';
import { planAutomatedDecision, type ScoreSnapshot } from '../domain/decision-rules.js';
import { parseInstant } from '../domain/projections.js';

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
      const plan = planAutomatedDecision(toScoreSnapshot(held), await repo.hasFinalDecision(e.tenantId, applicationId));
      if (!plan) return;
      const record = repo.createDecision(e.tenantId, applicationId, plan, held);
      stageDecisionMade(em, record, e.requestId);
      log.info({ applicationId, decisionId: record.id, outcome: record.outcome }, 'automated decision');
    },
    [Topic.QueueEntryChanged]: async (em, e: EventEnvelope<QueueEntryChanged>) => {
      const p = e.payload;
      const changeAt = parseInstant(e.occurredAt, new Date());
      await new DecisionRepository(em).applyCaseChange(
        e.tenantId,
        p.applicationId,
        {
          entryId: p.entryId,
          status: p.status,
          assigneeId: p.assigneeId ?? null,
          startedAt: p.startedAt ? parseInstant(p.startedAt, changeAt) : null,
          slaDeadline: parseInstant(p.slaDeadline, changeAt),
        },
        changeAt,
      );
    },
  };
}
