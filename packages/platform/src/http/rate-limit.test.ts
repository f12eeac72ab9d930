import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { MemoryRateLimiter, type RateLimiter, RedisRateLimiter } from './rate-limit.js';

describe('rate limiters', () => {
  it('memory: counts per key in fixed windows, with the seconds left as the retry hint', async () => {
    let now = 120_000;
    const limiter = new MemoryRateLimiter(() => now);
    expect(await limiter.hit('a', 2, 60)).toEqual({ allowed: true, retryAfterSeconds: 60, remaining: 1 });
    now += 15_000;
    expect((await limiter.hit('a', 2, 60)).allowed).toBe(true);
    expect(await limiter.hit('a', 2, 60)).toEqual({ allowed: false, retryAfterSeconds: 45, remaining: 0 });
    expect((await limiter.hit('b', 2, 60)).allowed).toBe(true);
    now = 180_000; // the next window
    expect((await limiter.hit('a', 2, 60)).allowed).toBe(true);
  });

  it('redis: two limiters (two gateway processes) share one budget', async () => {
    const url = inject('redisUrl');
    expect(url, 'the test infrastructure starts Redis').toBeTruthy();
    const [a, b]: RateLimiter[] = [new RedisRateLimiter(url), new RedisRateLimiter(url)];
    try {
      const key = `test:${randomUUID()}`;
      expect((await a.hit(key, 3, 60)).allowed).toBe(true);
      expect((await b.hit(key, 3, 60)).allowed).toBe(true);
      expect((await a.hit(key, 3, 60)).allowed).toBe(true);
      const refused = await b.hit(key, 3, 60);
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
