import { randomUUID } from 'node:crypto';
import { type EntityManager, type FilterQuery, LockMode, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { type ApplicationStatus, isUuid } from '@tandem/platform';
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
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      this.em.clear();
      const existing = await this.findByExternalId(data.tenantId, data.externalId);
      if (!existing) throw err;
      return { existing };
    }
  }

  /** Moves an application to a new status if the lifecycle allows it; returns the change, or null. */
  async transition(
    tenantId: string,
    id: string,
    to: ApplicationStatus,
    allowed: (from: ApplicationStatus, to: ApplicationStatus) => boolean,
  ): Promise<{ record: ApplicationRecord; from: ApplicationStatus } | null> {
    // Row lock: two consumers moving the same application serialise here.
    const record = await this.em.findOne(ApplicationRecord, { id, tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!record || record.status === to || !allowed(record.status, to)) return null;
    const from = record.status;
    record.status = to;
    return { record, from };
  }
}
