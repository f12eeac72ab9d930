import { describe, expect, it } from 'vitest';
import { Permission, verifyAccessToken } from '@tandem/platform';
import { hashRefreshToken } from './refresh-token.js';
import { TokenIssuer } from './token-issuer.js';

const secret = 'a-test-secret-that-is-long-enough-0000';
const issuer = new TokenIssuer({ jwtSecret: secret, accessTokenTtlSeconds: 900, refreshTokenTtlSeconds: 3600 });

describe('TokenIssuer', () => {
  it('issues user tokens the platform verifies, with tenant, role and permissions', async () => {
    const grant = await issuer.forUser({ id: 'u-1', tenantId: 'demo', role: 'analyst', permissions: [Permission.QueueView] }, 'session-1');
    expect(grant.expiresIn).toBe(900);
    expect(await verifyAccessToken(grant.accessToken, secret)).toEqual({
      kind: 'user', id: 'u-1', tenantId: 'demo', role: 'analyst', permissions: [Permission.QueueView],
    });
    expect(await verifyAccessToken(grant.accessToken, `${secret}-other`)).toBeNull();
  });
  it('issues client tokens with the client id as subject', async () => {
    const grant = await issuer.forClient({ clientId: 'demo-partner', tenantId: 'demo', role: 'api_consumer', permissions: [Permission.ApplicationCreate] });
    expect(await verifyAccessToken(grant.accessToken, secret)).toMatchObject({ kind: 'client', id: 'demo-partner', tenantId: 'demo' });
  });
  it('issues refresh tokens with their hash and expiry', () => {
    const now = new Date('2026-11-22T12:00:00Z');
    const r = issuer.newRefreshToken(now);
    expect(r.tokenHash).toBe(hashRefreshToken(r.token));
    expect(r.expiresAt.getTime() - now.getTime()).toBe(3600_000);
  });
});
