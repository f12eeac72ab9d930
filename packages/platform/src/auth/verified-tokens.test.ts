import { afterEach, describe, expect, it, vi } from 'vitest';
import { VerifiedTokens } from './verified-tokens.js';

describe('VerifiedTokens', () => {
  afterEach(() => vi.useRealTimers());

  it('remembers a token only for the secret it was checked with, and only until it expires', () => {
    vi.useFakeTimers({ now: 1_000 });
    const tokens = new VerifiedTokens<string>();
    tokens.set('t', 'secret-a', 'alice', 2_000);
    expect(tokens.get('t', 'secret-a')).toBe('alice');
    expect(tokens.get('t', 'secret-b')).toBeUndefined();
    expect(tokens.get('other', 'secret-a')).toBeUndefined();
    vi.setSystemTime(2_000);
    expect(tokens.get('t', 'secret-a')).toBeUndefined();
  });

  it('forgets the oldest token when full', () => {
    const tokens = new VerifiedTokens<number>(2);
    const later = Date.now() + 60_000;
    tokens.set('a', 's', 1, later);
    tokens.set('b', 's', 2, later);
    tokens.set('c', 's', 3, later);
    expect([tokens.get('a', 's'), tokens.get('b', 's'), tokens.get('c', 's')]).toEqual([undefined, 2, 3]);
  });
});
