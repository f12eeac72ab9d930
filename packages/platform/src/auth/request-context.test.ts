import { describe, expect, it } from 'vitest';
import { issueAccessToken, verifyAccessToken } from './access-token.js';
import { permissionsForRole } from './permissions.js';
import { signInternalContext, verifyInternalContext } from './request-context.js';

const secret = 'a-test-secret-that-is-long-enough-000000';

describe('internal context', () => {
  it('round-trips the caller and request id, and rejects another secret or a tampered token', async () => {
    const caller = { kind: 'user' as const, id: 'u1', tenantId: 'demo', role: 'analyst', permissions: permissionsForRole('analyst') };
    const token = await signInternalContext(caller, secret, 'req-1');
    expect(await verifyInternalContext(token, secret)).toEqual({ caller, requestId: 'req-1' });
    expect(await verifyInternalContext(token, `${secret}x`)).toBeNull();
    const [h, p, s] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), caller: { ...caller, permissions: ['user:manage'] } }),
    ).toString('base64url');
    expect(await verifyInternalContext(`${h}.${forged}.${s}`, secret)).toBeNull();
  });

  it('answers a token seen before from memory, still only for its own secret, and each answer is a copy', async () => {
    const caller = { kind: 'user' as const, id: 'u2', tenantId: 'demo', role: 'analyst', permissions: permissionsForRole('analyst') };
    const token = await signInternalContext(caller, secret, 'req-2');
    const first = await verifyInternalContext(token, secret);
    first?.caller.permissions.push('user:manage' as never);
    expect(await verifyInternalContext(token, secret)).toEqual({ caller, requestId: 'req-2' });
    expect(await verifyInternalContext(token, `${secret}x`)).toBeNull();
  });
});

describe('access tokens', () => {
  it('carry tenant, role and permissions, and expire', async () => {
    const token = await issueAccessToken(
      { sub: 'u1', tenantId: 'demo', kind: 'user', role: 'analyst', permissions: permissionsForRole('analyst') },
      secret,
      60,
    );
    expect(await verifyAccessToken(token, secret)).toMatchObject({ kind: 'user', id: 'u1', tenantId: 'demo', role: 'analyst' });
    const expired = await issueAccessToken({ sub: 'u1', tenantId: 'demo', kind: 'user', role: 'analyst', permissions: [] }, secret, -10);
    expect(await verifyAccessToken(expired, secret)).toBeNull();
  });
  it('role permissions: grants add, revocations remove', () => {
    expect(permissionsForRole('analyst')).not.toContain('decision:approve_override');
    expect(permissionsForRole('analyst', ['decision:approve_override'], ['queue:view'])).toEqual(expect.arrayContaining(['decision:approve_override']));
    expect(permissionsForRole('analyst', [], ['queue:view'])).not.toContain('queue:view');
  });
});

describe('permission requirements', () => {
  it('need every requirement, and any one of the alternatives within one', async () => {
    const { anyOf, meetsRequirements } = await import('./auth-checker.js');
    expect(anyOf('application:create', 'config:manage')).toBe('application:create|config:manage');
    expect(meetsRequirements(['application:create'], [anyOf('application:create', 'config:manage')])).toBe(true);
    expect(meetsRequirements(['queue:view'], [anyOf('application:create', 'config:manage')])).toBe(false);
    expect(meetsRequirements(['queue:view'], ['queue:view', 'queue:assign'])).toBe(false);
    expect(meetsRequirements(['queue:view'], [])).toBe(true);
  });
});
