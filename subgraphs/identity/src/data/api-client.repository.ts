import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type ApiClientRegistered, isUniqueViolation, recordEvent, Topic } from '@tandem/platform';
import { auditApiClientCreated, auditApiClientSecretRotated } from '../events/identity-audit.js';
import { ApiClientRecord } from './api-client.entity.js';
import type { AuditedBy } from './user.repository.js';

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

  /** Creates a client in the tenant, audited in the same flush; null when the client id is already taken. */
  async create(tenantId: string, data: { clientId: string; name: string; secretHash: string; role?: string }, by: AuditedBy): Promise<ApiClientRecord | null> {
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
    auditApiClientCreated(this.em, record, by.actor, by.requestId);
    recordEvent<ApiClientRegistered>(this.em, 'identity', Topic.ApiClientRegistered, tenantId, { clientId: record.clientId, name: record.name }, by.requestId);
    try {
      await this.em.flush();
      return record;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      this.em.clear();
      return null;
    }
  }

  /** Replaces the secret of a client of this tenant; the old one stops working at once. Null when no such client. */
  async rotateSecret(tenantId: string, clientId: string, secretHash: string, now: Date, by: AuditedBy): Promise<ApiClientRecord | null> {
    const record = await this.findByClientId(tenantId, clientId);
    if (!record) return null;
    const rotatedBefore = record.rotatedAt ?? null;
    record.secretHash = secretHash;
    record.rotatedAt = now;
    auditApiClientSecretRotated(this.em, record, rotatedBefore, by.actor, by.requestId);
    await this.em.flush();
    return record;
  }
}
