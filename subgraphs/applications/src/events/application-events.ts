import type { EntityManager } from '@mikro-orm/postgresql';
import {
  recordEvent,
  Topic,
  type ApplicationScored,
  type ApplicationStatus,
  type ApplicationStatusChanged,
  type ApplicationSubmitted,
  type ConsumerHandlers,
  type DecisionMade,
  type EventEnvelope,
  type ScoringInput,
  type ScoringStarted,
} from '@tandem/platform';
import { canTransition, statusForOutcome } from '../domain/application-status.js';
import type { ApplicationRecord } from '../data/application.entity.js';
import { ApplicationRepository } from '../data/application.repository.js';

const SOURCE = 'applications';

/** Published: a new application, with the model's view of it (no PII). */
export function stageSubmitted(em: EntityManager, record: ApplicationRecord, input: ScoringInput, requestId?: string): void {
  const payload: ApplicationSubmitted = {
    applicationId: record.id,
    externalId: record.externalId,
    submittedAt: record.submittedAt.toISOString(),
    input,
  };
  recordEvent(em, SOURCE, Topic.ApplicationSubmitted, record.tenantId, payload, requestId);
}

function stageStatusChanged(em: EntityManager, record: ApplicationRecord, from: ApplicationStatus): void {
  const payload: ApplicationStatusChanged = { applicationId: record.id, from, to: record.status, submittedAt: record.submittedAt.toISOString() };
  recordEvent(em, SOURCE, Topic.ApplicationStatusChanged, record.tenantId, payload);
}

async function moveTo(em: EntityManager, tenantId: string, applicationId: string, to: ApplicationStatus): Promise<void> {
  const change = await new ApplicationRepository(em).transition(tenantId, applicationId, to, canTransition);
  if (change) stageStatusChanged(em, change.record, change.from);
}

/** Consumed: the status follows scoring and decisions made elsewhere in the graph. */
export function applicationConsumers(): ConsumerHandlers {
  return {
    [Topic.ScoringStarted]: async (em, e: EventEnvelope<ScoringStarted>) => moveTo(em, e.tenantId, e.payload.applicationId, 'SCORING'),
    [Topic.ApplicationScored]: async (em, e: EventEnvelope<ApplicationScored>) => {
      // Automatic routes wait for the decision event; only review changes status here.
      if (e.payload.route === 'HUMAN_REVIEW') await moveTo(em, e.tenantId, e.payload.applicationId, 'REVIEW');
    },
    [Topic.DecisionMade]: async (em, e: EventEnvelope<DecisionMade>) => {
      // A pending override is not final: the application stays in review until a senior approves it.
      if (e.payload.overrideStatus === 'PENDING') return moveTo(em, e.tenantId, e.payload.applicationId, 'REVIEW');
      await moveTo(em, e.tenantId, e.payload.applicationId, statusForOutcome(e.payload.outcome));
    },
  };
}
