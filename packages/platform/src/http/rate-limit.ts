import { Redis } from 'ioredis';

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
}

export interface RateLimiter {
  hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitVerdict>;
  close(): Promise<void>;
}

function verdict(count: number, limit: number, windowStartMs: number, windowSeconds: number, nowMs: number): RateLimitVerdict {
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStartMs + windowSeconds * 1000 - nowMs) / 1000));
  return { allowed: count <= limit, retryAfterSeconds, remaining: Math.max(0, limit - count) };
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

  async close(): Promise<void> {
    this.windows.clear();
  }

  private prune(currentStart: number) {
    this.lastPrune = this.now();
    for (const [k, w] of this.windows) if (w.start < currentStart) this.windows.delete(k);
  }
}

export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;

  constructor(redisUrl: string) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
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

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

export function createRateLimiter(redisUrl?: string): RateLimiter {
  return redisUrl ? new RedisRateLimiter(redisUrl) : new MemoryRateLimiter();
}
