import type { EntityManager } from '@mikro-orm/postgresql';
import { schemaTable } from '@tandem/platform';
import type { AutoAssignCandidate } from '../domain/auto-assign.js';
import { AnalystRecord } from './analyst.entity.js';

/** The analysts the queue has seen, per tenant (see analyst.entity.ts for who counts). */
export class AnalystRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Records that `analystId` acted in the queue (or was given a case).
   * `senior` is what their permissions said when they acted themselves; a
   * case given to someone says nothing about their seniority (null).
   */
  seen(tenantId: string, analystId: string, senior: boolean | null, now: Date, assigned = false): Promise<void> {
    return this.seenAll(tenantId, [{ analystId, senior, assigned }], now);
  }

  /**
   * Several sightings in one transaction, written in id order: two moves that
   * touch the same two analysts then lock their rows in the same order and
   * cannot deadlock.
   */
  async seenAll(tenantId: string, sightings: { analystId: string; senior: boolean | null; assigned?: boolean }[], now: Date): Promise<void> {
    const table = this.table();
    for (const s of [...sightings].sort((a, b) => (a.analystId < b.analystId ? -1 : a.analystId > b.analystId ? 1 : 0))) {
      await this.em.execute(
        `INSERT INTO ${table} (tenant_id, analyst_id, available, senior, last_assigned_at, updated_at)
         VALUES (?, ?, false, ?, ?, ?)
         ON CONFLICT (tenant_id, analyst_id) DO UPDATE SET
           senior = COALESCE(?, ${table}.senior),
           last_assigned_at = COALESCE(EXCLUDED.last_assigned_at, ${table}.last_assigned_at),
           updated_at = EXCLUDED.updated_at`,
        [tenantId, s.analystId, s.senior ?? false, s.assigned ? now : null, now, s.senior],
      );
    }
  }

  async setAvailability(tenantId: string, analystId: string, available: boolean, senior: boolean, now: Date): Promise<AnalystRecord> {
    await this.seen(tenantId, analystId, senior, now);
    await this.em.nativeUpdate(AnalystRecord, { tenantId, analystId }, { available, updatedAt: now });
    return this.em.findOneOrFail(AnalystRecord, { tenantId, analystId }, { refresh: true });
  }

  find(tenantId: string, analystId: string): Promise<AnalystRecord | null> {
    return this.em.findOne(AnalystRecord, { tenantId, analystId });
  }

  async seniorIds(tenantId: string): Promise<string[]> {
    const rows = await this.em.find(AnalystRecord, { tenantId, senior: true }, { orderBy: { analystId: 'asc' } });
    return rows.map((r) => r.analystId);
  }

  /** Available analysts with their active (held, clock running) case counts, for the auto-assign plan. */
  async availableWithLoad(tenantId: string): Promise<AutoAssignCandidate[]> {
    const rows = await this.em.execute<{ analyst_id: string; active: string; last_assigned_at: Date | null }[]>(
      `SELECT a.analyst_id, a.last_assigned_at,
              (SELECT count(*) FROM ${schemaTable(this.em, 'queue_entries')} e
                WHERE e.tenant_id = a.tenant_id AND e.assignee_id = a.analyst_id
                  AND e.status IN ('ASSIGNED','IN_PROGRESS') AND e.sla_paused_at IS NULL) AS active
         FROM ${this.table()} a WHERE a.tenant_id = ? AND a.available`,
      [tenantId],
    );
    return rows.map((r) => ({
      analystId: r.analyst_id,
      activeCases: Number(r.active),
      lastAssignedAt: r.last_assigned_at ? new Date(r.last_assigned_at) : null,
    }));
  }

  private table(): string {
    return schemaTable(this.em, 'analysts');
  }
}
