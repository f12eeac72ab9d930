import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type ApplicationScored,
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
  isUuid,
  type OverrideRejected,
  type QueueEntryChanged,
  recordEvent,
  type SlaWarning,
  Topic,
} from '@tandem/platform';
import { AnalystRepository } from '../data/analyst.repository.js';
import { stageNotification } from '../data/notification.repository.js';
import type { QueueEntryRecord } from '../data/queue-entry.entity.js';
import { QueueEntryRepository, type StageChange, systemActor } from '../data/queue-entry.repository.js';
import { SlaPolicyRepository } from '../data/sla-policy.repository.js';
import {
  overridePendingMessage,
  overridePendingRecipients,
  overrideRejectedMessage,
  SLA_NOTIFICATION,
  slaAlertMessage,
  slaAlertRecipients,
} from '../domain/notifications.js';
import type { QueueCaseChangeKind } from '../domain/queue-transitions.js';
import type { SlaAlertKind } from '../domain/sla-clock.js';

const SOURCE = 'queue';
const log = createLogger('queue-events');

/** Published: every change of a case, in the transaction that makes it. */
export function queueEntryChangedStager(requestId?: string): StageChange {
  return (em: EntityManager, entry: QueueEntryRecord, kind: QueueCaseChangeKind, reason?: string) => {
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

/**
 * Published by the SLA watcher, once per (entry, kind): the SlaWarning event
 * and an in-app notification for each recipient (domain/notifications.ts).
 * `seniorsOf` is asked once per tenant and pass.
 */
export function slaAlertStager(now: Date) {
  const seniors = new Map<string, Promise<string[]>>();
  return async (em: EntityManager, entry: QueueEntryRecord, kind: SlaAlertKind): Promise<void> => {
    const payload: SlaWarning = { kind, entryId: entry.id, applicationId: entry.applicationId, slaDeadline: entry.slaDeadline.toISOString() };
    recordEvent(em, SOURCE, Topic.SlaWarning, entry.tenantId, payload);
    let seniorIds = seniors.get(entry.tenantId);
    if (!seniorIds) {
      seniorIds = new AnalystRepository(em).seniorIds(entry.tenantId);
      seniors.set(entry.tenantId, seniorIds);
    }
    for (const recipientId of slaAlertRecipients(kind, entry.assigneeId, await seniorIds)) {
      stageNotification(
        em,
        {
          tenantId: entry.tenantId,
          recipientId,
          kind: SLA_NOTIFICATION[kind],
          message: slaAlertMessage(kind, entry.slaDeadline),
          entryId: entry.id,
          applicationId: entry.applicationId,
        },
        now,
      );
    }
  };
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

/** A run of decisions, per tenant: one locking read for all their cases, then the seniors told of pending overrides. */
async function applyDecisions(em: EntityManager, events: readonly EventEnvelope<DecisionMade>[]): Promise<void> {
  for (const [tenantId, ofTenant] of eventsByTenant(events)) {
    const calendar = async () => (await new SlaPolicyRepository(em).forTenant(tenantId)).calendar;
    await new QueueEntryRepository(em).applyDecisions(
      tenantId,
      ofTenant.map((e) => ({ news: e.payload, stage: queueEntryChangedStager(e.requestId) })),
      calendar,
      new Date(),
    );
    for (const e of ofTenant) await notifyOverridePending(em, e);
  }
}

/** A senior must approve an override: tell them at once, not when they next open the list. */
async function notifyOverridePending(em: EntityManager, e: EventEnvelope<DecisionMade>): Promise<void> {
  if (e.payload.isOverride && e.payload.overrideStatus === 'PENDING') {
    const entry = await new QueueEntryRepository(em).byApplicationLoader(e.tenantId).load(e.payload.applicationId);
    const seniors = await new AnalystRepository(em).seniorIds(e.tenantId);
    for (const recipientId of overridePendingRecipients(e.payload.decidedBy, seniors)) {
      stageNotification(
        em,
        {
          tenantId: e.tenantId,
          recipientId,
          kind: 'OVERRIDE_PENDING',
          message: overridePendingMessage(e.payload.outcome),
          entryId: entry?.id ?? null,
          applicationId: isUuid(e.payload.applicationId) ? e.payload.applicationId : null,
        },
        new Date(),
        e.requestId,
      );
    }
  }
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
          routingThresholds: e.payload.routingThresholds,
          routeReason: e.payload.routeReason ?? '',
          modelRecommendation: e.payload.modelRecommendation,
          loanAmount: e.payload.loanAmount,
        },
        policy,
        new Date(),
        queueEntryChangedStager(e.requestId),
        e.requestId,
      );
      if (!created) log.info({ applicationId: e.payload.applicationId }, 'application already has an open review case');
    },
    // Every decision reaches here; a run of them in a batch (under load) takes one locking read for all their cases.
    // Only a run: documents and rejected overrides move the same cases, so the batch's order must hold across types.
    [Topic.DecisionMade]: handlerWithBatch<DecisionMade>(applyDecisions, { consecutive: true }),
    // The state change came with DecisionMade (overrideStatus REJECTED); this one carries the reason for the analyst.
    [DecisionTopic.OverrideRejected]: async (em, e: EventEnvelope<OverrideRejected>) => {
      const p = e.payload;
      if (!p.analystId) return;
      const entry = await new QueueEntryRepository(em).byApplicationLoader(e.tenantId).load(p.applicationId);
      stageNotification(
        em,
        {
          tenantId: e.tenantId,
          recipientId: p.analystId,
          kind: 'OVERRIDE_REJECTED',
          message: overrideRejectedMessage(p.reason),
          entryId: entry?.id ?? null,
          applicationId: isUuid(p.applicationId) ? p.applicationId : null,
        },
        new Date(),
        e.requestId,
      );
    },
    [CaseTopic.DocumentsSubmitted]: async (em, e: EventEnvelope<DocumentsSubmitted>) => {
      const { calendar } = await new SlaPolicyRepository(em).forTenant(e.tenantId);
      const result = await new QueueEntryRepository(em).resumeForApplication(
        e.tenantId,
        e.payload.applicationId,
        calendar,
        new Date(),
        queueEntryChangedStager(e.requestId),
        e.requestId,
      );
      if (result.outcome === 'not_found') log.info({ applicationId: e.payload.applicationId }, 'documents for an application without an open case');
    },
    // GDPR Art. 22(3): a contested automated decision gets a human re-review, on the original evidence.
    [DecisionTopic.DecisionContested]: async (em, e: EventEnvelope<DecisionContested>) => {
      const evidence = e.payload.evidence;
      const problems = problemsOf({ ...evidence, submittedAt: '' });
      if (problems.length) {
        log.error({ eventId: e.id, problems }, 'decision.contested event not queued: malformed evidence');
        return;
      }
      const policy = await new SlaPolicyRepository(em).forTenant(e.tenantId);
      await new QueueEntryRepository(em).createForReview(
        {
          tenantId: e.tenantId,
          applicationId: evidence.applicationId,
          probabilityOfDefault: evidence.probabilityOfDefault,
          routingThresholds: evidence.routingThresholds,
          routeReason: `Contested automated decision (${evidence.route}): human re-review`,
          modelRecommendation: evidence.modelRecommendation,
          loanAmount: evidence.loanAmount,
        },
        policy,
        new Date(),
        queueEntryChangedStager(e.requestId),
        e.requestId,
        systemActor('contest'),
      );
    },
  };
}
