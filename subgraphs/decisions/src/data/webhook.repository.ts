import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { schemaTable } from '@tandem/platform';
import type { WebhookEventType } from '../domain/webhook-signing.js';
import { isDecisionId } from './decision.repository.js';
import { WebhookDeliveryRecord, WebhookEndpointRecord } from './workflow.entities.js';

/** A delivery claimed for one attempt. */
export interface ClaimedDelivery {
  id: string;
  tenantId: string;
  clientId: string;
  eventType: string;
  body: string;
  attempts: number;
  url: string | null;
  secret: string | null;
}

/**
 * Partner webhook endpoints and deliveries. Tenant-owned methods take the
 * tenant; only the delivery job's claim/record work across tenants, as the
 * outbox relay does, because it drains one table for everyone.
 */
export class WebhookRepository {
  /** `knownClientIds`: the tenant's clients with an endpoint, when the caller's transaction has already read them (under its lock). */
  constructor(
    private readonly em: EntityManager,
    private readonly knownClientIds?: readonly string[],
  ) {}

  private get partnerClients(): string {
    return schemaTable(this.em, 'partner_clients');
  }

  /** Identity announced this API client in this tenant (a redelivery changes nothing). */
  async registerClient(tenantId: string, clientId: string, name: string): Promise<void> {
    await this.em.execute(`INSERT INTO ${this.partnerClients} (tenant_id, client_id, name) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, [
      tenantId,
      clientId,
      name,
    ]);
  }

  /** Whether the tenant has this API client, as far as identity's announcements have arrived. */
  async hasClient(tenantId: string, clientId: string): Promise<boolean> {
    const rows = await this.em.execute(`SELECT 1 FROM ${this.partnerClients} WHERE tenant_id = ? AND client_id = ?`, [tenantId, clientId]);
    return rows.length > 0;
  }

  async setEndpoint(tenantId: string, clientId: string, url: string, secret: string, now: Date): Promise<WebhookEndpointRecord> {
    const current = await this.em.findOne(WebhookEndpointRecord, { tenantId, clientId });
    if (current) {
      Object.assign(current, { url, secret, updatedAt: now });
      await this.em.flush();
      return current;
    }
    const created = this.em.create(WebhookEndpointRecord, { tenantId, clientId, url, secret, createdAt: now, updatedAt: now });
    await this.em.flush();
    return created;
  }

  findEndpoint(tenantId: string, clientId: string): Promise<WebhookEndpointRecord | null> {
    return this.em.findOne(WebhookEndpointRecord, { tenantId, clientId });
  }

  /**
   * Writes one delivery per endpoint of the tenant, in the caller's
   * transaction: a notice exists exactly when the change it reports commits.
   * Every API client of the tenant is told (the lender's systems share its
   * applications).
   */
  async stageDeliveries(
    tenantId: string,
    eventType: WebhookEventType,
    data: Record<string, unknown> | (() => Promise<Record<string, unknown>>),
    at: Date,
  ): Promise<number> {
    // Every decision asks, and only the client ids are needed: a plain read, not entities to hydrate and track.
    const clientIds =
      this.knownClientIds ??
      (await this.em.execute<{ client_id: string }[]>(`SELECT client_id FROM ${this.table('webhook_endpoints')} WHERE tenant_id = ?`, [tenantId])).map(
        (e) => e.client_id,
      );
    if (clientIds.length === 0) return 0;
    // Built only when someone listens: a tenant without webhooks pays one indexed look-up per change.
    const payload = typeof data === 'function' ? await data() : data;
    for (const clientId of clientIds) {
      const id = randomUUID();
      const body = JSON.stringify({ id, type: eventType, tenantId, createdAt: at.toISOString(), data: payload });
      this.em.create(WebhookDeliveryRecord, {
        id,
        tenantId,
        clientId,
        eventType,
        body,
        status: 'PENDING',
        attempts: 0,
        nextAttemptAt: at,
        createdAt: at,
      });
    }
    return clientIds.length;
  }

  /**
   * Claims due deliveries for one attempt each: pushes their next attempt
   * past a lease so that a crashed sender's claim is retried after it, and
   * other processes skip them meanwhile (SKIP LOCKED). The endpoint is read
   * now, so a changed URL or secret applies to the next attempt.
   */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const rows = await this.em.execute<
      { id: string; tenant_id: string; client_id: string; event_type: string; body: string; attempts: number; url: string | null; secret: string | null }[]
    >(
      `WITH due AS (
         SELECT id FROM ${this.table('webhook_deliveries')} WHERE status = 'PENDING' AND next_attempt_at <= now()
         ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE ${this.table('webhook_deliveries')} d SET next_attempt_at = now() + (? || ' milliseconds')::interval
         FROM due WHERE d.id = due.id
         RETURNING d.id, d.tenant_id, d.client_id, d.event_type, d.body, d.attempts)
       SELECT c.*, e.url, e.secret FROM claimed c
       LEFT JOIN ${this.table('webhook_endpoints')} e ON e.tenant_id = c.tenant_id AND e.client_id = c.client_id`,
      [limit, String(leaseMs)],
    );
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      clientId: r.client_id,
      eventType: r.event_type,
      body: r.body,
      attempts: r.attempts,
      url: r.url,
      secret: r.secret,
    }));
  }

  async recordDelivered(id: string, statusCode: number, at: Date): Promise<void> {
    await this.em.execute(
      `UPDATE ${this.table('webhook_deliveries')} SET status = 'DELIVERED', attempts = attempts + 1, last_status_code = ?, last_error = NULL, delivered_at = ?
       WHERE id = ? AND status = 'PENDING'`,
      [statusCode, at, id],
    );
  }

  /** A failed attempt: retry at `retryAt`, or dead-letter when null. */
  async recordFailed(id: string, statusCode: number | null, error: string, retryAt: Date | null, at: Date): Promise<void> {
    await this.em.execute(
      `UPDATE ${this.table('webhook_deliveries')} SET attempts = attempts + 1, last_status_code = ?, last_error = ?,
         status = CASE WHEN ?::timestamptz IS NULL THEN 'DEAD' ELSE status END,
         next_attempt_at = COALESCE(?::timestamptz, next_attempt_at),
         dead_at = CASE WHEN ?::timestamptz IS NULL THEN ?::timestamptz ELSE NULL END
       WHERE id = ? AND status = 'PENDING'`,
      [statusCode, error.slice(0, 1_000), retryAt, retryAt, retryAt, at, id],
    );
  }

  private table(name: string): string {
    return schemaTable(this.em, name);
  }

  /** Dead letters of the tenant, newest first; of one client when given. */
  async deadLetters(tenantId: string, clientId: string | null, offset: number, limit: number): Promise<{ items: WebhookDeliveryRecord[]; total: number }> {
    const [items, total] = await this.em.findAndCount(
      WebhookDeliveryRecord,
      { tenantId, status: 'DEAD', ...(clientId ? { clientId } : {}) },
      { orderBy: { deadAt: 'desc', id: 'asc' }, offset, limit },
    );
    return { items, total };
  }

  findDelivery(tenantId: string, id: string): Promise<WebhookDeliveryRecord | null> {
    if (!isDecisionId(id)) return Promise.resolve(null);
    return this.em.findOne(WebhookDeliveryRecord, { tenantId, id });
  }

  /** Puts a dead letter back in line with a fresh set of attempts; false when it is not (or no longer) dead. */
  async replay(tenantId: string, id: string, now: Date): Promise<boolean> {
    if (!isDecisionId(id)) return false;
    const changed = await this.em.nativeUpdate(
      WebhookDeliveryRecord,
      { tenantId, id, status: 'DEAD' },
      { status: 'PENDING', attempts: 0, nextAttemptAt: now, deadAt: null, lastError: null },
    );
    return changed > 0;
  }
}
