import {
  type ApplicationScored,
  type ApplicationStatusChanged,
  type ConsumerHandlers,
  type DecisionMade,
  type EntityManager,
  type EventEnvelope,
  eventsByTenant,
  handlerWithBatch,
  Topic,
} from '@tandem/platform';
import { ApplicationFactRepository, type DecisionFact, type ScoreFact, type StatusFact } from '../data/application-fact.repository.js';

/**
 * A handler of one fact kind that takes a consumer's batch in one upsert per tenant. The upserts commute
 * (each column group keeps its newest values), so taking a type's events ahead of the others changes nothing.
 */
function factHandler<P, F>(toFact: (e: EventEnvelope<P>) => F, record: (repo: ApplicationFactRepository, tenantId: string, facts: F[]) => Promise<void>) {
  return handlerWithBatch<P>(async (em: EntityManager, events: readonly EventEnvelope<P>[]) => {
    for (const [tenantId, ofTenant] of eventsByTenant(events)) await record(new ApplicationFactRepository(em), tenantId, ofTenant.map(toFact));
  });
}

/**
 * Consumed: analytics keeps its own fact table from other subgraphs' events
 * and never calls them. Events arrive in any order and at least once (the
 * platform's inbox drops exact redeliveries); each handler upserts only the
 * columns its event knows. Analytics publishes nothing.
 */
export function analyticsConsumers(): ConsumerHandlers {
  return {
    [Topic.ApplicationStatusChanged]: factHandler<ApplicationStatusChanged, StatusFact>(
      (e) => ({
        applicationId: e.payload.applicationId,
        submittedAt: new Date(e.payload.submittedAt),
        status: e.payload.to,
        // The payload has no change time; the envelope's occurredAt is when the source staged it.
        changedAt: new Date(e.occurredAt),
      }),
      (repo, tenantId, facts) => repo.recordStatuses(tenantId, facts),
    ),
    [Topic.ApplicationScored]: factHandler<ApplicationScored, ScoreFact>(
      (e) => ({
        applicationId: e.payload.applicationId,
        submittedAt: new Date(e.payload.submittedAt),
        route: e.payload.route,
        modelRecommendation: e.payload.modelRecommendation,
        probabilityOfDefault: e.payload.probabilityOfDefault,
        riskBand: e.payload.riskBand,
        loanAmount: e.payload.loanAmount,
        scoredAt: new Date(e.payload.scoredAt),
      }),
      (repo, tenantId, facts) => repo.recordScores(tenantId, facts),
    ),
    [Topic.DecisionMade]: factHandler<DecisionMade, DecisionFact>(
      (e) => ({
        applicationId: e.payload.applicationId,
        decidedAt: new Date(e.payload.decidedAt),
        outcome: e.payload.outcome,
        automated: e.payload.automated,
        isOverride: e.payload.isOverride,
        overrideStatus: e.payload.overrideStatus,
        reviewSeconds: e.payload.reviewSeconds,
        withinSla: e.payload.withinSla,
      }),
      (repo, tenantId, facts) => repo.recordDecisions(tenantId, facts),
    ),
  };
}
