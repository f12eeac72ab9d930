import { randomUUID } from 'node:crypto';
import { type EntityManager, type FilterQuery, LockMode, TransactionPropagation } from '@mikro-orm/postgresql';
import { isUuid, lockForTransaction, type ModelRecommendation, Permission, type QueueEntryStatus, schemaTable } from '@tandem/platform';
import DataLoader from 'dataloader';
import type { BusinessCalendar } from '../domain/business-calendar.js';
import { documentsSubmittedMessage } from '../domain/notifications.js';
import {
  DEFAULT_ROUTING_THRESHOLDS,
  nextPriorityRiseAt,
  PRIORITY_BANDS,
  type PriorityBand,
  type PriorityInputs,
  priorityOf,
  type RoutingThresholds,
} from '../domain/priority.js';
import {
  ACTIVE_STATUSES,
  assignPermission,
  capacityRefusal,
  decideAssign,
  decideComplete,
  decideReassign,
  decideRelease,
  decideReopen,
  decideStart,
  OPEN_STATUSES,
  type QueueActor,
  type QueueCaseChangeKind,
  type Refusal,
  type Transition,
} from '../domain/queue-transitions.js';
import { dueSlaAlerts, resumeClock, type SlaAlertKind, type SlaPolicy, type SlaState, slaClock } from '../domain/sla-clock.js';
import { auditCaseMove, caseMoveSnapshot } from '../events/queue-audit.js';
import { AnalystRepository } from './analyst.repository.js';
import { stageNotification } from './notification.repository.js';
import { QueueAuditRecord } from './queue-audit.entity.js';
import { QueueEntryRecord } from './queue-entry.entity.js';

export interface QueueListFilter {
  statuses: readonly QueueEntryStatus[];
  assigneeId?: string;
  slaStates?: readonly SlaState[];
  priorityBands?: readonly PriorityBand[];
  minPriority?: number;
  /** true: only cases waiting on the applicant; false: only cases whose clock runs. */
  waitingOnApplicant?: boolean;
}
export type QueueListOrder = 'PRIORITY_DESC' | 'CREATED_ASC' | 'SLA_DEADLINE_ASC';

export interface QueueCounts {
  pending: number;
  assigned: number;
  inProgress: number;
  approachingSla: number;
  breached: number;
  waitingOnApplicant: number;
  total: number;
  byPriorityBand: Record<PriorityBand, number>;
}

/** What a listing shows of a case (toQueueEntry's input): full records satisfy it too. */
export type ListedQueueEntry = Pick<
  QueueEntryRecord,
  | 'id'
  | 'applicationId'
  | 'status'
  | 'priority'
  | 'slaDeadline'
  | 'slaWarningAt'
  | 'slaPausedAt'
  | 'assigneeId'
  | 'assignedAt'
  | 'startedAt'
  | 'completedAt'
  | 'awaitingOverrideDecisionId'
  | 'createdAt'
>;

const LIST_COLUMNS =
  'id, application_id, status, priority, sla_deadline, sla_warning_at, sla_paused_at, assignee_id, assigned_at, started_at, completed_at, awaiting_override_decision_id, created_at';
/** Timestamps arrive as PostgreSQL's text (the ORM's driver does not parse them), hence `at`. */
interface QueueEntryRow {
  id: string;
  application_id: string;
  status: QueueEntryStatus;
  priority: number;
  sla_deadline: string;
  sla_warning_at: string;
  sla_paused_at: string | null;
  assignee_id: string | null;
  assigned_at: string | null;
  started_at: string | null;
  completed_at: string | null;
  awaiting_override_decision_id: string | null;
  created_at: string;
}

const at = (value: string | Date) => (value instanceof Date ? value : new Date(value));
const atOrNull = (value: string | Date | null) => (value === null ? null : at(value));

/** Each order ends in the id, so pages never overlap; each has its index (migration 0004). */
const LIST_ORDER: Record<QueueListOrder, string> = {
  PRIORITY_DESC: 'priority DESC, sla_deadline ASC, id ASC',
  CREATED_ASC: 'created_at ASC, id ASC',
  SLA_DEADLINE_ASC: 'sla_deadline ASC, priority DESC, id ASC',
};

function toListedEntry(r: QueueEntryRow): ListedQueueEntry {
  return {
    id: r.id,
    applicationId: r.application_id,
    status: r.status,
    priority: r.priority,
    slaDeadline: at(r.sla_deadline),
    slaWarningAt: at(r.sla_warning_at),
    slaPausedAt: atOrNull(r.sla_paused_at),
    assigneeId: r.assignee_id,
    assignedAt: atOrNull(r.assigned_at),
    startedAt: atOrNull(r.started_at),
    completedAt: atOrNull(r.completed_at),
    awaitingOverrideDecisionId: r.awaiting_override_decision_id,
    createdAt: at(r.created_at),
  };
}

/** The WHERE clause of a listing and its parameters (values are always bound, never spliced). */
export function listConditions(tenantId: string, filter: QueueListFilter, now: Date): { sql: string; params: unknown[] } {
  // A waiting case has no assignee (a CHECK constraint): asked for someone's cases, leave PENDING out, so that the
  // planner can use the index of held cases per analyst instead of walking every open case.
  const statuses = [...new Set(filter.statuses)].filter((s) => filter.assigneeId === undefined || s !== 'PENDING');
  if (statuses.length === 0) return { sql: 'FALSE', params: [] };
  const sql = [`tenant_id = ?`, `status IN (${statuses.map(() => '?').join(', ')})`];
  const params: unknown[] = [tenantId, ...statuses];
  if (!statuses.includes('COMPLETED')) sql.push(`status <> 'COMPLETED'`);
  if (filter.assigneeId !== undefined) {
    sql.push('assignee_id = ?');
    params.push(filter.assigneeId);
  }
  if (filter.minPriority !== undefined) {
    sql.push('priority >= ?');
    params.push(filter.minPriority);
  }
  if (filter.priorityBands?.length) {
    const bands = [...new Set(filter.priorityBands)];
    sql.push(`(${bands.map(() => 'priority BETWEEN ? AND ?').join(' OR ')})`);
    for (const b of bands) params.push(PRIORITY_BANDS[b].min, PRIORITY_BANDS[b].max);
  }
  if (filter.waitingOnApplicant !== undefined) sql.push(filter.waitingOnApplicant ? 'sla_paused_at IS NOT NULL' : 'sla_paused_at IS NULL');
  if (filter.slaStates?.length) {
    // A completed case keeps the SLA state it was completed in, a paused one the state it paused in; an open one is judged now.
    const judgedAt = 'coalesce(completed_at, sla_paused_at, ?::timestamptz)';
    const conditions: Record<SlaState, { sql: string; params: Date[] }> = {
      ON_TRACK: { sql: `${judgedAt} < sla_warning_at`, params: [now] },
      APPROACHING: { sql: `(${judgedAt} >= sla_warning_at AND ${judgedAt} < sla_deadline)`, params: [now, now] },
      BREACHED: { sql: `${judgedAt} >= sla_deadline`, params: [now] },
    };
    const chosen = [...new Set(filter.slaStates)].map((s) => conditions[s]);
    sql.push(`(${chosen.map((c) => c.sql).join(' OR ')})`);
    params.push(...chosen.flatMap((c) => c.params));
  }
  return { sql: sql.join(' AND '), params };
}

/** Stages the events of one change in the transaction that makes it. */
export type StageChange = (em: EntityManager, entry: QueueEntryRecord, change: QueueCaseChangeKind, detail?: string) => void;

/** The actor of system moves (event handlers, jobs): `system:<what>`. */
export const systemActor = (what: string): QueueActor => ({ id: `system:${what}`, permissions: [Permission.QueueAssign] });
const isSystem = (actorId: string) => actorId.startsWith('system:');

/** What the queue hears of a decision (DecisionMade). */
export interface DecisionNews {
  decisionId: string;
  applicationId: string;
  outcome: string;
  overrideStatus: 'PENDING' | 'APPROVED' | 'REJECTED' | null;
  decidedBy: string | null;
}

export type MoveResult = { outcome: 'moved' | 'unchanged'; entry: QueueEntryRecord } | { outcome: 'refused'; refusal: Refusal } | { outcome: 'not_found' };

export interface NewReviewCase {
  tenantId: string;
  applicationId: string;
  probabilityOfDefault: number;
  routeReason: string;
  modelRecommendation: ModelRecommendation;
  loanAmount: number;
  routingThresholds?: RoutingThresholds;
}

/** Namespaces of pg_advisory_xact_lock(int, int): the first key says what the second locks. */
const ANALYST_LOCK = 1;
const APPLICATION_LOCK = 2;

type RankedFields = 'probabilityOfDefault' | 'loanAmount' | 'createdAt' | 'slaDeadline' | 'autoApproveBelow' | 'autoDeclineAbove';

/** What the priority function (domain/priority.ts) reads of an entry. */
function priorityInputsOf(entry: Pick<QueueEntryRecord, RankedFields>): Omit<PriorityInputs, 'now'> {
  const thresholds =
    entry.autoApproveBelow != null && entry.autoDeclineAbove != null
      ? { autoApproveBelow: entry.autoApproveBelow, autoDeclineAbove: entry.autoDeclineAbove }
      : DEFAULT_ROUTING_THRESHOLDS;
  return {
    probabilityOfDefault: entry.probabilityOfDefault,
    thresholds,
    loanAmount: Number(entry.loanAmount),
    createdAt: entry.createdAt,
    slaDeadline: entry.slaDeadline,
  };
}

/** Sets the entry's priority at `now` and the instant it next rises, when the refresh job is to look at it again. */
function rankEntry(entry: Pick<QueueEntryRecord, RankedFields | 'priority' | 'priorityRisesAt'>, now: Date): void {
  const inputs = priorityInputsOf(entry);
  entry.priority = priorityOf({ ...inputs, now });
  entry.priorityRisesAt = nextPriorityRiseAt(inputs, now);
}

/**
 * All access to queue entries goes through here. Every method but the two
 * job scans takes the tenant. Moves run in one transaction each: lock, let
 * the domain decide on the locked row, write, stage the event.
 */
export class QueueEntryRepository {
  constructor(private readonly em: EntityManager) {}

  findById(tenantId: string, id: string): Promise<QueueEntryRecord | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.em.findOne(QueueEntryRecord, { id, tenantId });
  }

  /** Batches `id` look-ups of one request (federated references). */
  loader(tenantId: string): DataLoader<string, QueueEntryRecord | null> {
    return new DataLoader(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length ? await this.em.find(QueueEntryRecord, { tenantId, id: { $in: valid } }) : [];
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  /**
   * The case of each application: its open entry, or else its latest
   * completed one (an application may be queued again after a decision).
   */
  byApplicationLoader(tenantId: string): DataLoader<string, QueueEntryRecord | null> {
    return new DataLoader(async (applicationIds) => {
      const valid = applicationIds.filter(isUuid);
      const rows = valid.length
        ? await this.em.find(QueueEntryRecord, { tenantId, applicationId: { $in: valid } }, { orderBy: { createdAt: 'desc', id: 'desc' } })
        : [];
      const chosen = new Map<string, QueueEntryRecord>();
      for (const row of rows) {
        const current = chosen.get(row.applicationId);
        if (!current || (current.status === 'COMPLETED' && row.status !== 'COMPLETED')) chosen.set(row.applicationId, row);
      }
      return applicationIds.map((id) => chosen.get(id) ?? null);
    });
  }

  /**
   * One page of the tenant's cases and how many match. The hottest read of
   * the workbench, so it skips the unit of work: a raw query of the columns a
   * listing shows (mapped by hand, nothing hydrated or tracked) and a count
   * the (tenant_id, status) index answers alone, side by side. Open-case
   * filters say `status <> 'COMPLETED'` explicitly so the planner can walk
   * the partial index of the chosen order (migration 0004) and stop after
   * one page.
   */
  async list(tenantId: string, filter: QueueListFilter, order: QueueListOrder, limit: number, offset: number, now: Date) {
    const { sql: where, params } = listConditions(tenantId, filter, now);
    const table = this.table();
    const [rows, counted] = await Promise.all([
      this.em.execute<QueueEntryRow[]>(`SELECT ${LIST_COLUMNS} FROM ${table} WHERE ${where} ORDER BY ${LIST_ORDER[order]} LIMIT ? OFFSET ?`, [
        ...params,
        limit,
        offset,
      ]),
      this.em.execute<{ total: string }[]>(`SELECT count(*) AS total FROM ${table} WHERE ${where}`, params),
    ]);
    return { items: rows.map(toListedEntry), total: Number(counted[0]?.total ?? 0) };
  }

  /** Counts of the tenant's open cases, in one scan. A paused clock is judged at the moment it paused. */
  async summary(tenantId: string, now: Date): Promise<QueueCounts> {
    const band = (b: PriorityBand) => `count(*) FILTER (WHERE priority BETWEEN ${PRIORITY_BANDS[b].min} AND ${PRIORITY_BANDS[b].max}) AS "band${b}"`;
    const [row] = await this.em.execute<Record<string, string>[]>(
      `SELECT count(*) FILTER (WHERE status = 'PENDING') AS pending,
              count(*) FILTER (WHERE status = 'ASSIGNED') AS assigned,
              count(*) FILTER (WHERE status = 'IN_PROGRESS') AS "inProgress",
              count(*) FILTER (WHERE coalesce(sla_paused_at, ?::timestamptz) >= sla_warning_at AND coalesce(sla_paused_at, ?::timestamptz) < sla_deadline) AS "approachingSla",
              count(*) FILTER (WHERE coalesce(sla_paused_at, ?::timestamptz) >= sla_deadline) AS breached,
              count(*) FILTER (WHERE sla_paused_at IS NOT NULL) AS "waitingOnApplicant",
              ${(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const).map(band).join(',\n              ')},
              count(*) AS total
         FROM ${this.table()} WHERE tenant_id = ? AND status <> 'COMPLETED'`,
      [now, now, now, tenantId],
    );
    return {
      pending: Number(row.pending),
      assigned: Number(row.assigned),
      inProgress: Number(row.inProgress),
      approachingSla: Number(row.approachingSla),
      breached: Number(row.breached),
      waitingOnApplicant: Number(row.waitingOnApplicant),
      total: Number(row.total),
      byPriorityBand: { CRITICAL: Number(row.bandCRITICAL), HIGH: Number(row.bandHIGH), MEDIUM: Number(row.bandMEDIUM), LOW: Number(row.bandLOW) },
    };
  }

  /**
   * Queues an application for review, unless it already has an open case (a
   * rescoring, or the same outcome published twice): then returns null.
   * Concurrent calls for one application serialise on an advisory lock; the
   * partial unique index is the backstop.
   */
  async createForReview(
    data: NewReviewCase,
    policy: SlaPolicy,
    now: Date,
    stage: StageChange,
    requestId?: string,
    createdBy: QueueActor = systemActor('scoring'),
  ): Promise<QueueEntryRecord | null> {
    return this.em.transactional(async (tx) => {
      await lockForTransaction(tx, `${data.tenantId}/${data.applicationId}`, APPLICATION_LOCK);
      const open = await tx.findOne(QueueEntryRecord, { tenantId: data.tenantId, applicationId: data.applicationId, status: { $in: [...OPEN_STATUSES] } });
      if (open) return null;
      const clock = slaClock(now, policy);
      const entry = tx.create(QueueEntryRecord, {
        id: randomUUID(),
        tenantId: data.tenantId,
        applicationId: data.applicationId,
        status: 'PENDING',
        priority: 0,
        probabilityOfDefault: data.probabilityOfDefault,
        autoApproveBelow: data.routingThresholds?.autoApproveBelow ?? null,
        autoDeclineAbove: data.routingThresholds?.autoDeclineAbove ?? null,
        routeReason: data.routeReason,
        modelRecommendation: data.modelRecommendation,
        loanAmount: data.loanAmount.toFixed(2),
        slaDeadline: clock.deadline,
        slaWarningAt: clock.warningAt,
        slaEscalateAt: clock.escalateAt,
        assigneeId: null,
        createdAt: now,
        updatedAt: now,
        version: 1,
      });
      rankEntry(entry, now);
      auditCaseMove(tx, entry, null, 'CREATED', createdBy.id, data.routeReason || undefined, requestId);
      stage(tx, entry, 'CREATED', data.routeReason);
      return entry;
    });
  }

  /** Gives a pending case to `analystId` (the actor or, with queue:assign, someone else). */
  assign(tenantId: string, entryId: string, actor: QueueActor, analystId: string, now: Date, stage: StageChange, requestId?: string): Promise<MoveResult> {
    if (!isUuid(entryId)) return Promise.resolve({ outcome: 'not_found' });
    return this.em.transactional(async (tx) => {
      // The analyst lock makes "count active cases, then take one" atomic per analyst.
      await lockForTransaction(tx, `${tenantId}/${analystId}`, ANALYST_LOCK);
      const entry = await lockEntry(tx, { tenantId, id: entryId });
      if (!entry) return { outcome: 'not_found' } as const;
      const active = await countActive(tx, tenantId, analystId);
      const detail = analystId === actor.id ? undefined : `assigned by ${actor.id}`;
      return this.apply(tx, entry, decideAssign(entry, actor, analystId, active), now, stage, { actor, detail, requestId });
    });
  }

  /** A lead moves a held case to another analyst, with a reason (audited; the new analyst is notified). */
  reassign(
    tenantId: string,
    entryId: string,
    actor: QueueActor,
    analystId: string,
    reason: string,
    now: Date,
    stage: StageChange,
    requestId?: string,
  ): Promise<MoveResult> {
    if (!isUuid(entryId)) return Promise.resolve({ outcome: 'not_found' });
    return this.em.transactional(async (tx) => {
      await lockForTransaction(tx, `${tenantId}/${analystId}`, ANALYST_LOCK);
      const entry = await lockEntry(tx, { tenantId, id: entryId });
      if (!entry) return { outcome: 'not_found' } as const;
      const active = await countActive(tx, tenantId, analystId);
      return this.apply(tx, entry, decideReassign(entry, actor, analystId, reason, active), now, stage, { actor, detail: reason.trim(), requestId });
    });
  }

  start(tenantId: string, entryId: string, actor: QueueActor, now: Date, stage: StageChange): Promise<MoveResult> {
    if (!isUuid(entryId)) return Promise.resolve({ outcome: 'not_found' });
    return this.em.transactional(async (tx) => {
      const entry = await lockEntry(tx, { tenantId, id: entryId });
      if (!entry) return { outcome: 'not_found' } as const;
      return this.apply(tx, entry, decideStart(entry, actor), now, stage, { actor });
    });
  }

  release(tenantId: string, entryId: string, actor: QueueActor, reason: string, now: Date, stage: StageChange): Promise<MoveResult> {
    if (!isUuid(entryId)) return Promise.resolve({ outcome: 'not_found' });
    return this.em.transactional(async (tx) => {
      const entry = await lockEntry(tx, { tenantId, id: entryId });
      if (!entry) return { outcome: 'not_found' } as const;
      return this.apply(tx, entry, decideRelease(entry, actor, reason), now, stage, { actor, detail: reason.trim() });
    });
  }

  /**
   * Takes the highest-priority pending case for the actor. Rows another
   * transaction holds are skipped (FOR UPDATE SKIP LOCKED), so concurrent
   * callers each get a different case, or nothing.
   */
  pickNext(tenantId: string, actor: QueueActor, now: Date, stage: StageChange): Promise<MoveResult | { outcome: 'none' }> {
    return this.em.transactional(async (tx) => {
      const denied = assignPermission(actor, actor.id);
      if (denied) return { outcome: 'refused', refusal: denied } as const;
      await lockForTransaction(tx, `${tenantId}/${actor.id}`, ANALYST_LOCK);
      const active = await countActive(tx, tenantId, actor.id);
      const full = capacityRefusal(actor.id, actor.id, active);
      if (full) return { outcome: 'refused', refusal: full } as const;
      const entry = await tx.findOne(
        QueueEntryRecord,
        { tenantId, status: 'PENDING', slaPausedAt: null },
        { orderBy: { priority: 'desc', slaDeadline: 'asc', id: 'asc' }, lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE, refresh: true },
      );
      if (!entry) return { outcome: 'none' } as const;
      return this.apply(tx, entry, decideAssign(entry, actor, actor.id, active), now, stage, { actor });
    });
  }

  /**
   * What decisions of the tenant do to their open cases, in their order:
   *  - an override waiting for a senior (overrideStatus PENDING): the case stays open with its analyst;
   *  - DOCUMENTS_REQUESTED: the case stays open and its SLA clock pauses until the documents arrive;
   *  - a rejected override: back in review with its analyst (REOPENED);
   *  - anything else (a final decision, an approved override): COMPLETED.
   * One locking read takes all their cases (in id order, as any two lockers must): the consumer's batch
   * under load. A decision that closes a case leaves a later one on the same application without an open
   * case, as one at a time would. Each decision's change is staged by its own `stage` (its own request id).
   * The tenant's calendar is read only when a paused clock must be resumed.
   */
  applyDecisions(
    tenantId: string,
    decisions: readonly { news: DecisionNews; stage: StageChange }[],
    calendar: () => Promise<BusinessCalendar>,
    now: Date,
  ): Promise<MoveResult[]> {
    const applicationIds = [...new Set(decisions.map((d) => d.news.applicationId).filter(isUuid))];
    if (applicationIds.length === 0) return Promise.resolve(decisions.map(() => ({ outcome: 'not_found' }) as const));
    // Every decision passes through here (the DecisionMade consumer): join the consumer's transaction rather than open a savepoint.
    return this.em.transactional(
      async (tx) => {
        const entries = await tx.find(
          QueueEntryRecord,
          { tenantId, applicationId: { $in: applicationIds }, status: { $in: [...OPEN_STATUSES] } },
          { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true, orderBy: { id: 'asc' } },
        );
        const open = new Map(entries.map((e) => [e.applicationId, e]));
        const results: MoveResult[] = [];
        for (const { news, stage } of decisions) {
          const entry = open.get(news.applicationId);
          if (!entry) {
            results.push({ outcome: 'not_found' });
            continue;
          }
          results.push(await this.decideEntry(tx, entry, news, calendar, now, stage));
          if (!OPEN_STATUSES.includes(entry.status)) open.delete(news.applicationId);
        }
        return results;
      },
      { propagation: TransactionPropagation.REQUIRED },
    );
  }

  /** What one decision does to its open, locked case (see applyDecisions). */
  private async decideEntry(
    tx: EntityManager,
    entry: QueueEntryRecord,
    decision: DecisionNews,
    calendar: () => Promise<BusinessCalendar>,
    now: Date,
    stage: StageChange,
  ): Promise<MoveResult> {
    const actor = systemActor('decision');
    if (decision.overrideStatus === 'PENDING') {
      entry.awaitingOverrideDecisionId = isUuid(decision.decisionId) ? decision.decisionId : null;
      entry.updatedAt = now;
      return { outcome: 'unchanged', entry };
    }
    if (decision.overrideStatus === 'REJECTED') {
      entry.awaitingOverrideDecisionId = null;
      return this.apply(tx, entry, decideReopen(entry), now, stage, { actor, detail: 'override rejected' });
    }
    entry.awaitingOverrideDecisionId = null;
    if (decision.outcome !== 'DOCUMENTS_REQUESTED' && entry.slaPausedAt) {
      // Decided while waiting on the applicant: the pause does not count against the SLA.
      shiftClock(
        entry,
        resumeClock({ deadline: entry.slaDeadline, warningAt: entry.slaWarningAt, escalateAt: entry.slaEscalateAt }, entry.slaPausedAt, now, await calendar()),
      );
      entry.slaPausedAt = null;
    }
    if (decision.outcome === 'DOCUMENTS_REQUESTED') {
      if (entry.slaPausedAt) return { outcome: 'unchanged', entry };
      return this.apply(tx, entry, { kind: 'apply', change: 'PAUSED', to: entry.status, assigneeId: entry.assigneeId ?? null }, now, stage, {
        actor,
        detail: 'documents requested from the applicant',
      });
    }
    const by = decision.decidedBy ? ` by ${decision.decidedBy}` : '';
    return this.apply(tx, entry, decideComplete(entry), now, stage, { actor, detail: `decision ${decision.outcome}${by}` });
  }

  /** The applicant's documents arrived: the paused clock runs again, each instant still ahead pushed out by the pause. */
  resumeForApplication(
    tenantId: string,
    applicationId: string,
    calendar: BusinessCalendar,
    now: Date,
    stage: StageChange,
    requestId?: string,
  ): Promise<MoveResult> {
    if (!isUuid(applicationId)) return Promise.resolve({ outcome: 'not_found' });
    return this.em.transactional(async (tx) => {
      const entry = await lockEntry(tx, { tenantId, applicationId, status: { $in: [...OPEN_STATUSES] } });
      if (!entry) return { outcome: 'not_found' } as const;
      if (!entry.slaPausedAt) return { outcome: 'unchanged', entry } as const;
      shiftClock(
        entry,
        resumeClock({ deadline: entry.slaDeadline, warningAt: entry.slaWarningAt, escalateAt: entry.slaEscalateAt }, entry.slaPausedAt, now, calendar),
      );
      const result = this.apply(tx, entry, { kind: 'apply', change: 'RESUMED', to: entry.status, assigneeId: entry.assigneeId ?? null }, now, stage, {
        actor: systemActor('documents'),
        detail: 'documents submitted by the applicant',
      });
      if (entry.assigneeId) {
        stageNotification(
          tx,
          {
            tenantId,
            recipientId: entry.assigneeId,
            kind: 'DOCUMENTS_SUBMITTED',
            message: documentsSubmittedMessage(entry.slaDeadline),
            entryId: entry.id,
            applicationId,
          },
          now,
          requestId,
        );
      }
      return result;
    });
  }

  /**
   * Job scan, across tenants: locks open entries with a running clock and an
   * SLA alert due at `now` (rows another worker holds are skipped), marks the
   * alerts as sent and hands each (entry, kind) to `stage` once.
   */
  async claimDueSlaAlerts(
    now: Date,
    limit: number,
    stage: (em: EntityManager, entry: QueueEntryRecord, kind: SlaAlertKind) => Promise<void>,
  ): Promise<{ entries: number; alerts: number }> {
    return this.em.transactional(async (tx) => {
      const entries = await tx.find(
        QueueEntryRecord,
        {
          status: { $in: [...OPEN_STATUSES] },
          slaPausedAt: null,
          $or: [
            { warningSentAt: null, slaWarningAt: { $lte: now }, slaDeadline: { $gt: now } },
            { breachSentAt: null, slaDeadline: { $lte: now } },
            { escalationSentAt: null, slaEscalateAt: { $lte: now } },
          ],
        },
        { orderBy: { slaWarningAt: 'asc', id: 'asc' }, limit, lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE, refresh: true },
      );
      let alerts = 0;
      for (const entry of entries) {
        const clock = { deadline: entry.slaDeadline, warningAt: entry.slaWarningAt, escalateAt: entry.slaEscalateAt };
        const sent = { WARNING: !!entry.warningSentAt, BREACHED: !!entry.breachSentAt, ESCALATED: !!entry.escalationSentAt };
        for (const kind of dueSlaAlerts(clock, sent, now)) {
          if (kind === 'WARNING') entry.warningSentAt = now;
          if (kind === 'BREACHED') entry.breachSentAt = now;
          if (kind === 'ESCALATED') entry.escalationSentAt = now;
          await stage(tx, entry, kind);
          alerts++;
        }
        // Crossing into the warning window or past the deadline is when urgency jumps: re-rank a waiting case at once.
        if (entry.status === 'PENDING') rankEntry(entry, now);
      }
      return { entries: entries.length, alerts };
    });
  }

  /** Job scan: tenants and their pending cases (clock running) inside the warning window or past it, most urgent first. */
  async dueForAutoAssign(now: Date, limit: number): Promise<Map<string, string[]>> {
    const rows = await this.em.find(
      QueueEntryRecord,
      { status: 'PENDING', slaPausedAt: null, slaWarningAt: { $lte: now } },
      { fields: ['id', 'tenantId'], orderBy: { slaDeadline: 'asc', priority: 'desc', id: 'asc' }, limit },
    );
    const byTenant = new Map<string, string[]>();
    for (const r of rows) byTenant.set(r.tenantId, [...(byTenant.get(r.tenantId) ?? []), r.id]);
    return byTenant;
  }

  /** The assignment log of one case, oldest first. */
  auditLog(tenantId: string, entryId: string): Promise<QueueAuditRecord[]> {
    if (!isUuid(entryId)) return Promise.resolve([]);
    return this.em.find(QueueAuditRecord, { tenantId, entryId }, { orderBy: { at: 'asc', id: 'asc' } });
  }

  /**
   * Job scan, across tenants: re-ranks up to `limit` pending cases whose
   * priority has risen by `now` (their stored instant has passed), the
   * earliest first; rows another worker holds are skipped. Each gets its new
   * priority and its next instant, so a pass reads only the cases that
   * changed. Returns how many it re-ranked.
   */
  async refreshRisenPriorities(now: Date, limit: number): Promise<number> {
    return this.em.transactional(async (tx) => {
      const entries = await tx.find(
        QueueEntryRecord,
        { status: 'PENDING', priorityRisesAt: { $lte: now } },
        { orderBy: { priorityRisesAt: 'asc', id: 'asc' }, limit, lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE, refresh: true },
      );
      for (const entry of entries) rankEntry(entry, now);
      return entries.length;
    });
  }

  /**
   * Applies the domain's verdict to the locked entry: writes it, logs it in
   * the assignment log, tells an analyst given a case by someone else, keeps
   * the analyst roster current, and stages the change event.
   */
  private async apply(
    tx: EntityManager,
    entry: QueueEntryRecord,
    transition: Transition,
    now: Date,
    stage: StageChange,
    how: { actor: QueueActor; detail?: string; requestId?: string },
  ): Promise<MoveResult> {
    if (transition.kind === 'refuse') return { outcome: 'refused', refusal: transition.refusal };
    if (transition.kind === 'unchanged') return { outcome: 'unchanged', entry };
    const { actor, detail } = how;
    const from = { status: entry.status, assigneeId: entry.assigneeId ?? null };
    const before = caseMoveSnapshot(entry);
    entry.status = transition.to;
    entry.assigneeId = transition.assigneeId;
    entry.updatedAt = now;
    entry.version += 1;
    switch (transition.change) {
      case 'ASSIGNED':
      case 'REASSIGNED':
        entry.assignedAt = now;
        entry.startedAt = null;
        break;
      case 'STARTED':
        entry.startedAt = now;
        break;
      case 'REOPENED':
        entry.startedAt = entry.startedAt ?? now;
        break;
      case 'RELEASED':
        entry.assignedAt = null;
        entry.startedAt = null;
        entry.releaseReason = detail ?? null;
        rankEntry(entry, now);
        break;
      case 'COMPLETED':
        entry.completedAt = now;
        entry.slaPausedAt = null;
        break;
      case 'PAUSED':
        entry.slaPausedAt = now;
        break;
      case 'RESUMED':
        entry.slaPausedAt = null;
        rankEntry(entry, now);
        break;
      case 'CREATED':
        break;
    }
    tx.persist(
      tx.create(QueueAuditRecord, {
        id: randomUUID(),
        tenantId: entry.tenantId,
        entryId: entry.id,
        action: transition.change,
        actorId: actor.id,
        fromStatus: from.status,
        toStatus: entry.status,
        fromAssignee: from.assigneeId,
        toAssignee: entry.assigneeId ?? null,
        reason: detail ?? null,
        at: now,
      }),
    );
    auditCaseMove(tx, entry, before, transition.change, actor.id, detail, how.requestId);
    const given = transition.change === 'ASSIGNED' || transition.change === 'REASSIGNED';
    const sightings: { analystId: string; senior: boolean | null; assigned?: boolean }[] = [];
    if (!isSystem(actor.id)) sightings.push({ analystId: actor.id, senior: actor.permissions.includes(Permission.QueueAssign) });
    if (given && entry.assigneeId) {
      const self = sightings.find((s) => s.analystId === entry.assigneeId);
      if (self) self.assigned = true;
      else sightings.push({ analystId: entry.assigneeId, senior: null, assigned: true });
    }
    await new AnalystRepository(tx).seenAll(entry.tenantId, sightings, now);
    if (given && entry.assigneeId) {
      if (entry.assigneeId !== actor.id) {
        const by = isSystem(actor.id) ? 'automatically, its deadline is near' : `by ${actor.id}`;
        stageNotification(
          tx,
          {
            tenantId: entry.tenantId,
            recipientId: entry.assigneeId,
            kind: 'CASE_ASSIGNED',
            message: `Application ${entry.applicationId} was assigned to you ${by}${transition.change === 'REASSIGNED' && detail ? `: ${detail}` : ''}`,
            entryId: entry.id,
            applicationId: entry.applicationId,
          },
          now,
          how.requestId,
        );
      }
    }
    stage(tx, entry, transition.change, detail);
    return { outcome: 'moved', entry };
  }

  private table(): string {
    return schemaTable(this.em, 'queue_entries');
  }
}

/** Sets the entry's SLA instants (after a pause). */
function shiftClock(entry: QueueEntryRecord, clock: { deadline: Date; warningAt: Date; escalateAt: Date }): void {
  entry.slaDeadline = clock.deadline;
  entry.slaWarningAt = clock.warningAt;
  entry.slaEscalateAt = clock.escalateAt;
}

function lockEntry(tx: EntityManager, where: FilterQuery<QueueEntryRecord>): Promise<QueueEntryRecord | null> {
  return tx.findOne(QueueEntryRecord, where, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

/** Held cases whose clock runs: a case waiting on the applicant does not take one of the analyst's five places. */
function countActive(tx: EntityManager, tenantId: string, analystId: string): Promise<number> {
  return tx.count(QueueEntryRecord, { tenantId, assigneeId: analystId, status: { $in: [...ACTIVE_STATUSES] }, slaPausedAt: null });
}
