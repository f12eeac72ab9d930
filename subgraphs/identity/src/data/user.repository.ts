import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Caller, isUniqueViolation } from '@tandem/platform';
import DataLoader from 'dataloader';
import { auditUserAccessChanged, auditUserCreated, type UserAccess, type UserAccessAction } from '../events/identity-audit.js';
import { UserRecord } from './user.entity.js';

/** Who makes a change, for the audit trail. */
export interface AuditedBy {
  actor: Pick<Caller, 'kind' | 'id'>;
  requestId?: string;
}

export interface NewUserRecord {
  email: string;
  name: string;
  role: string;
  passwordHash: string;
}

/**
 * Users belong to a tenant, and every method that reads or writes on behalf
 * of a signed-in caller takes it. The two exceptions are the sign-in paths
 * (`findForLogin`, `findForSession`), which run before any tenant is known:
 * the credential itself (email + password, refresh token) identifies the
 * user, and the tenant comes from the row.
 */
export class UserRepository {
  constructor(private readonly em: EntityManager) {}

  findById(tenantId: string, id: string): Promise<UserRecord | null> {
    return this.em.findOne(UserRecord, { id, tenantId });
  }

  /** Batches `id` look-ups of one request (federated references) into one query, within the tenant. */
  loader(tenantId: string): DataLoader<string, UserRecord | null> {
    return new DataLoader(async (ids) => {
      const rows = await this.em.find(UserRecord, { tenantId, id: { $in: [...ids] } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  /** Sign-in by email (normalised), with the password hash loaded. Emails are unique across tenants. */
  findForLogin(normalisedEmail: string): Promise<UserRecord | null> {
    return this.em.findOne(UserRecord, { email: normalisedEmail }, { populate: ['passwordHash'] });
  }

  /** The user behind a refresh token. */
  findForSession(userId: string): Promise<UserRecord | null> {
    return this.em.findOne(UserRecord, { id: userId });
  }

  /** Whether an email is taken in any tenant (for seeding; creation relies on the unique index). */
  async emailExists(normalisedEmail: string): Promise<boolean> {
    return (await this.em.count(UserRecord, { email: normalisedEmail })) > 0;
  }

  /** Creates a user in the tenant, audited in the same flush; null when the email is already taken (in any tenant). */
  async create(tenantId: string, data: NewUserRecord, by: AuditedBy): Promise<UserRecord | null> {
    const record = this.em.create(UserRecord, {
      ...data,
      id: randomUUID(),
      tenantId,
      grants: [],
      revocations: [],
      active: true,
      createdAt: new Date(),
    });
    auditUserCreated(this.em, record, by.actor, by.requestId);
    try {
      await this.em.flush();
      return record;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      this.em.clear();
      return null;
    }
  }

  /**
   * Changes what a user may do (role, grants, revocations, active) within the
   * tenant, audited as `action` in the same flush; null when no such user there.
   */
  async updateAccess(tenantId: string, id: string, changes: Partial<UserAccess>, action: UserAccessAction, by: AuditedBy): Promise<UserRecord | null> {
    const record = await this.em.findOne(UserRecord, { id, tenantId });
    if (!record) return null;
    const before = Object.fromEntries(Object.keys(changes).map((k) => [k, structuredClone(record[k as keyof UserAccess])])) as Partial<UserAccess>;
    Object.assign(record, changes);
    auditUserAccessChanged(this.em, record, before, action, by.actor, by.requestId);
    await this.em.flush();
    return record;
  }
}
