import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid, type NotificationCreated, NotificationTopic, recordEvent } from '@tandem/platform';
import DataLoader from 'dataloader';
import type { NotificationKind } from '../domain/notifications.js';
import { NotificationRecord } from './notification.entity.js';

export interface NewNotification {
  tenantId: string;
  recipientId: string;
  kind: NotificationKind;
  message: string;
  entryId?: string | null;
  applicationId?: string | null;
}

/**
 * Stages a notification and its notification.created event in the caller's
 * transaction, so it exists exactly when the change that caused it does.
 */
export function stageNotification(em: EntityManager, n: NewNotification, now: Date, requestId?: string): NotificationRecord {
  const record = em.create(NotificationRecord, {
    id: randomUUID(),
    tenantId: n.tenantId,
    recipientId: n.recipientId,
    kind: n.kind,
    message: n.message,
    entryId: n.entryId ?? null,
    applicationId: n.applicationId ?? null,
    createdAt: now,
    readAt: null,
  });
  em.persist(record);
  const payload: NotificationCreated = {
    notificationId: record.id,
    recipientId: record.recipientId,
    kind: record.kind,
    entryId: record.entryId ?? null,
    applicationId: record.applicationId ?? null,
    createdAt: now.toISOString(),
  };
  recordEvent(em, 'queue', NotificationTopic.NotificationCreated, n.tenantId, payload, requestId);
  return record;
}

/** A user's notifications: every method takes the tenant and the recipient; nobody reads anyone else's. */
export class NotificationRepository {
  constructor(private readonly em: EntityManager) {}

  async listForRecipient(tenantId: string, recipientId: string, unreadOnly: boolean, limit: number, offset: number) {
    const where = { tenantId, recipientId, ...(unreadOnly ? { readAt: null } : {}) };
    const [items, total] = await this.em.findAndCount(NotificationRecord, where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit, offset });
    const unread = unreadOnly ? total : await this.em.count(NotificationRecord, { tenantId, recipientId, readAt: null });
    return { items, total, unread };
  }

  /** Batches `notification(id)` look-ups of one request; someone else's notification is null. */
  loader(tenantId: string, recipientId: string): DataLoader<string, NotificationRecord | null> {
    return new DataLoader(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length ? await this.em.find(NotificationRecord, { tenantId, recipientId, id: { $in: valid } }) : [];
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  /** Marks the recipient's notification read (once; a repeat keeps the first time). Null when it is not theirs. */
  async markRead(tenantId: string, recipientId: string, id: string, now: Date): Promise<NotificationRecord | null> {
    if (!isUuid(id)) return null;
    const record = await this.em.findOne(NotificationRecord, { tenantId, recipientId, id });
    if (!record) return null;
    if (!record.readAt) {
      record.readAt = now;
      await this.em.flush();
    }
    return record;
  }
}
