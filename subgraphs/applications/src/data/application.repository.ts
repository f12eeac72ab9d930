import { randomUUID } from 'node:crypto';
import { type EntityManager, type FilterQuery, LockMode } from '@mikro-orm/postgresql';
import { type ApplicationStatus, executePrepared, isUniqueViolation, isUuid, schemaTable } from '@tandem/platform';
import DataLoader from 'dataloader';
import { ApplicationRecord } from './application.entity.js';

export interface ApplicationFilter {
  status?: ApplicationStatus[];
  externalId?: string;
  submittedFrom?: Date;
  submittedTo?: Date;
}
export type ApplicationOrder = 'SUBMITTED_DESC' | 'SUBMITTED_ASC' | 'AMOUNT_DESC';

/**
 * All access to applications goes through here, and every method takes the
 * tenant: no query can forget it.
 */
export class ApplicationRepository {
  constructor(private readonly em: EntityManager) {}

  findById(tenantId: string, id: string): Promise<ApplicationRecord | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.em.findOne(ApplicationRecord, { id, tenantId });
  }

  findByExternalId(tenantId: string, externalId: string): Promise<ApplicationRecord | null> {
    return this.em.findOne(ApplicationRecord, { tenantId, externalId });
  }

  /** Batches `id` look-ups of one request into one query (federated references, lists). */
  loader(tenantId: string): DataLoader<string, ApplicationRecord | null> {
    return new DataLoader(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length ? await this.em.find(ApplicationRecord, { tenantId, id: { $in: valid } }) : [];
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  async list(tenantId: string, filter: ApplicationFilter, order: ApplicationOrder, limit: number, offset: number) {
    const where: FilterQuery<ApplicationRecord> = { tenantId };
    if (filter.status?.length) where.status = { $in: filter.status };
    if (filter.externalId) where.externalId = filter.externalId;
    if (filter.submittedFrom || filter.submittedTo) {
      where.submittedAt = { ...(filter.submittedFrom ? { $gte: filter.submittedFrom } : {}), ...(filter.submittedTo ? { $lt: filter.submittedTo } : {}) };
    }
    const orderBy =
      order === 'SUBMITTED_ASC'
        ? { submittedAt: 'asc', id: 'asc' }
        : order === 'AMOUNT_DESC'
          ? { loanAmount: 'desc', id: 'asc' }
          : { submittedAt: 'desc', id: 'desc' };
    const [items, total] = await this.em.findAndCount(ApplicationRecord, where, { orderBy: orderBy as never, limit, offset });
    return { items, total };
  }

  /**
   * Stores a new application and the events it causes in one transaction.
   * When another request with the same (tenant, externalId) won the race, the
   * transaction rolls back and the winner is returned as `existing`.
   */
  async insertWithEvents(
    data: Omit<ApplicationRecord, 'id' | 'updatedAt'>,
    stageEvents: (em: EntityManager, record: ApplicationRecord) => void,
  ): Promise<{ created: ApplicationRecord } | { existing: ApplicationRecord }> {
    try {
      const created = await this.em.transactional(async (tx) => {
        const record = tx.create(ApplicationRecord, { ...data, id: randomUUID(), updatedAt: new Date() });
        stageEvents(tx, record);
        return record;
      });
      return { created };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      this.em.clear();
      const existing = await this.findByExternalId(data.tenantId, data.externalId);
      if (!existing) throw err;
      return { existing };
    }
  }

  /**
   * Moves an application to `to` if its status is one of `allowedFrom` (the lifecycle's rule, see
   * statusesThatMayBecome); returns the change, or null. One statement, where it was a locked read of the
   * whole application and a write: every decision moves one. The row is locked first (FOR UPDATE in the
   * CTE), so two consumers moving the same application serialise, and the second sees the first's status.
   */
  async transition(
    tenantId: string,
    id: string,
    to: ApplicationStatus,
    allowedFrom: readonly ApplicationStatus[],
  ): Promise<{ id: string; tenantId: string; status: ApplicationStatus; submittedAt: Date; from: ApplicationStatus } | null> {
    const moving = allowedFrom.filter((s) => s !== to);
    if (!isUuid(id) || moving.length === 0) return null;
    const table = schemaTable(this.em, 'applications');
    // Prepared (planned once per connection, one text per number of allowed statuses): every decision runs it.
    const rows = await executePrepared<{ from_status: ApplicationStatus; submitted_at: Date }>(
      this.em,
      `WITH held AS (SELECT id, status FROM ${table} WHERE id = $1 AND tenant_id = $2 FOR UPDATE)
       UPDATE ${table} AS a SET status = $3, updated_at = $4 FROM held
       WHERE a.id = held.id AND held.status IN (${moving.map((_, i) => `$${i + 5}`).join(', ')})
       RETURNING held.status AS from_status, a.submitted_at`,
      [id, tenantId, to, new Date(), ...moving],
    );
    // Past the unit of work: an entity of this application loaded earlier in `em` would not see the move
    // (consumers load none; each handler starts with an empty identity map).
    const row = rows[0];
    return row ? { id, tenantId, status: to, submittedAt: new Date(row.submitted_at), from: row.from_status } : null;
  }
}
