import type { EntityManager } from '@mikro-orm/postgresql';
import { type Caller, recordAudit } from '@tandem/platform';
import type { ApiClientRecord } from '../data/api-client.entity.js';
import type { UserRecord } from '../data/user.entity.js';

/**
 * The identity subgraph's entries in the graph's audit trail, each staged in
 * the transaction (or before the flush) of the change it records. Password
 * and secret hashes never enter it; a user's email is masked by the platform
 * and their name here (`piiFields`), so the trail says what changed without
 * saying who the person is.
 */
const SOURCE = 'identity';
type Actor = Pick<Caller, 'kind' | 'id'>;

/** What the trail records of a user: identity (masked) and access. */
export function userAuditSnapshot(u: UserRecord) {
  return { email: u.email, name: u.name, role: u.role, grants: [...u.grants], revocations: [...u.revocations], active: u.active };
}

export type UserAccess = Pick<UserRecord, 'role' | 'grants' | 'revocations' | 'active'>;
export type UserAccessAction = 'ROLE_CHANGED' | 'PERMISSIONS_CHANGED' | 'DEACTIVATED';

export function auditUserCreated(em: EntityManager, u: UserRecord, actor: Actor, requestId?: string): void {
  recordAudit(em, {
    source: SOURCE,
    tenantId: u.tenantId,
    actor,
    entityType: 'User',
    entityId: u.id,
    action: 'CREATED',
    oldValue: null,
    newValue: userAuditSnapshot(u),
    piiFields: ['name'],
    requestId,
    occurredAt: u.createdAt,
  });
}

/** A change of what the user may do: old and new hold the access fields the change touched. */
export function auditUserAccessChanged(
  em: EntityManager,
  u: UserRecord,
  before: Partial<UserAccess>,
  action: UserAccessAction,
  actor: Actor,
  requestId?: string,
): void {
  const after = Object.fromEntries(Object.keys(before).map((k) => [k, u[k as keyof UserAccess]]));
  recordAudit(em, {
    source: SOURCE,
    tenantId: u.tenantId,
    actor,
    entityType: 'User',
    entityId: u.id,
    action,
    oldValue: before,
    newValue: after,
    requestId,
  });
}

/** What the trail records of an API client: never its secret (hash). */
export function apiClientAuditSnapshot(c: ApiClientRecord) {
  return { clientId: c.clientId, name: c.name, role: c.role, active: c.active, rotatedAt: c.rotatedAt ?? null };
}

export function auditApiClientCreated(em: EntityManager, c: ApiClientRecord, actor: Actor, requestId?: string): void {
  recordAudit(em, {
    source: SOURCE,
    tenantId: c.tenantId,
    actor,
    entityType: 'ApiClient',
    entityId: c.clientId,
    action: 'CREATED',
    oldValue: null,
    newValue: apiClientAuditSnapshot(c),
    requestId,
    occurredAt: c.createdAt,
  });
}

/** The secret was replaced: recorded as the rotation instant, never as the secret. */
export function auditApiClientSecretRotated(em: EntityManager, c: ApiClientRecord, rotatedBefore: Date | null, actor: Actor, requestId?: string): void {
  recordAudit(em, {
    source: SOURCE,
    tenantId: c.tenantId,
    actor,
    entityType: 'ApiClient',
    entityId: c.clientId,
    action: 'SECRET_ROTATED',
    oldValue: { rotatedAt: rotatedBefore },
    newValue: { rotatedAt: c.rotatedAt ?? null },
    requestId,
    occurredAt: c.rotatedAt ?? undefined,
  });
}

/** Why a session (a refresh-token family) ended. */
export type SessionEnd = 'LOGGED_OUT' | 'REVOKED_TOKEN_REUSE' | 'REVOKED_USER_INACTIVE';

/** A session ended: the user logged out, or the graph revoked it (a refresh token presented twice, a deactivated user). */
export function auditSessionRevoked(
  em: EntityManager,
  session: { tenantId: string; familyId: string; userId: string },
  action: SessionEnd,
  revokedAt: Date,
  requestId?: string,
): void {
  recordAudit(em, {
    source: SOURCE,
    tenantId: session.tenantId,
    // Logout is the user's own act (their refresh token is the credential); a revocation is the graph's.
    actor: action === 'LOGGED_OUT' ? { kind: 'user', id: session.userId } : { kind: 'system', id: 'identity:session-revocation' },
    entityType: 'Session',
    entityId: session.familyId,
    action,
    oldValue: { userId: session.userId, revokedAt: null },
    newValue: { userId: session.userId, revokedAt },
    requestId,
    occurredAt: revokedAt,
  });
}
