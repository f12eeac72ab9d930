import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid, lockForTransaction } from '@tandem/platform';
import DataLoader from 'dataloader';
import { ScoreRecord } from './score.entity.js';
import { ShadowScoreRecord } from './shadow-score.entity.js';

/** All access to scores goes through here, and every method takes the tenant. */
export class ScoreRepository {
  constructor(private readonly em: EntityManager) {}

  findByApplicationId(tenantId: string, applicationId: string): Promise<ScoreRecord | null> {
    if (!isUuid(applicationId)) return Promise.resolve(null);
    return this.em.findOne(ScoreRecord, { tenantId, applicationId });
  }

  findById(tenantId: string, id: string): Promise<ScoreRecord | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.em.findOne(ScoreRecord, { tenantId, id });
  }

  /** The challengers' shadow scores of one application, oldest first. */
  shadowScores(tenantId: string, applicationId: string): Promise<ShadowScoreRecord[]> {
    if (!isUuid(applicationId)) return Promise.resolve([]);
    return this.em.find(ShadowScoreRecord, { tenantId, applicationId }, { orderBy: { scoredAt: 'asc', modelVersion: 'asc' } });
  }

  /** Batches the score look-ups of one request (Application.scoring) into one query. */
  loaderByApplication(tenantId: string): DataLoader<string, ScoreRecord | null> {
    return new DataLoader(async (applicationIds) => {
      const ids = applicationIds.filter((id) => isUuid(id));
      const rows = ids.length ? await this.em.find(ScoreRecord, { tenantId, applicationId: { $in: ids } }) : [];
      const byApplication = new Map(rows.map((r) => [r.applicationId, r]));
      return applicationIds.map((id) => byApplication.get(id) ?? null);
    });
  }

  /**
   * Serialises the scorings of one application until the transaction ends: a
   * second scorer waits, then finds the first one's committed score.
   */
  async lockApplication(tenantId: string, applicationId: string): Promise<void> {
    await lockForTransaction(this.em, `scores:${tenantId}:${applicationId}`);
  }

  /**
   * Stages a new score in the entity manager's transaction. The unique
   * (tenant, application) constraint is the last guard against a second score.
   */
  add(data: Omit<ScoreRecord, 'id'>): ScoreRecord {
    const record = this.em.create(ScoreRecord, { ...data, id: randomUUID() });
    this.em.persist(record);
    return record;
  }
}
