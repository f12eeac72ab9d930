import {
  Topic,
  type ApplicationScored,
  type ApplicationStatusChanged,
  type ConsumerHandlers,
  type DecisionMade,
  type EventEnvelope,
} from '@tandem/platform';
import { ApplicationFactRepository } from '../data/application-fact.repository.js';

/**
 * Consumed: analytics keeps its own fact table from other subgraphs' events
 * and never calls them. Events arrive in any order and at least once (the
 * platform's inbox drops exact redeliveries); each handler upserts only the
 * columns its event knows. Analytics publishes nothing.
 */
export function analyticsConsumers(): ConsumerHandlers {
  return {
    [Topic.ApplicationStatusChanged]: async (em, e: EventEnvelope<ApplicationStatusChanged>) =>
      new ApplicationFactRepository(em).recordStatus(e.tenantId, {
        applicationId: e.payload.applicationId,
        submittedAt: new Date(e.payload.submittedAt),
        status: e.payload.to,
        // The payload has no change time; the envelope's occurredAt is when the source staged it.
        changedAt: new Date(e.occurredAt),
      }),
    [Topic.ApplicationScored]: async (em, e: EventEnvelope<ApplicationScored>) =>
      new ApplicationFactRepository(em).recordScore(e.tenantId, {
        applicationId: e.payload.applicationId,
        submittedAt: new Date(e.payload.submittedAt),
        route: e.payload.route,
        modelRecommendation: e.payload.modelRecommendation,
        probabilityOfDefault: e.payload.probabilityOfDefault,
        riskBand: e.payload.riskBand,
        loanAmount: e.payload.loanAmount,
        scoredAt: new Date(e.payload.scoredAt),
      }),
    [Topic.DecisionMade]: async (em, e: EventEnvelope<DecisionMade>) =>
      new ApplicationFactRepository(em).recordDecision(e.tenantId, {
        applicationId: e.payload.applicationId,
        decidedAt: new Date(e.payload.decidedAt),
        outcome: e.payload.outcome,
        automated: e.payload.automated,
        isOverride: e.payload.isOverride,
        overrideStatus: e.payload.overrideStatus,
        reviewSeconds: e.payload.reviewSeconds,
        withinSla: e.payload.withinSla,
      }),
  };
}
