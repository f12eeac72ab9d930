import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { lockForTransaction } from '@tandem/platform';
import { ModelDeploymentRecord, ModelRegistryAuditRecord, ModelVersionRecord } from './model-version.entity.js';

export type RegistryAction = 'REGISTER' | 'PROMOTE' | 'ROLLBACK' | 'SET_CHALLENGER' | 'CLEAR_CHALLENGER';

/** A tenant's registered model versions, its champion/challenger and the audit of both; every method takes the tenant. */
export class ModelRegistryRepository {
  constructor(private readonly em: EntityManager) {}

  findVersion(tenantId: string, name: string, version: string): Promise<ModelVersionRecord | null> {
    return this.em.findOne(ModelVersionRecord, { tenantId, name, version });
  }

  /** With the lazy columns needed to open and monitor the model. */
  findVersionWithArtefacts(tenantId: string, name: string, version: string): Promise<ModelVersionRecord | null> {
    return this.em.findOne(ModelVersionRecord, { tenantId, name, version }, { populate: ['onnx'] as never });
  }

  versions(tenantId: string, name?: string | null): Promise<ModelVersionRecord[]> {
    return this.em.find(ModelVersionRecord, name ? { tenantId, name } : { tenantId }, { orderBy: { name: 'asc', registeredAt: 'asc' } });
  }

  deployment(tenantId: string, name: string): Promise<ModelDeploymentRecord | null> {
    return this.em.findOne(ModelDeploymentRecord, { tenantId, name });
  }

  deployments(tenantId: string): Promise<ModelDeploymentRecord[]> {
    return this.em.find(ModelDeploymentRecord, { tenantId });
  }

  /** Every tenant's deployments: for the process itself (opening served models at start), never for a caller. */
  deploymentsOfEveryTenant(): Promise<ModelDeploymentRecord[]> {
    return this.em.find(ModelDeploymentRecord, {});
  }

  /** Serialises registry writes of one tenant's model until the transaction ends. */
  async lock(tenantId: string, name: string): Promise<void> {
    await lockForTransaction(this.em, `model_registry:${tenantId}:${name}`);
  }

  addVersion(data: ModelVersionRecord): ModelVersionRecord {
    const record = this.em.create(ModelVersionRecord, data);
    this.em.persist(record);
    return record;
  }

  /** The deployment row, created empty on first use (staged, flushed with the transaction). */
  async deploymentForUpdate(tenantId: string, name: string): Promise<ModelDeploymentRecord> {
    const existing = await this.deployment(tenantId, name);
    if (existing) return existing;
    const created = this.em.create(ModelDeploymentRecord, {
      tenantId,
      name,
      championVersion: null,
      challengerVersion: null,
      previousChampions: [],
      updatedAt: new Date(),
    });
    this.em.persist(created);
    return created;
  }

  audit(tenantId: string, action: RegistryAction, name: string, version: string | null, actor: string, details: Record<string, unknown> = {}): void {
    this.em.persist(this.em.create(ModelRegistryAuditRecord, { id: randomUUID(), tenantId, action, name, version, actor, details, at: new Date() }));
  }

  auditLog(tenantId: string, limit: number): Promise<ModelRegistryAuditRecord[]> {
    return this.em.find(ModelRegistryAuditRecord, { tenantId }, { orderBy: { at: 'desc' }, limit });
  }
}
