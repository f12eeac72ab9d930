import { issueAccessToken, MemoryRevocationList, permissionsForRole } from '@tandem/platform';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS, callerFromAuthorization } from './caller-auth.js';

const secret = 'gateway-test-secret-long-enough-0000000';

describe('callerFromAuthorization', () => {
  it('treats no header as anonymous (login, OAuth)', async () => {
    expect(await callerFromAuthorization(undefined, secret)).toBe(ANONYMOUS);
  });
  it('reads a valid bearer token', async () => {
    const token = await issueAccessToken(
      { sub: 'u1', tenantId: 'demo', kind: 'user', role: 'analyst', permissions: permissionsForRole('analyst') },
      secret,
      60,
    );
    expect(await callerFromAuthorization(`Bearer ${token}`, secret)).toMatchObject({ id: 'u1', tenantId: 'demo', kind: 'user' });
  });
  it('answers UNAUTHENTICATED with HTTP 401 for a bad, foreign or malformed token', async () => {
    const foreign = await issueAccessToken({ sub: 'u1', tenantId: 'demo', kind: 'user', role: 'admin', permissions: [] }, `${secret}-other`, 60);
    for (const header of ['Bearer nope', `Bearer ${foreign}`, 'Basic abc', 'Bearer']) {
      await expect(callerFromAuthorization(header, secret)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
    }
  });
});

describe('revoked access tokens', () => {
  it('are refused once their session is revoked, or when issued before a revocation of their user; others stay valid', async () => {
    const revocations = new MemoryRevocationList();
    const issue = (sessionId: string) =>
      issueAccessToken({ sub: 'u2', tenantId: 'demo', kind: 'user', role: 'analyst', permissions: [], sessionId }, secret, 60);
    const [a, b] = [await issue('s-a'), await issue('s-b')];
    await revocations.revokeSession('s-a', 60);
    await expect(callerFromAuthorization(`Bearer ${a}`, secret, revocations)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(await callerFromAuthorization(`Bearer ${b}`, secret, revocations)).toMatchObject({ id: 'u2' });

    await new Promise((r) => setTimeout(r, 5));
    await revocations.revokeUserTokensBefore('u2', new Date(), 60);
    await expect(callerFromAuthorization(`Bearer ${b}`, secret, revocations)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    await new Promise((r) => setTimeout(r, 5));
    expect(await callerFromAuthorization(`Bearer ${await issue('s-c')}`, secret, revocations)).toMatchObject({ id: 'u2' });
  });
});
