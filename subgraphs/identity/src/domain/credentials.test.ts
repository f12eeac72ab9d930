import { describe, expect, it } from 'vitest';
import { hashSecret, newClientId, newClientSecret, verifyAgainstDummy, verifySecret } from './credentials.js';

describe('secret hashing', () => {
  it('stores argon2id and verifies only the right secret', async () => {
    const stored = await hashSecret('correct horse battery');
    expect(stored.startsWith('$argon2id$')).toBe(true);
    expect(stored).not.toContain('correct horse');
    expect(await verifySecret(stored, 'correct horse battery')).toBe(true);
    expect(await verifySecret(stored, 'correct horse batterY')).toBe(false);
  });
  it('treats a malformed stored hash as a mismatch', async () => {
    expect(await verifySecret('not-a-hash', 'anything')).toBe(false);
  });
  it('the dummy verification never succeeds', async () => {
    expect(await verifyAgainstDummy('')).toBe(false);
    expect(await verifyAgainstDummy('tandem-demo')).toBe(false);
  });
});

describe('client credentials', () => {
  it('are random', () => {
    expect(newClientId()).toMatch(/^client-[\w-]{12}$/);
    expect(newClientId()).not.toBe(newClientId());
    expect(newClientSecret().length).toBeGreaterThanOrEqual(43);
  });
});
