import { describe, expect, it } from 'vitest';
import { issueAccessToken, permissionsForRole } from '@tandem/platform';
import { ANONYMOUS, callerFromAuthorization } from './caller-auth.js';

const secret = 'gateway-test-secret-long-enough-0000000';

describe('callerFromAuthorization', () => {
  it('treats no header as anonymous (login, OAuth)', async () => {
    expect(await callerFromAuthorization(undefined, secret)).toBe(ANONYMOUS);
  });
  it('reads a valid bearer token', async () => {
    const token = await issueAccessToken({ sub: 'u1', tenantId: 'demo', kind: 'user', role: 'analyst', permissions: permissionsForRole('analyst') }, secret, 60);
    expect(await callerFromAuthorization(`Bearer ${token}`, secret)).toMatchObject({ id: 'u1', tenantId: 'demo', kind: 'user' });
  });
  it('answers UNAUTHENTICATED with HTTP 401 for a bad, foreign or malformed token', async () => {
    const foreign = await issueAccessToken({ sub: 'u1', tenantId: 'demo', kind: 'user', role: 'admin', permissions: [] }, `${secret}-other`, 60);
    for (const header of ['Bearer nope', `Bearer ${foreign}`, 'Basic abc', 'Bearer']) {
      await expect(callerFromAuthorization(header, secret)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
    }
  });
});
