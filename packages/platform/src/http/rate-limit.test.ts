import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { MemoryRateLimiter, type RateLimiter, RedisRateLimiter } from './rate-limit.js';

describe('rate limiters', () => {
  it('memory: counts per key in fixed windows, with the seconds left as the retry hint', async () => {
    let now = 120_000;
    const limiter = new MemoryRateLimiter(() => now);
    expect(await limiter.hit('a', 2, 60)).toEqual({ allowed: true, retryAfterSeconds: 60, remaining: 1, windowStartMs: 120_000 });
    now += 15_000;
    expect((await limiter.hit('a', 2, 60)).allowed).toBe(true);
    expect(await limiter.hit('a', 2, 60)).toEqual({ allowed: false, retryAfterSeconds: 45, remaining: 0, windowStartMs: 120_000 });
    expect((await limiter.hit('b', 2, 60)).allowed).toBe(true);
    now = 180_000; // the next window
    expect((await limiter.hit('a', 2, 60)).allowed).toBe(true);
  });

  it('memory: release takes a hit back from its own window only', async () => {
    let now = 120_000;
    const limiter = new MemoryRateLimiter(() => now);
    const first = await limiter.hit('a', 1, 60);
    await limiter.release('a', first.windowStartMs);
    expect((await limiter.hit('a', 1, 60)).allowed).toBe(true);
    expect((await limiter.hit('a', 1, 60)).allowed).toBe(false);
    await limiter.release('a', 60_000); // an older window: nothing changes
    expect((await limiter.hit('a', 1, 60)).allowed).toBe(false);
    now = 180_000;
    await limiter.release('a', first.windowStartMs); // that window is over
    expect((await limiter.hit('a', 1, 60)).remaining).toBe(0);
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
      expect(await a.reachable()).toBe(true);
      // A release through either process frees one place for both.
      await a.release(key, refused.windowStartMs);
      await a.release(key, refused.windowStartMs);
      expect((await b.hit(key, 3, 60)).allowed).toBe(true);
      // Releasing a window that never existed creates nothing (no key without expiry).
      await a.release(`${key}:fresh`, refused.windowStartMs);
      expect((await a.hit(`${key}:fresh`, 1, 60)).remaining).toBe(0);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('redis: an unreachable Redis is reported, not waited on', async () => {
    const limiter = new RedisRateLimiter('redis://127.0.0.1:1');
    try {
      expect(await limiter.reachable(300)).toBe(false);
    } finally {
      await limiter.close();
    }
  });
});
