import { type AuditRecorded, AuditTopic, type Caller, type EventEnvelope, Topic, verifyAccessToken } from '@tandem/platform';
import { startSubgraphForTest } from '@tandem/platform/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { identitySubgraph } from '../src/server.js';

const anonymous: Caller = { kind: 'anonymous', permissions: [] };
const LOGIN = 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken refreshToken user { id } } }';
const REFRESH = 'mutation($t: String!) { refreshToken(refreshToken: $t) { refreshToken } }';
const LOGOUT = 'mutation($t: String!) { logout(refreshToken: $t) }';
const CREATE_USER = 'mutation($input: CreateUserInput!) { createUser(input: $input) { id } }';
const SET_PERMS = 'mutation($u: ID!, $g: [String!]!, $r: [String!]!) { setUserPermissions(userId: $u, grants: $g, revocations: $r) { id } }';
const SET_ROLE = 'mutation($u: ID!, $role: String!) { setUserRole(userId: $u, role: $role) { id } }';
const DEACTIVATE = 'mutation($u: ID!) { deactivateUser(userId: $u) { id } }';
const CREATE_CLIENT = 'mutation($name: String!) { createApiClient(name: $name) { clientId clientSecret } }';
const ROTATE_CLIENT = 'mutation($id: String!) { rotateApiClientSecret(clientId: $id) { clientId clientSecret } }';

type Any = any;

describe('identity subgraph: audit trail', () => {
  let sg: Awaited<ReturnType<typeof startSubgraphForTest>>;
  beforeAll(async () => {
    sg = await startSubgraphForTest(identitySubgraph, inject('databaseUrl'));
  });
  afterAll(async () => sg?.close());

  const audits = () => sg.published.filter((e) => e.type === AuditTopic.AuditRecorded).map((e) => e as unknown as EventEnvelope<AuditRecorded>);
  const auditsOf = (entityId: string) =>
    audits()
      .filter((e) => e.payload.entityId === entityId)
      .map((e) => e.payload);
  const codeOf = (res: { body: { errors?: { extensions?: { code?: string } }[] } }) => res.body.errors?.[0]?.extensions?.code;
  const signIn = async (email: string, password = 'tandem-demo') => {
    const { body } = await sg.call<Any>(anonymous, LOGIN, { email, password });
    expect(body.errors).toBeUndefined();
    const caller = (await verifyAccessToken(body.data.login.accessToken, sg.config.jwtSecret))!;
    return { caller, refreshToken: body.data.login.refreshToken as string, userId: body.data.login.user.id as string };
  };

  it('records user creation and every access change, masked, with the admin as actor; refused calls record nothing', async () => {
    const admin = (await signIn('admin@demo.test')).caller;
    const input = { email: 'audit.user@demo.test', name: 'Aud Itor', role: 'analyst', password: 'a long enough passphrase' };
    const before = audits().length;
    expect(codeOf(await sg.call<Any>(admin, CREATE_USER, { input: { ...input, password: 'short' } }))).toBe('BAD_USER_INPUT');
    const created = await sg.call<Any>(admin, CREATE_USER, { input });
    expect(created.body.errors).toBeUndefined();
    const userId = created.body.data.createUser.id as string;
    expect(codeOf(await sg.call<Any>(admin, CREATE_USER, { input }))).toBe('CONFLICT'); // the email is taken: rolled back with the insert
    expect(codeOf(await sg.call<Any>(admin, SET_ROLE, { u: userId, role: 'root' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await sg.call<Any>(admin, DEACTIVATE, { u: admin.id }))).toBe('BAD_USER_INPUT');

    expect((await sg.call<Any>(admin, SET_ROLE, { u: userId, role: 'senior_analyst' })).body.errors).toBeUndefined();
    expect((await sg.call<Any>(admin, SET_PERMS, { u: userId, g: ['queue:assign'], r: [] })).body.errors).toBeUndefined();
    expect((await sg.call<Any>(admin, DEACTIVATE, { u: userId })).body.errors).toBeUndefined();

    await expect.poll(() => auditsOf(userId).map((a) => a.action)).toEqual(['CREATED', 'ROLE_CHANGED', 'PERMISSIONS_CHANGED', 'DEACTIVATED']);
    expect(audits().length - before).toBe(4); // nothing from the refused calls
    const [createdAudit, roleAudit, permsAudit, deactivatedAudit] = auditsOf(userId);
    for (const a of auditsOf(userId)) expect(a).toMatchObject({ entityType: 'User', actor: { kind: 'user', id: admin.id } });
    expect(createdAudit).toMatchObject({
      oldValue: null,
      newValue: { email: '[masked]', name: '[masked]', role: 'analyst', grants: [], revocations: [], active: true },
    });
    expect(JSON.stringify(createdAudit)).not.toMatch(/argon2|passwordHash|Aud Itor|audit\.user/);
    expect(roleAudit).toMatchObject({ oldValue: { role: 'analyst' }, newValue: { role: 'senior_analyst' } });
    expect(roleAudit.changes).toEqual([{ path: 'role', kind: 'CHANGED', from: 'analyst', to: 'senior_analyst' }]);
    expect(permsAudit).toMatchObject({ oldValue: { grants: [], revocations: [] }, newValue: { grants: ['queue:assign'], revocations: [] } });
    expect(deactivatedAudit).toMatchObject({ oldValue: { active: true }, newValue: { active: false } });
  });

  it('records API client creation and secret rotation, never the secret', async () => {
    const admin = (await signIn('admin@demo.test')).caller;
    const before = audits().length;
    expect(codeOf(await sg.call<Any>(admin, CREATE_CLIENT, { name: ' ' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await sg.call<Any>(admin, ROTATE_CLIENT, { id: 'no-such-client' }))).toBe('NOT_FOUND');
    const created = (await sg.call<Any>(admin, CREATE_CLIENT, { name: 'Audit Broker' })).body.data.createApiClient;
    const rotated = (await sg.call<Any>(admin, ROTATE_CLIENT, { id: created.clientId })).body.data.rotateApiClientSecret;

    await expect.poll(() => auditsOf(created.clientId).map((a) => a.action)).toEqual(['CREATED', 'SECRET_ROTATED']);
    expect(audits().length - before).toBe(2);
    const [createdAudit, rotatedAudit] = auditsOf(created.clientId);
    expect(createdAudit).toMatchObject({
      entityType: 'ApiClient',
      actor: { kind: 'user', id: admin.id },
      oldValue: null,
      newValue: { clientId: created.clientId, name: 'Audit Broker', role: 'api_consumer', active: true, rotatedAt: null },
    });
    expect(rotatedAudit).toMatchObject({ entityType: 'ApiClient', oldValue: { rotatedAt: null }, newValue: { rotatedAt: expect.any(String) } });
    // Announced once (the refused calls and the rotation announce nothing), without the secret.
    const announced = sg.published.filter((e) => e.type === Topic.ApiClientRegistered && (e.payload as { clientId?: string }).clientId === created.clientId);
    expect(announced.map((e) => [e.tenantId, e.payload])).toEqual([['demo', { clientId: created.clientId, name: 'Audit Broker' }]]);
    const trail = JSON.stringify(auditsOf(created.clientId));
    expect(trail).not.toContain(created.clientSecret);
    expect(trail).not.toContain(rotated.clientSecret);
    expect(trail).not.toMatch(/argon2|secretHash/);
  });

  it('records logout (by the user) and a refresh-token reuse revocation (by the system) as Session entries', async () => {
    const before = audits().length;
    expect((await sg.call<Any>(anonymous, LOGOUT, { t: 'unknown' })).body.data.logout).toBe(false);
    const out = await signIn('analyst@demo.test');
    expect((await sg.call<Any>(anonymous, LOGOUT, { t: out.refreshToken })).body.data.logout).toBe(true);

    const reused = await signIn('analyst2@demo.test');
    expect((await sg.call<Any>(anonymous, REFRESH, { t: reused.refreshToken })).body.errors).toBeUndefined();
    expect(codeOf(await sg.call<Any>(anonymous, REFRESH, { t: reused.refreshToken }))).toBe('UNAUTHENTICATED');

    const sessions = () =>
      audits()
        .slice(before)
        .map((e) => e.payload)
        .filter((a) => a.entityType === 'Session');
    await expect.poll(() => sessions().map((a) => a.action)).toEqual(['LOGGED_OUT', 'REVOKED_TOKEN_REUSE']);
    expect(audits().length - before).toBe(2); // the unknown token recorded nothing
    const [logout, reuse] = sessions();
    expect(logout).toMatchObject({
      actor: { kind: 'user', id: out.userId },
      oldValue: { userId: out.userId, revokedAt: null },
      newValue: { userId: out.userId },
    });
    expect(reuse).toMatchObject({ actor: { kind: 'system' }, newValue: { userId: reused.userId, revokedAt: expect.any(String) } });
    expect(audits().find((e) => e.payload === reuse)?.tenantId).toBe('demo');
    expect(JSON.stringify(sessions())).not.toContain(out.refreshToken);
  });
});
