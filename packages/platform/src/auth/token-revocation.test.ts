import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { MemoryRevocationList, RedisRevocationList, type RevocationList } from './token-revocation.js';

async function behavesAsARevocationList(writer: RevocationList, reader: RevocationList) {
  const session = randomUUID();
  const user = randomUUID();
  const issued = Date.now() - 1_000;
  expect(await reader.isRevoked({ sessionId: session, userId: user, issuedAtMs: issued })).toBe(false);
  await writer.revokeSession(session, 60);
  expect(await reader.isRevoked({ sessionId: session, userId: user, issuedAtMs: issued })).toBe(true);
  expect(await reader.isRevoked({ sessionId: randomUUID(), userId: user, issuedAtMs: issued })).toBe(false);
  await writer.revokeUserTokensBefore(user, new Date(issued + 500), 60);
  expect(await reader.isRevoked({ sessionId: randomUUID(), userId: user, issuedAtMs: issued })).toBe(true);
  expect(await reader.isRevoked({ sessionId: randomUUID(), userId: user, issuedAtMs: issued + 600 })).toBe(false);
  expect(await reader.isRevoked({ issuedAtMs: issued })).toBe(false);
  // Many at once (more than one MGET's worth), answered in order, each as isRevoked answers it.
  const many = Array.from({ length: 1_203 }, (_, i) =>
    i % 3 === 0
      ? { sessionId: session, issuedAtMs: issued }
      : i % 3 === 1
        ? { sessionId: randomUUID(), userId: user, issuedAtMs: i % 2 ? issued : issued + 600 }
        : { sessionId: randomUUID(), userId: randomUUID(), issuedAtMs: issued },
  );
  const answers = await reader.whichRevoked(many);
  expect(answers).toEqual(await Promise.all(many.map((t) => reader.isRevoked(t))));
  expect(answers.slice(0, 6)).toEqual([true, true, false, true, false, false]);
  expect(await reader.whichRevoked([])).toEqual([]);
}

describe('revocation lists', () => {
  it('memory: sessions and users-before-a-time', async () => {
    const list = new MemoryRevocationList();
    await behavesAsARevocationList(list, list);
  });

  it('redis: what one process revokes, another sees on its next check', async () => {
    const url = inject('redisUrl');
    expect(url, 'the test infrastructure starts Redis').toBeTruthy();
    const identity = new RedisRevocationList(url);
    const gateway = new RedisRevocationList(url);
    try {
      await behavesAsARevocationList(identity, gateway);
    } finally {
      await identity.close();
      await gateway.close();
    }
  });
});
