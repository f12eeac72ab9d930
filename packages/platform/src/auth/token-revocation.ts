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
  isRevoked(token: RevocationQuery): Promise<boolean>;
  /** The same for many tokens in one round trip (a gateway re-checking its open connections), answers in order. */
  whichRevoked(tokens: readonly RevocationQuery[]): Promise<boolean[]>;
  close(): Promise<void>;
}

/** What the list is asked about an access token: its session, its user (for users), and when it was issued. */
export interface RevocationQuery {
  sessionId?: string;
  userId?: string;
  issuedAtMs: number;
}

/** Keys per MGET: a round for thousands of open connections is a few commands, none of them huge. */
const MGET_KEYS = 1_000;

const sessionKey = (id: string) => `tandem:revoked:session:${id}`;
const userKey = (id: string) => `tandem:revoked:user:${id}`;
/** Never written: asked in place of a key a token does not have. */
const NO_KEY = 'tandem:revoked:none';

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

  async isRevoked(token: RevocationQuery): Promise<boolean> {
    const now = Date.now();
    if (token.sessionId && (this.sessions.get(token.sessionId) ?? 0) > now) return true;
    const user = token.userId ? this.users.get(token.userId) : undefined;
    return !!user && user.expiresAtMs > now && token.issuedAtMs < user.notBeforeMs;
  }

  whichRevoked(tokens: readonly RevocationQuery[]): Promise<boolean[]> {
    return Promise.all(tokens.map((t) => this.isRevoked(t)));
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

  async isRevoked(token: RevocationQuery): Promise<boolean> {
    return (await this.whichRevoked([token]))[0]!;
  }

  async whichRevoked(tokens: readonly RevocationQuery[]): Promise<boolean[]> {
    // Two keys per token (its session, its user), fetched together.
    const keys = tokens.flatMap((t) => [t.sessionId ? sessionKey(t.sessionId) : NO_KEY, t.userId ? userKey(t.userId) : NO_KEY]);
    const values: (string | null)[] = [];
    for (let i = 0; i < keys.length; i += MGET_KEYS) values.push(...(await this.redis.mget(...keys.slice(i, i + MGET_KEYS))));
    return tokens.map((t, i) => {
      const [session, notBefore] = [values[2 * i], values[2 * i + 1]];
      return !!session || (notBefore != null && t.issuedAtMs < Number(notBefore));
    });
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
