import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type ApplicationScored,
  type ConsumerHandlers,
  createLogger,
  type DecisionMade,
  type EventEnvelope,
  type QueueChangeKind,
  type QueueEntryChanged,
  recordEvent,
  type SlaWarning,
  Topic,
} from '@tandem/platform';
import type { QueueEntryRecord } from '../data/queue-entry.entity.js';
import { isUuid, QueueEntryRepository, type StageChange } from '../data/queue-entry.repository.js';
import { SlaPolicyRepository } from '../data/sla-policy.repository.js';
import type { SlaAlertKind } from '../domain/sla-clock.js';

const SOURCE = 'queue';
const log = createLogger('queue-events');


/** Published: every change of a case, in the transaction that makes it. */
export function queueEntryChangedStager(requestId?: string): StageChange {
  return (em: EntityManager, entry: QueueEntryRecord, kind: QueueChangeKind, reason?: string) => {
    const payload: QueueEntryChanged = {
      kind,
      entryId: entry.id,
      applicationId: entry.applicationId,
      status: entry.status,
      assigneeId: entry.assigneeId ?? null,
      priority: entry.priority,
      slaDeadline: entry.slaDeadline.toISOString(),
      startedAt: entry.startedAt ? entry.startedAt.toISOString() : null,
      ...(reason ? { reason } : {}),
    };
    recordEvent(em, SOURCE, Topic.QueueEntryChanged, entry.tenantId, payload, requestId);
  };
}

/** Published by the SLA watcher: once per (entry, kind). */
export function stageSlaWarning(em: EntityManager, entry: QueueEntryRecord, kind: SlaAlertKind): void {
  const payload: SlaWarning = { kind, entryId: entry.id, applicationId: entry.applicationId, slaDeadline: entry.slaDeadline.toISOString() };
  recordEvent(em, SOURCE, Topic.SlaWarning, entry.tenantId, payload);
}

function problemsOf(p: ApplicationScored): string[] {
  const problems: string[] = [];
  if (typeof p.applicationId !== 'string' || !isUuid(p.applicationId)) problems.push('applicationId is not a uuid');
  if (!(typeof p.probabilityOfDefault === 'number' && p.probabilityOfDefault >= 0 && p.probabilityOfDefault <= 1))
    problems.push('probabilityOfDefault is not in [0, 1]');
  if (!(typeof p.loanAmount === 'number' && Number.isFinite(p.loanAmount) && p.loanAmount >= 0 && p.loanAmount < 1e12))
    problems.push('loanAmount is not an amount');
  if (!['APPROVE', 'DECLINE', 'REVIEW'].includes(p.modelRecommendation)) problems.push('modelRecommendation is not APPROVE, DECLINE or REVIEW');
  return problems;
}

/** Consumed: scoring fills the queue, decisions empty it. */
export function queueConsumers(): ConsumerHandlers {
  return {
    [Topic.ApplicationScored]: async (em, e: EventEnvelope<ApplicationScored>) => {
      if (e.payload.route !== 'HUMAN_REVIEW') return;
      const problems = problemsOf(e.payload);
      if (problems.length) {
        // Redelivering a malformed event cannot fix it: log it loudly and move on.
        log.error({ eventId: e.id, problems }, 'application.scored event not queued: malformed payload');
        return;
      }
      const policy = await new SlaPolicyRepository(em).forTenant(e.tenantId);
      const created = await new QueueEntryRepository(em).createForReview(
        {
          tenantId: e.tenantId,
          applicationId: e.payload.applicationId,
          probabilityOfDefault: e.payload.probabilityOfDefault,
          routeReason: e.payload.routeReason ?? '',
          modelRecommendation: e.payload.modelRecommendation,
          loanAmount: e.payload.loanAmount,
        },
        policy,
        new Date(),
        queueEntryChangedStager(e.requestId),
      );
      if (!created) log.info({ applicationId: e.payload.applicationId }, 'application already has an open review case');
    },
    [Topic.DecisionMade]: async (em, e: EventEnvelope<DecisionMade>) => {
      await new QueueEntryRepository(em).completeForApplication(
        e.tenantId,
        e.payload.applicationId,
        new Date(),
        queueEntryChangedStager(e.requestId),
        `decision ${e.payload.outcome}${e.payload.decidedBy ? ` by ${e.payload.decidedBy}` : ''}`,
      );
    },
  };
}
