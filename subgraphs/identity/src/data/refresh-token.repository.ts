import { randomUUID } from 'node:crypto';
import { type EntityManager, LockMode } from '@mikro-orm/postgresql';
import { assessRefreshToken, type RefreshVerdict } from '../domain/refresh-token.js';
import { auditSessionRevoked, type SessionEnd } from '../events/identity-audit.js';
import { RefreshTokenRecord } from './refresh-token.entity.js';
import { UserRecord } from './user.entity.js';

export interface StoredRefreshToken {
  tokenHash: string;
  expiresAt: Date;
}

export type RotationResult =
  | { verdict: 'valid'; user: UserRecord; familyId: string }
  | { verdict: 'reused' | 'user_inactive'; familyId: string }
  | { verdict: Exclude<RefreshVerdict, 'valid' | 'reused'> | 'unknown' };

/**
 * Refresh tokens are found by the hash of the presented token, which is the
 * credential: they are not read on behalf of a tenant, and nothing here lists
 * them.
 */
export class RefreshTokenRepository {
  constructor(private readonly em: EntityManager) {}

  /** Starts a new family (a login) with its first token. */
  async startFamily(userId: string, first: StoredRefreshToken): Promise<string> {
    const familyId = randomUUID();
    await this.em.insert(RefreshTokenRecord, {
      id: randomUUID(),
      familyId,
      userId,
      tokenHash: first.tokenHash,
      expiresAt: first.expiresAt,
      createdAt: new Date(),
    });
    return familyId;
  }

  /**
   * Presents a token: when valid, marks it rotated and stores `next` in the
   * same family; when it was already rotated (reuse), revokes the whole
   * family. Both commit before the verdict is returned, so a refused request
   * still leaves the family revoked. The row lock makes two concurrent
   * presentations of one token serialise: the second one is reuse.
   */
  rotate(tokenHash: string, now: Date, next: StoredRefreshToken, requestId?: string): Promise<RotationResult> {
    return this.em.transactional(async (tx): Promise<RotationResult> => {
      const token = await tx.findOne(RefreshTokenRecord, { tokenHash }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!token) return { verdict: 'unknown' };
      const verdict = assessRefreshToken(token, now);
      if (verdict === 'reused') {
        await revokeFamily(tx, token.familyId, now);
        await auditRevocation(tx, token, 'REVOKED_TOKEN_REUSE', now, requestId);
        return { verdict, familyId: token.familyId };
      }
      if (verdict !== 'valid') return { verdict };
      const user = await tx.findOne(UserRecord, { id: token.userId });
      if (!user?.active) {
        await revokeFamily(tx, token.familyId, now);
        await auditRevocation(tx, token, 'REVOKED_USER_INACTIVE', now, requestId);
        return { verdict: 'user_inactive', familyId: token.familyId };
      }
      token.rotatedAt = now;
      tx.create(RefreshTokenRecord, {
        id: randomUUID(),
        familyId: token.familyId,
        userId: token.userId,
        tokenHash: next.tokenHash,
        expiresAt: next.expiresAt,
        createdAt: now,
      });
      return { verdict: 'valid', user, familyId: token.familyId };
    });
  }

  /** Logout: revokes the family of the presented token, audited in the same transaction; its id, or null when the token is not known. */
  revokeFamilyOf(tokenHash: string, now: Date, requestId?: string): Promise<string | null> {
    return this.em.transactional(async (tx) => {
      const token = await tx.findOne(RefreshTokenRecord, { tokenHash });
      if (!token) return null;
      await revokeFamily(tx, token.familyId, now);
      await auditRevocation(tx, token, 'LOGGED_OUT', now, requestId);
      return token.familyId;
    });
  }

  /** Every session of a user ends (deactivation): their refresh tokens stop working. */
  revokeAllOfUser(userId: string, now: Date): Promise<number> {
    return this.em.nativeUpdate(RefreshTokenRecord, { userId, revokedAt: null }, { revokedAt: now });
  }

  /** Drops tokens that expired before `before`: they can no longer be used, nor meaningfully reused. */
  purgeExpired(before: Date): Promise<number> {
    return this.em.nativeDelete(RefreshTokenRecord, { expiresAt: { $lt: before } });
  }
}

/** Stages the session's end in the trail of its user's tenant (a token of a deleted user has no tenant left to audit in). */
async function auditRevocation(tx: EntityManager, token: RefreshTokenRecord, action: SessionEnd, now: Date, requestId?: string): Promise<void> {
  const user = await tx.findOne(UserRecord, { id: token.userId }, { fields: ['id', 'tenantId'] });
  if (!user) return;
  auditSessionRevoked(tx, { tenantId: user.tenantId, familyId: token.familyId, userId: token.userId }, action, now, requestId);
}

function revokeFamily(em: EntityManager, familyId: string, now: Date): Promise<number> {
  return em.nativeUpdate(RefreshTokenRecord, { familyId, revokedAt: null }, { revokedAt: now });
}
