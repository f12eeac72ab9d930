import { Redis } from 'ioredis';

/**
 * Access tokens are stateless JWTs that live 15 minutes; this list is how a
 * logout, a reused refresh token or a change to a user's permissions takes
 * effect at once. Identity writes it; the gateway reads it on every request.
 * Redis when REDIS_URL is set (every gateway process sees a revocation on
 * its next request), else one list per process (identity and the gateway
 * share the process then).
 */
export interface RevocationList {
  /** The session (refresh-token family) is over: its access tokens stop working. */
  revokeSession(sessionId: string, ttlSeconds: number): Promise<void>;
  /** Access tokens of this user issued before `at` stop working (permissions changed, user deactivated). */
  revokeUserTokensBefore(userId: string, at: Date, ttlSeconds: number): Promise<void>;
  isRevoked(token: { sessionId?: string; userId?: string; issuedAtMs: number }): Promise<boolean>;
  close(): Promise<void>;
}

const sessionKey = (id: string) => `tandem:revoked:session:${id}`;
const userKey = (id: string) => `tandem:revoked:user:${id}`;

export class MemoryRevocationList implements RevocationList {
  private readonly sessions = new Map<string, number>();
  private readonly users = new Map<string, { notBeforeMs: number; expiresAtMs: number }>();

  async revokeSession(sessionId: string, ttlSeconds: number): Promise<void> {
    this.prune();
    this.sessions.set(sessionId, Date.now() + ttlSeconds * 1000);
  }

  async revokeUserTokensBefore(userId: string, at: Date, ttlSeconds: number): Promise<void> {
    this.prune();
    this.users.set(userId, { notBeforeMs: at.getTime(), expiresAtMs: Date.now() + ttlSeconds * 1000 });
  }

  async isRevoked(token: { sessionId?: string; userId?: string; issuedAtMs: number }): Promise<boolean> {
    const now = Date.now();
    if (token.sessionId && (this.sessions.get(token.sessionId) ?? 0) > now) return true;
    const user = token.userId ? this.users.get(token.userId) : undefined;
    return !!user && user.expiresAtMs > now && token.issuedAtMs < user.notBeforeMs;
  }

  async close(): Promise<void> {}

  private prune() {
    const now = Date.now();
    for (const [k, exp] of this.sessions) if (exp <= now) this.sessions.delete(k);
    for (const [k, v] of this.users) if (v.expiresAtMs <= now) this.users.delete(k);
  }
}

export class RedisRevocationList implements RevocationList {
  private readonly redis: Redis;

  constructor(redisUrl: string) {
    this.redis = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
  }

  async revokeSession(sessionId: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(sessionKey(sessionId), '1', 'EX', Math.max(1, Math.ceil(ttlSeconds)));
  }

  async revokeUserTokensBefore(userId: string, at: Date, ttlSeconds: number): Promise<void> {
    await this.redis.set(userKey(userId), String(at.getTime()), 'EX', Math.max(1, Math.ceil(ttlSeconds)));
  }

  async isRevoked(token: { sessionId?: string; userId?: string; issuedAtMs: number }): Promise<boolean> {
    const [session, notBefore] = await this.redis.mget(
      token.sessionId ? sessionKey(token.sessionId) : 'tandem:revoked:none',
      token.userId ? userKey(token.userId) : 'tandem:revoked:none',
    );
    if (session) return true;
    return notBefore !== null && token.issuedAtMs < Number(notBefore);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

const processList = new MemoryRevocationList();

/** Redis-backed when a URL is given; otherwise the process-wide in-memory list (close() leaves it open for the others). */
export function createRevocationList(redisUrl?: string): RevocationList {
  return redisUrl ? new RedisRevocationList(redisUrl) : processList;
}
