import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { ApiClientRecord } from './api-client.entity.js';

/**
 * API clients belong to a tenant; every management method takes it. Only
 * `findForAuthentication` does not: the token request names no tenant, the
 * client id and secret identify the client and the row gives the tenant.
 */
export class ApiClientRepository {
  constructor(private readonly em: EntityManager) {}

  findByClientId(tenantId: string, clientId: string): Promise<ApiClientRecord | null> {
    return this.em.findOne(ApiClientRecord, { tenantId, clientId });
  }

  /** The client with its secret hash loaded, for the client-credentials grant. */
  findForAuthentication(clientId: string): Promise<ApiClientRecord | null> {
    return this.em.findOne(ApiClientRecord, { clientId }, { populate: ['secretHash'] });
  }

  async clientIdExists(clientId: string): Promise<boolean> {
    return (await this.em.count(ApiClientRecord, { clientId })) > 0;
  }

  /** Creates a client in the tenant; null when the client id is already taken. */
  async create(tenantId: string, data: { clientId: string; name: string; secretHash: string; role?: string }): Promise<ApiClientRecord | null> {
    const record = this.em.create(ApiClientRecord, {
      id: randomUUID(),
      tenantId,
      clientId: data.clientId,
      name: data.name,
      secretHash: data.secretHash,
      role: data.role ?? 'api_consumer',
      active: true,
      createdAt: new Date(),
      rotatedAt: null,
    });
    try {
      await this.em.flush();
      return record;
    } catch (err) {
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      this.em.clear();
      return null;
    }
  }

  /** Replaces the secret of a client of this tenant; the old one stops working at once. Null when no such client. */
  async rotateSecret(tenantId: string, clientId: string, secretHash: string, now: Date): Promise<ApiClientRecord | null> {
    const record = await this.findByClientId(tenantId, clientId);
    if (!record) return null;
    record.secretHash = secretHash;
    record.rotatedAt = now;
    await this.em.flush();
    return record;
  }
}
