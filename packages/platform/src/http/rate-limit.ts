import { Redis } from 'ioredis';
import { createLogger } from '../logging/logger.js';

const log = createLogger('rate-limit');

/**
 * Fixed-window request limits per key (a user, an API client, an address).
 * Redis when REDIS_URL is set, so every gateway process counts against the
 * same budget; in memory otherwise.
 */
export interface RateLimitVerdict {
  allowed: boolean;
  /** Seconds until the current window ends: the Retry-After hint when refused. */
  retryAfterSeconds: number;
  remaining: number;
  /** The window this hit was counted in: what release() takes back from. */
  windowStartMs: number;
}

export interface RateLimiter {
  hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitVerdict>;
  /**
   * Takes one hit back from the window it was counted in (no-op once that
   * window is over). Budgets that count only failures hit first, so parallel
   * attempts cannot all slip through, and release the ones that succeeded.
   */
  release(key: string, windowStartMs: number): Promise<void>;
  /** Whether the store answers (readiness): always for memory, a PING for Redis. */
  reachable(): Promise<boolean>;
  close(): Promise<void>;
}

function verdict(count: number, limit: number, windowStartMs: number, windowSeconds: number, nowMs: number): RateLimitVerdict {
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStartMs + windowSeconds * 1000 - nowMs) / 1000));
  return { allowed: count <= limit, retryAfterSeconds, remaining: Math.max(0, limit - count), windowStartMs };
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private lastPrune = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitVerdict> {
    const now = this.now();
    const windowMs = windowSeconds * 1000;
    const start = Math.floor(now / windowMs) * windowMs;
    if (now - this.lastPrune > windowMs) this.prune(start);
    const w = this.windows.get(key);
    const current = w && w.start === start ? w : { start, count: 0 };
    current.count++;
    this.windows.set(key, current);
    return verdict(current.count, limit, start, windowSeconds, now);
  }

  async release(key: string, windowStartMs: number): Promise<void> {
    const w = this.windows.get(key);
    if (w && w.start === windowStartMs && w.count > 0) w.count--;
  }

  async reachable(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.windows.clear();
  }

  private prune(currentStart: number) {
    this.lastPrune = this.now();
    for (const [k, w] of this.windows) if (w.start < currentStart) this.windows.delete(k);
  }
}

const RELEASE_SCRIPT =
  "if redis.call('exists', KEYS[1]) == 1 and tonumber(redis.call('get', KEYS[1])) > 0 then return redis.call('decr', KEYS[1]) end return 0";

export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;

  constructor(redisUrl: string) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
    // ioredis reconnects by itself; without a listener each failed attempt is an "Unhandled error event" on stderr.
    this.redis.on('error', (err) => log.warn({ err: err.message }, 'rate-limit Redis unreachable'));
  }

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitVerdict> {
    const now = Date.now();
    const windowMs = windowSeconds * 1000;
    const start = Math.floor(now / windowMs) * windowMs;
    const redisKey = `tandem:ratelimit:${key}:${start}`;
    const [[, count]] = (await this.redis
      .multi()
      .incr(redisKey)
      .pexpire(redisKey, windowMs + 1000)
      .exec()) as [[Error | null, number]];
    return verdict(Number(count), limit, start, windowSeconds, now);
  }

  async release(key: string, windowStartMs: number): Promise<void> {
    // Only an existing window's counter: a DECR on an expired key would create one without expiry.
    await this.redis.eval(RELEASE_SCRIPT, 1, `tandem:ratelimit:${key}:${windowStartMs}`);
  }

  async reachable(timeoutMs = 1_000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    const answer = await Promise.race([this.redis.ping().catch(() => null), timeout]);
    clearTimeout(timer);
    return answer === 'PONG';
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

export function createRateLimiter(redisUrl?: string): RateLimiter {
  return redisUrl ? new RedisRateLimiter(redisUrl) : new MemoryRateLimiter();
}
