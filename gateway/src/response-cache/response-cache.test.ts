import { describe, expect, it } from 'vitest';
import { ResponseCache, stringifyResult } from './response-cache.js';

const options = { maxEntries: 3, maxBytes: 1_000, maxAgeMs: 10_000 };
/** A result and a serialised form of `bytes` characters. */
const result = (data: unknown, bytes = 10): [{ data: unknown }, string] => [{ data }, 'x'.repeat(bytes)];

describe('ResponseCache', () => {
  it('answers with what was stored until anything in the tenant changes', () => {
    const counted: string[] = [];
    const cache = new ResponseCache(options, Date.now, (result) => counted.push(result));
    const g = cache.generation('t1');
    expect(cache.set('k', 't1', g, ...result({ n: 1 }))).toBe(true);
    expect(cache.get('k', 't1')).toEqual({ data: { n: 1 } });
    cache.invalidateTenant('t2');
    expect(cache.get('k', 't1')).toEqual({ data: { n: 1 } });
    cache.invalidateTenant('t1');
    expect(cache.get('k', 't1')).toBeUndefined();
    expect(counted).toEqual(['stored', 'hit', 'hit', 'miss']);
    expect(cache.stats()).toEqual({ entries: 0, bytes: 0 });
  });

  it('refuses a response computed across a change: it may predate it', () => {
    const cache = new ResponseCache(options);
    const before = cache.generation('t1');
    cache.invalidateTenant('t1'); // an event arrives while the request executes
    expect(cache.set('k', 't1', before, ...result({ n: 'old' }))).toBe(false);
    expect(cache.get('k', 't1')).toBeUndefined();
  });

  it("never answers one tenant with another tenant's entry under the same key", () => {
    const cache = new ResponseCache(options);
    cache.set('k', 't1', 0, ...result({ n: 't1' }));
    expect(cache.get('k', 't2')).toBeUndefined();
  });

  it('forgets the least recently used entries beyond its entry and byte budgets', () => {
    const cache = new ResponseCache(options);
    for (const k of ['a', 'b', 'c']) cache.set(k, 't1', 0, ...result(k, 100));
    cache.get('a', 't1'); // a is now the most recent
    cache.set('d', 't1', 0, ...result('d', 100));
    expect(cache.get('b', 't1')).toBeUndefined();
    expect(cache.get('a', 't1')).toEqual({ data: 'a' });
    cache.set('big', 't1', 0, ...result('big', 900));
    expect(cache.stats().bytes).toBeLessThanOrEqual(1_000);
    expect(cache.get('big', 't1')).toEqual({ data: 'big' });
    expect(cache.set('huge', 't1', 0, ...result('huge', 1_001))).toBe(false);
  });

  it('treats entries older than maxAgeMs as misses, and does nothing when turned off', () => {
    let now = 0;
    const cache = new ResponseCache(options, () => now);
    cache.set('k', 't1', 0, ...result('v', 1));
    now = 10_001;
    expect(cache.get('k', 't1')).toBeUndefined();
    const off = new ResponseCache({ ...options, maxAgeMs: 0 });
    expect(off.enabled).toBe(false);
    expect(off.set('k', 't1', 0, ...result('v', 1))).toBe(false);
  });

  it('writes a cached page out as stored, and anything else as Apollo would', () => {
    const cache = new ResponseCache(options);
    const page = { data: { reviewQueue: { totalCount: 3 } } };
    cache.set('k', 't1', 0, page, '{"data":{"reviewQueue":{"totalCount":3}}}\n');
    // Apollo hands stringifyResult a new object around the same data.
    expect(stringifyResult({ errors: undefined, data: page.data, extensions: undefined })).toBe('{"data":{"reviewQueue":{"totalCount":3}}}\n');
    expect(stringifyResult({ data: { other: 1 } })).toBe('{"data":{"other":1}}\n');
    expect(stringifyResult({ errors: [{ message: 'x' }], data: page.data })).toBe(`${JSON.stringify({ errors: [{ message: 'x' }], data: page.data })}\n`);
  });
});
