import type { EntityManager } from '@mikro-orm/postgresql';
import { isUniqueViolation } from '@tandem/platform';
import DataLoader from 'dataloader';
import { TenantRecord } from './tenant.entity.js';

/** Tenants are keyed by their own id, so every read is already scoped to exactly one tenant. */
export class TenantRepository {
  constructor(private readonly em: EntityManager) {}

  findById(tenantId: string): Promise<TenantRecord | null> {
    return this.em.findOne(TenantRecord, { id: tenantId });
  }

  /** Batches the tenant look-ups of one request (User.tenant on every user of a list). */
  loader(): DataLoader<string, TenantRecord | null> {
    return new DataLoader(async (ids) => {
      const rows = await this.em.find(TenantRecord, { id: { $in: [...ids] } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  /** Creates the tenant unless it exists; safe when two processes seed at once. */
  async ensure(tenantId: string, name: string): Promise<void> {
    if (await this.findById(tenantId)) return;
    try {
      await this.em.insert(TenantRecord, { id: tenantId, name, createdAt: new Date() });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }
}
