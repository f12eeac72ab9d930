import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type ApplicationScored,
  type ApplicationStatus,
  type ApplicationStatusChanged,
  type ApplicationSubmitted,
  type Caller,
  type ConsumerHandlers,
  type DecisionContested,
  type DecisionMade,
  DecisionTopic,
  type EventEnvelope,
  handlerWithBatch,
  recordAudit,
  recordEvent,
  type ScoringInput,
  type ScoringStarted,
  systemCaller,
  Topic,
} from '@tandem/platform';
import type { ApplicationRecord } from '../data/application.entity.js';
import { ApplicationRepository } from '../data/application.repository.js';
import { statusesThatMayBecome, statusForOutcome } from '../domain/application-status.js';

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

/** The application as the audit trail records it (recordAudit masks the applicant's PII). */
function auditSnapshot(record: ApplicationRecord) {
  return {
    externalId: record.externalId,
    status: record.status,
    applicant: record.applicant,
    financials: record.financials,
    loan: record.loan,
    loanAmount: record.loanAmount,
    monthlyInstalment: record.monthlyInstalment,
    debtToIncome: record.debtToIncome ?? null,
    loanToIncome: record.loanToIncome ?? null,
    paymentToIncome: record.paymentToIncome ?? null,
    submittedBy: record.submittedBy,
    submittedAt: record.submittedAt,
  };
}

/** Audited: the submission, by the partner (or user) that made it, in the transaction that stores it. */
export function stageSubmissionAudit(em: EntityManager, record: ApplicationRecord, actor: Caller, requestId?: string): void {
  recordAudit(em, {
    source: SOURCE,
    tenantId: record.tenantId,
    actor,
    entityType: 'Application',
    entityId: record.id,
    action: 'SUBMITTED',
    oldValue: null,
    newValue: auditSnapshot(record),
    requestId,
    occurredAt: record.submittedAt,
  });
}

function stageStatusChanged(
  em: EntityManager,
  record: { id: string; tenantId: string; status: ApplicationStatus; submittedAt: Date },
  from: ApplicationStatus,
  cause: EventEnvelope,
): void {
  const payload: ApplicationStatusChanged = { applicationId: record.id, from, to: record.status, submittedAt: record.submittedAt.toISOString() };
  recordEvent(em, SOURCE, Topic.ApplicationStatusChanged, record.tenantId, payload, cause.requestId);
  // The applications subgraph moves the status in reaction to another subgraph's event: the actor is that reaction.
  recordAudit(em, {
    source: SOURCE,
    tenantId: record.tenantId,
    actor: systemCaller(cause.type),
    entityType: 'Application',
    entityId: record.id,
    action: 'STATUS_CHANGED',
    oldValue: { status: from },
    newValue: { status: record.status },
    requestId: cause.requestId,
  });
}

async function moveTo(em: EntityManager, cause: EventEnvelope<{ applicationId: string }>, to: ApplicationStatus): Promise<void> {
  const change = await new ApplicationRepository(em).transition(cause.tenantId, cause.payload.applicationId, to, statusesThatMayBecome(to));
  if (change) stageStatusChanged(em, change, change.from, cause);
}

function followDecision(em: EntityManager, e: EventEnvelope<DecisionMade>): Promise<void> {
  // An override is final only once a senior approves it: pending or rejected, the application stays in review.
  if (e.payload.overrideStatus === 'PENDING' || e.payload.overrideStatus === 'REJECTED') return moveTo(em, e, 'REVIEW');
  return moveTo(em, e, statusForOutcome(e.payload.outcome));
}

/** Consumed: the status follows scoring and decisions made elsewhere in the graph. */
export function applicationConsumers(): ConsumerHandlers {
  return {
    [Topic.ScoringStarted]: async (em, e: EventEnvelope<ScoringStarted>) => moveTo(em, e, 'SCORING'),
    [Topic.ApplicationScored]: async (em, e: EventEnvelope<ApplicationScored>) => {
      // Automatic routes wait for the decision event; only review changes status here.
      if (e.payload.route === 'HUMAN_REVIEW') await moveTo(em, e, 'REVIEW');
    },
    // Every decision reaches here: a run of them in a batch is moved one by one and flushed once (one insert of all
    // their events). Only a run, so a contest between two decisions keeps its place.
    [Topic.DecisionMade]: handlerWithBatch<DecisionMade>(
      async (em, events) => {
        for (const e of events) await followDecision(em, e);
      },
      { consecutive: true },
    ),
    // A contested automated decision is re-reviewed by a human (GDPR Art. 22(3)).
    [DecisionTopic.DecisionContested]: async (em, e: EventEnvelope<DecisionContested>) => moveTo(em, e, 'REVIEW'),
  };
}
