import type { EntityManager } from '@mikro-orm/postgresql';
import { type AuditRecorded, executePrepared, lockForTransaction, schemaTable } from '@tandem/platform';
import {
  type ChainedEntry,
  type ChainVerification,
  entryHash,
  GENESIS_HASH,
  startVerification,
  type StoredEntry,
  verifyEntries,
} from '../domain/audit-chain.js';

export interface AuditTrailFilter {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  /** occurred_at >= from */
  from?: Date;
  /** occurred_at < to */
  to?: Date;
}

/** One change to chain: the audit.recorded event that carries it. */
export interface AuditAppend {
  tenantId: string;
  eventId: string;
  source: string;
  record: AuditRecorded;
}

export interface AuditTrailEntry extends StoredEntry {
  recordedAt: Date;
}

/** Namespace of the per-tenant advisory lock that makes one writer per chain (the other key is the tenant's hash). */
const CHAIN_LOCK_CLASS = 0x41554454; // 'AUDT'
const VERIFY_PAGE = 1000;

interface Row {
  tenant_id: string;
  seq: string | number;
  event_id: string;
  source: string;
  entity_type: string;
  entity_id: string;
  action: string;
  actor_kind: string;
  actor_id: string | null;
  occurred_at: Date;
  old_value: unknown;
  new_value: unknown;
  changes: unknown;
  prev_hash: string;
  hash: string;
  recorded_at: Date;
}

const COLUMNS = `tenant_id, seq, event_id, source, entity_type, entity_id, action, actor_kind, actor_id, occurred_at,
  old_value, new_value, changes, prev_hash, hash, recorded_at`;

/** jsonb comes back parsed from the driver; a string here would be a JSON text column. */
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

function toEntry(r: Row): AuditTrailEntry {
  return {
    tenantId: r.tenant_id,
    seq: Number(r.seq),
    eventId: r.event_id,
    source: r.source,
    entityType: r.entity_type,
    entityId: r.entity_id,
    action: r.action,
    actorKind: r.actor_kind,
    actorId: r.actor_id,
    occurredAt: new Date(r.occurred_at).toISOString(),
    oldValue: json(r.old_value),
    newValue: json(r.new_value),
    changes: json(r.changes),
    prevHash: r.prev_hash,
    hash: r.hash,
    recordedAt: new Date(r.recorded_at),
  };
}

/** What jsonb will hand back for a value: JSON's view of it (undefined → null, dates → strings). */
const asStored = (v: unknown): unknown => (v === undefined ? null : JSON.parse(JSON.stringify(v) ?? 'null'));

/**
 * The audit trail: appends (never updates: the table refuses) and reads.
 * Every method takes the tenant; each tenant has its own chain.
 */
export class AuditTrailRepository {
  constructor(private readonly em: EntityManager) {}

  private get table(): string {
    return schemaTable(this.em, 'audit_trail');
  }

  /**
   * Appends entries at the heads of their tenants' chains, in the order given
   * within each tenant. Must run inside a transaction (the consumer's): the
   * advisory lock makes this the only writer of a tenant's chain until commit,
   * so concurrent consumers (processes) queue up rather than fork the chain;
   * the primary key (tenant, seq) would refuse a fork anyway. Per tenant: one
   * lock sent with one read of the head, one INSERT, however many entries.
   */
  async append(items: readonly AuditAppend[]): Promise<void> {
    const byTenant = new Map<string, AuditAppend[]>();
    for (const item of items) {
      const list = byTenant.get(item.tenantId);
      if (list) list.push(item);
      else byTenant.set(item.tenantId, [item]);
    }
    // Locks taken in one order (by tenant), so two writers of overlapping tenants never wait on each other in a cycle.
    for (const [tenantId, appends] of [...byTenant].sort(([a], [b]) => (a < b ? -1 : 1))) {
      await lockForTransaction(this.em, tenantId, CHAIN_LOCK_CLASS);
      // Prepared: every audited change reads the head (pg_stat_statements: planning cost four times the read).
      const [head] = await executePrepared<{ seq: string; hash: string }>(
        this.em,
        `SELECT seq, hash FROM ${this.table} WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1`,
        [tenantId],
      );
      let seq = head ? Number(head.seq) : 0;
      let prevHash = head?.hash ?? GENESIS_HASH;
      const params: unknown[] = [];
      for (const { eventId, source, record } of appends) {
        const entry: ChainedEntry = {
          tenantId,
          seq: ++seq,
          eventId,
          source,
          entityType: record.entityType,
          entityId: record.entityId,
          action: record.action,
          actorKind: record.actor?.kind ?? 'system',
          actorId: record.actor?.id ?? null,
          occurredAt: new Date(record.occurredAt).toISOString(),
          // Hash exactly what will be read back.
          oldValue: asStored(record.oldValue),
          newValue: asStored(record.newValue),
          changes: asStored(record.changes ?? []),
        };
        const hash = entryHash(prevHash, entry);
        params.push(
          entry.tenantId, entry.seq, entry.eventId, entry.source, entry.entityType, entry.entityId, entry.action, entry.actorKind,
          entry.actorId, entry.occurredAt, JSON.stringify(entry.oldValue), JSON.stringify(entry.newValue), JSON.stringify(entry.changes),
          prevHash, hash,
        );
        prevHash = hash;
      }
      await this.em.execute(
        `INSERT INTO ${this.table} (tenant_id, seq, event_id, source, entity_type, entity_id, action, actor_kind, actor_id,
           occurred_at, old_value, new_value, changes, prev_hash, hash)
         VALUES ${appends.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?)').join(', ')}`,
        params,
      );
    }
  }

  /** A page of the tenant's trail, newest first, and how many entries match. */
  async list(tenantId: string, filter: AuditTrailFilter, limit: number, offset: number): Promise<{ items: AuditTrailEntry[]; total: number }> {
    const conditions = ['tenant_id = ?'];
    const params: unknown[] = [tenantId];
    const where = (sql: string, value: unknown) => {
      conditions.push(sql);
      params.push(value);
    };
    if (filter.entityType) where('entity_type = ?', filter.entityType);
    if (filter.entityId) where('entity_id = ?', filter.entityId);
    if (filter.actorId) where('actor_id = ?', filter.actorId);
    if (filter.from) where('occurred_at >= ?', filter.from);
    if (filter.to) where('occurred_at < ?', filter.to);
    const clause = conditions.join(' AND ');
    const [rows, [count]] = await Promise.all([
      this.em.execute<Row[]>(`SELECT ${COLUMNS} FROM ${this.table} WHERE ${clause} ORDER BY seq DESC LIMIT ? OFFSET ?`, [...params, limit, offset]),
      this.em.execute<{ n: string }[]>(`SELECT count(*) AS n FROM ${this.table} WHERE ${clause}`, params),
    ]);
    return { items: rows.map(toEntry), total: Number(count.n) };
  }

  /** Walks the tenant's whole chain from its first entry, a page at a time. */
  async verify(tenantId: string): Promise<ChainVerification> {
    let state = startVerification();
    let afterSeq = 0;
    for (;;) {
      const rows = await this.em.execute<Row[]>(
        `SELECT ${COLUMNS} FROM ${this.table} WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
        [tenantId, afterSeq, VERIFY_PAGE],
      );
      if (rows.length === 0) return state;
      const entries = rows.map(toEntry);
      state = verifyEntries(state, entries);
      afterSeq = entries[entries.length - 1].seq;
    }
  }
}
