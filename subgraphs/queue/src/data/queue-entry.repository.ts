import { randomUUID } from 'node:crypto';
import { type EntityManager, type FilterQuery, LockMode } from '@mikro-orm/postgresql';
import type { ModelRecommendation, QueueChangeKind, QueueEntryStatus } from '@tandem/platform';
import DataLoader from 'dataloader';
import { DEFAULT_ROUTING_THRESHOLDS, priorityOf } from '../domain/priority.js';
import {
  ACTIVE_STATUSES,
  assignPermission,
  capacityRefusal,
  decideAssign,
  decideComplete,
  decideRelease,
  decideStart,
  OPEN_STATUSES,
  type QueueActor,
  type Refusal,
  type Transition,
} from '../domain/queue-transitions.js';
import { dueSlaAlerts, type SlaAlertKind, type SlaPolicy, type SlaState, slaClock } from '../domain/sla-clock.js';
import { QueueEntryRecord } from './queue-entry.entity.js';

export interface QueueListFilter {
  statuses: readonly QueueEntryStatus[];
  assigneeId?: string;
  slaStates?: readonly SlaState[];
}
export type QueueListOrder = 'PRIORITY_DESC' | 'CREATED_ASC' | 'SLA_DEADLINE_ASC';

export interface QueueCounts {
  pending: number;
  assigned: number;
  inProgress: number;
  approachingSla: number;
  breached: number;
  total: number;
}

/** Stages the events of one change in the transaction that makes it. */
export type StageChange = (em: EntityManager, entry: QueueEntryRecord, change: QueueChangeKind, detail?: string) => void;

export type MoveResult = { outcome: 'moved' | 'unchanged'; entry: QueueEntryRecord } | { outcome: 'refused'; refusal: Refusal } | { outcome: 'not_found' };

export interface NewReviewCase {
  tenantId: string;
  applicationId: string;
  probabilityOfDefault: number;
  routeReason: string;
  modelRecommendation: ModelRecommendation;
  loanAmount: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids come from callers; anything that is not a uuid cannot match a row (and must not reach a uuid column). */
export const isUuid = (id: string) => UUID.test(id);

/** Namespaces of pg_advisory_xact_lock(int, int): the first key says what the second locks. */
const ANALYST_LOCK = 1;
const APPLICATION_LOCK = 2;

/** The entry's current priority (domain/priority.ts) from what the entry keeps. */
export function priorityOfEntry(entry: Pick<QueueEntryRecord, 'probabilityOfDefault' | 'loanAmount' | 'createdAt' | 'slaDeadline'>, now: Date): number {
  return priorityOf({
    probabilityOfDefault: entry.probabilityOfDefault,
    thresholds: DEFAULT_ROUTING_THRESHOLDS,
    loanAmount: Number(entry.loanAmount),
    createdAt: entry.createdAt,
    slaDeadline: entry.slaDeadline,
    now,
  });
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

  async list(tenantId: string, filter: QueueListFilter, order: QueueListOrder, limit: number, offset: number, now: Date) {
    const qb = this.em.createQueryBuilder(QueueEntryRecord, 'e').where({ tenantId, status: { $in: [...filter.statuses] } });
    if (filter.assigneeId !== undefined) qb.andWhere({ assigneeId: filter.assigneeId });
    if (filter.slaStates?.length) {
      // A completed case keeps the SLA state it was completed in; an open one is judged now.
      const at = 'coalesce(e.completed_at, ?)';
      const conditions: Record<SlaState, { sql: string; params: Date[] }> = {
        ON_TRACK: { sql: `${at} < e.sla_warning_at`, params: [now] },
        APPROACHING: { sql: `(${at} >= e.sla_warning_at and ${at} < e.sla_deadline)`, params: [now, now] },
        BREACHED: { sql: `${at} >= e.sla_deadline`, params: [now] },
      };
      const chosen = [...new Set(filter.slaStates)].map((s) => conditions[s]);
      qb.andWhere(
        `(${chosen.map((c) => c.sql).join(' or ')})`,
        chosen.flatMap((c) => c.params),
      );
    }
    const orderBy =
      order === 'CREATED_ASC'
        ? { createdAt: 'asc', id: 'asc' }
        : order === 'SLA_DEADLINE_ASC'
          ? { slaDeadline: 'asc', priority: 'desc', id: 'asc' }
          : { priority: 'desc', slaDeadline: 'asc', id: 'asc' };
    qb.orderBy(orderBy as never)
      .limit(limit)
      .offset(offset);
    const [items, total] = await qb.getResultAndCount();
    return { items, total };
  }

  /** Counts of the tenant's open cases, in one scan. */
  async summary(tenantId: string, now: Date): Promise<QueueCounts> {
    const [row] = await this.em.execute<Record<keyof QueueCounts, string>[]>(
      `SELECT count(*) FILTER (WHERE status = 'PENDING') AS pending,
              count(*) FILTER (WHERE status = 'ASSIGNED') AS assigned,
              count(*) FILTER (WHERE status = 'IN_PROGRESS') AS "inProgress",
              count(*) FILTER (WHERE ?::timestamptz >= sla_warning_at AND ?::timestamptz < sla_deadline) AS "approachingSla",
              count(*) FILTER (WHERE ?::timestamptz >= sla_deadline) AS breached,
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
      total: Number(row.total),
    };
  }

  /**
   * Queues an application for review, unless it already has an open case (a
   * rescoring, or the same outcome published twice): then returns null.
   * Concurrent calls for one application serialise on an advisory lock; the
   * partial unique index is the backstop.
   */
  async createForReview(data: NewReviewCase, policy: SlaPolicy, now: Date, stage: StageChange): Promise<QueueEntryRecord | null> {
    return this.em.transactional(async (tx) => {
      await lockKey(tx, APPLICATION_LOCK, `${data.tenantId}/${data.applicationId}`);
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
      entry.priority = priorityOfEntry(entry, now);
      stage(tx, entry, 'CREATED', data.routeReason);
      return entry;
    });
  }

  /** Gives a pending case to `analystId` (the actor or, with queue:assign, someone else). */
  assign(tenantId: string, entryId: string, actor: QueueActor, analystId: string, now: Date, stage: StageChange): Promise<MoveResult> {
    if (!isUuid(entryId)) return Promise.resolve({ outcome: 'not_found' });
    return this.em.transactional(async (tx) => {
      // The analyst lock makes "count active cases, then take one" atomic per analyst.
      await lockKey(tx, ANALYST_LOCK, `${tenantId}/${analystId}`);
      const entry = await lockEntry(tx, { tenantId, id: entryId });
      if (!entry) return { outcome: 'not_found' } as const;
      const active = await countActive(tx, tenantId, analystId);
      const detail = analystId === actor.id ? undefined : `assigned by ${actor.id}`;
      return this.apply(tx, entry, decideAssign(entry, actor, analystId, active), now, stage, detail);
    });
  }

  start(tenantId: string, entryId: string, actor: QueueActor, now: Date, stage: StageChange): Promise<MoveResult> {
    if (!isUuid(entryId)) return Promise.resolve({ outcome: 'not_found' });
    return this.em.transactional(async (tx) => {
      const entry = await lockEntry(tx, { tenantId, id: entryId });
      if (!entry) return { outcome: 'not_found' } as const;
      return this.apply(tx, entry, decideStart(entry, actor), now, stage);
    });
  }

  release(tenantId: string, entryId: string, actor: QueueActor, reason: string, now: Date, stage: StageChange): Promise<MoveResult> {
    if (!isUuid(entryId)) return Promise.resolve({ outcome: 'not_found' });
    return this.em.transactional(async (tx) => {
      const entry = await lockEntry(tx, { tenantId, id: entryId });
      if (!entry) return { outcome: 'not_found' } as const;
      return this.apply(tx, entry, decideRelease(entry, actor, reason), now, stage, reason.trim());
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
      await lockKey(tx, ANALYST_LOCK, `${tenantId}/${actor.id}`);
      const active = await countActive(tx, tenantId, actor.id);
      const full = capacityRefusal(actor.id, actor.id, active);
      if (full) return { outcome: 'refused', refusal: full } as const;
      const entry = await tx.findOne(
        QueueEntryRecord,
        { tenantId, status: 'PENDING' },
        { orderBy: { priority: 'desc', slaDeadline: 'asc', id: 'asc' }, lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE, refresh: true },
      );
      if (!entry) return { outcome: 'none' } as const;
      return this.apply(tx, entry, decideAssign(entry, actor, actor.id, active), now, stage);
    });
  }

  /** Closes the open case of an application, if there is one (a decision was made). */
  completeForApplication(tenantId: string, applicationId: string, now: Date, stage: StageChange, detail?: string): Promise<MoveResult> {
    if (!isUuid(applicationId)) return Promise.resolve({ outcome: 'not_found' });
    return this.em.transactional(async (tx) => {
      const entry = await lockEntry(tx, { tenantId, applicationId, status: { $in: [...OPEN_STATUSES] } });
      if (!entry) return { outcome: 'not_found' } as const;
      return this.apply(tx, entry, decideComplete(entry), now, stage, detail);
    });
  }

  /**
   * Job scan, across tenants: locks open entries with an SLA alert due at
   * `now` (rows another worker holds are skipped), marks the alerts as sent
   * and hands each (entry, kind) to `stage` once.
   */
  async claimDueSlaAlerts(
    now: Date,
    limit: number,
    stage: (em: EntityManager, entry: QueueEntryRecord, kind: SlaAlertKind) => void,
  ): Promise<{ entries: number; alerts: number }> {
    return this.em.transactional(async (tx) => {
      const entries = await tx.find(
        QueueEntryRecord,
        {
          status: { $in: [...OPEN_STATUSES] },
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
          stage(tx, entry, kind);
          alerts++;
        }
      }
      return { entries: entries.length, alerts };
    });
  }

  /**
   * Job scan, across tenants: recomputes the priority of pending cases (it
   * grows as they wait) in pages of `limit` after `afterId`. Returns the last
   * id seen, or null at the end.
   */
  async refreshPendingPriorities(now: Date, limit: number, afterId: string | null): Promise<{ lastId: string | null; updated: number }> {
    return this.em.transactional(async (tx) => {
      const where: FilterQuery<QueueEntryRecord> = { status: 'PENDING' };
      if (afterId) where.id = { $gt: afterId };
      const entries = await tx.find(QueueEntryRecord, where, { orderBy: { id: 'asc' }, limit, lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE, refresh: true });
      let updated = 0;
      for (const entry of entries) {
        const priority = priorityOfEntry(entry, now);
        if (priority !== entry.priority) {
          entry.priority = priority;
          updated++;
        }
      }
      return { lastId: entries.length === limit ? entries[entries.length - 1].id : null, updated };
    });
  }

  /** Applies the domain's verdict to the locked entry and stages its event. */
  private apply(tx: EntityManager, entry: QueueEntryRecord, transition: Transition, now: Date, stage: StageChange, detail?: string): MoveResult {
    if (transition.kind === 'refuse') return { outcome: 'refused', refusal: transition.refusal };
    if (transition.kind === 'unchanged') return { outcome: 'unchanged', entry };
    entry.status = transition.to;
    entry.assigneeId = transition.assigneeId;
    entry.updatedAt = now;
    entry.version += 1;
    switch (transition.change) {
      case 'ASSIGNED':
        entry.assignedAt = now;
        entry.startedAt = null;
        break;
      case 'STARTED':
        entry.startedAt = now;
        break;
      case 'RELEASED':
        entry.assignedAt = null;
        entry.startedAt = null;
        entry.releaseReason = detail ?? null;
        entry.priority = priorityOfEntry(entry, now);
        break;
      case 'COMPLETED':
        entry.completedAt = now;
        break;
      case 'CREATED':
        break;
    }
    stage(tx, entry, transition.change, detail);
    return { outcome: 'moved', entry };
  }

  private table(): string {
    return `"${this.em.config.get('schema')}".queue_entries`;
  }
}

async function lockKey(tx: EntityManager, namespace: number, key: string): Promise<void> {
  await tx.execute('SELECT pg_advisory_xact_lock(?::int, hashtext(?))', [namespace, key]);
}

function lockEntry(tx: EntityManager, where: FilterQuery<QueueEntryRecord>): Promise<QueueEntryRecord | null> {
  return tx.findOne(QueueEntryRecord, where, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

function countActive(tx: EntityManager, tenantId: string, analystId: string): Promise<number> {
  return tx.count(QueueEntryRecord, { tenantId, assigneeId: analystId, status: { $in: [...ACTIVE_STATUSES] } });
}
