import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_TENANTS, Permission, readAccessToken, ROLE_PERMISSIONS, verifyAccessToken, type Caller, type SubgraphRuntime } from '@tandem/platform';
import type { IdentityServices } from '../src/domain/token-issuer.js';
import { startSubgraphForTest, testCaller } from '@tandem/platform/testing';
import { ApiClientRecord } from '../src/data/api-client.entity.js';
import { RefreshTokenRecord } from '../src/data/refresh-token.entity.js';
import { TenantRecord } from '../src/data/tenant.entity.js';
import { UserRecord } from '../src/data/user.entity.js';
import { hashRefreshToken } from '../src/domain/refresh-token.js';
import { purgeExpiredRefreshTokens } from '../src/jobs/purge-refresh-tokens.js';
import { identitySubgraph } from '../src/server.js';

const anonymous: Caller = { kind: 'anonymous', permissions: [] };

const USER_FIELDS = 'id email name role permissions tenant { id slug name }';
const LOGIN = `mutation($email: String!, $password: String!) {
  login(email: $email, password: $password) { accessToken refreshToken expiresIn user { ${USER_FIELDS} } } }`;
const REFRESH = `mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken expiresIn user { id email } } }`;
const LOGOUT = 'mutation($t: String!) { logout(refreshToken: $t) }';
const CLIENT_TOKEN = `mutation($id: String!, $secret: String!) {
  clientCredentialsToken(clientId: $id, clientSecret: $secret) { accessToken tokenType expiresIn } }`;
const CREATE_USER = `mutation($input: CreateUserInput!) { createUser(input: $input) { ${USER_FIELDS} } }`;
const CREATE_CLIENT = 'mutation($name: String!) { createApiClient(name: $name) { clientId name clientSecret role createdAt rotatedAt } }';
const ROTATE_CLIENT = 'mutation($id: String!) { rotateApiClientSecret(clientId: $id) { clientId clientSecret rotatedAt } }';
const ME = `{ me { ${USER_FIELDS} } }`;
const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id email name tenant { slug } } } }';

// biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are checked field by field
type Any = any;

describe('identity subgraph', () => {
  let sg: Awaited<ReturnType<typeof startSubgraphForTest>>;

  const login = (email: string, password = 'tandem-demo') => sg.call<Any>(anonymous, LOGIN, { email, password });
  /** Signs in and returns the caller the gateway would forward for the issued access token. */
  const signIn = async (email: string, password = 'tandem-demo') => {
    const { body } = await login(email, password);
    expect(body.errors).toBeUndefined();
    const caller = await verifyAccessToken(body.data.login.accessToken, sg.config.jwtSecret);
    if (!caller) throw new Error('issued token does not verify');
    return { caller, payload: body.data.login };
  };
  const clientToken = (id: string, secret: string) => sg.call<Any>(anonymous, CLIENT_TOKEN, { id, secret });

  beforeAll(async () => {
    sg = await startSubgraphForTest(identitySubgraph, inject('databaseUrl'));
  });
  afterAll(async () => sg?.close());

  describe('demo seed', () => {
    it('runs again without duplicating tenants, users or clients', async () => {
      const runtime: SubgraphRuntime = { config: sg.config, orm: sg.orm, bus: sg.bus, scheduler: undefined as never };
      await identitySubgraph.seedDemo?.(runtime, sg.services, DEMO_TENANTS);
      await identitySubgraph.seedDemo?.(runtime, sg.services, DEMO_TENANTS);
      const em = sg.orm.em.fork();
      expect(await em.count(TenantRecord, {})).toBe(2);
      expect((await em.find(UserRecord, {}, { orderBy: { email: 'asc' } })).map((u) => u.email)).toEqual([
        'admin@demo.test', 'analyst2@demo.test', 'analyst@acme.test', 'analyst@demo.test', 'readonly@demo.test', 'senior@demo.test',
      ]);
      expect((await em.find(ApiClientRecord, {})).map((c) => `${c.tenantId}/${c.clientId}`).sort()).toEqual(['acme/acme-partner', 'demo/demo-partner']);
      const stored = await em.findOneOrFail(UserRecord, { email: 'analyst@demo.test' }, { populate: ['passwordHash'] });
      expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    });
  });

  describe('login', () => {
    it('returns an access token the platform accepts, with tenant, role and permissions, and the user', async () => {
      const { body } = await login('  Analyst@Demo.TEST ');
      expect(body.errors).toBeUndefined();
      const payload = body.data.login;
      expect(payload.expiresIn).toBe(900);
      expect(payload.refreshToken).toEqual(expect.any(String));
      expect(payload.user).toMatchObject({
        email: 'analyst@demo.test', name: 'Ana Analyst', role: 'analyst', permissions: ROLE_PERMISSIONS.analyst,
        tenant: { id: 'demo', slug: 'demo', name: 'Demo Lender' },
      });
      const caller = await verifyAccessToken(payload.accessToken, sg.config.jwtSecret);
      expect(caller).toEqual({ kind: 'user', id: payload.user.id, tenantId: 'demo', role: 'analyst', permissions: ROLE_PERMISSIONS.analyst });
    });

    it('signs in users of other tenants to their own tenant', async () => {
      const { caller, payload } = await signIn('analyst@acme.test');
      expect(caller.tenantId).toBe('acme');
      expect(payload.user.tenant).toEqual({ id: 'acme', slug: 'acme', name: 'Acme Credit' });
    });

    it('answers a wrong password and an unknown email alike, with UNAUTHENTICATED', async () => {
      const wrongPassword = await login('analyst@demo.test', 'tandem-demo!');
      const unknownEmail = await login('nobody@demo.test', 'tandem-demo');
      for (const { body } of [wrongPassword, unknownEmail]) {
        expect(body.data).toBeNull();
        expect(body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      }
      expect(wrongPassword.body.errors?.[0].message).toBe(unknownEmail.body.errors?.[0].message);
      expect(wrongPassword.body.errors?.[0].message).toBe('Invalid email or password');
    });

    it('refuses a deactivated user with the same message', async () => {
      const admin = await signIn('admin@demo.test');
      const created = await sg.call<Any>(admin.caller, CREATE_USER, { input: { email: 'leaver@demo.test', name: 'Lee Leaver', role: 'analyst', password: 'a perfectly long password' } });
      await sg.orm.em.fork().nativeUpdate(UserRecord, { id: created.body.data.createUser.id }, { active: false });
      const { body } = await login('leaver@demo.test', 'a perfectly long password');
      expect(body.errors?.[0]).toMatchObject({ message: 'Invalid email or password', extensions: { code: 'UNAUTHENTICATED' } });
    });
  });

  describe('refresh tokens', () => {
    it('rotates: a refresh gives a new pair, and the old refresh token presented again revokes the whole session', async () => {
      const first = await signIn('senior@demo.test');
      const refreshed = await sg.call<Any>(anonymous, REFRESH, { t: first.payload.refreshToken });
      expect(refreshed.body.errors).toBeUndefined();
      const next = refreshed.body.data.refreshToken;
      expect(next.refreshToken).not.toBe(first.payload.refreshToken);
      expect(next.user.email).toBe('senior@demo.test');
      expect(await verifyAccessToken(next.accessToken, sg.config.jwtSecret)).toMatchObject({ tenantId: 'demo', role: 'senior_analyst' });

      // Someone replays the used token: refused, and the family is revoked…
      const replay = await sg.call<Any>(anonymous, REFRESH, { t: first.payload.refreshToken });
      expect(replay.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      // …so the legitimate holder's newer token stops working too.
      const afterReuse = await sg.call<Any>(anonymous, REFRESH, { t: next.refreshToken });
      expect(afterReuse.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('leaves other sessions of the same user alone when one is revoked', async () => {
      const a = await signIn('readonly@demo.test');
      const b = await signIn('readonly@demo.test');
      await sg.call(anonymous, REFRESH, { t: a.payload.refreshToken });
      await sg.call(anonymous, REFRESH, { t: a.payload.refreshToken }); // reuse: revokes session a
      const other = await sg.call<Any>(anonymous, REFRESH, { t: b.payload.refreshToken });
      expect(other.body.errors).toBeUndefined();
    });

    it('lets only one of two concurrent refreshes with the same token through, and treats the other as reuse', async () => {
      const s = await signIn('analyst2@demo.test');
      const results = await Promise.all([1, 2].map(() => sg.call<Any>(anonymous, REFRESH, { t: s.payload.refreshToken })));
      const winners = results.filter((r) => !r.body.errors);
      expect(winners).toHaveLength(1);
      const winnerNext = await sg.call<Any>(anonymous, REFRESH, { t: winners[0].body.data.refreshToken.refreshToken });
      expect(winnerNext.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('refuses unknown and expired tokens, and stores only hashes', async () => {
      const unknown = await sg.call<Any>(anonymous, REFRESH, { t: 'not-a-token' });
      expect(unknown.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

      const s = await signIn('analyst@demo.test');
      const em = sg.orm.em.fork();
      const row = await em.findOneOrFail(RefreshTokenRecord, { tokenHash: hashRefreshToken(s.payload.refreshToken) });
      expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeCloseTo(7 * 24 * 3600 * 1000, -4);
      expect(await em.count(RefreshTokenRecord, { tokenHash: s.payload.refreshToken })).toBe(0);
      await em.nativeUpdate(RefreshTokenRecord, { id: row.id }, { expiresAt: new Date(Date.now() - 1000) });
      const expired = await sg.call<Any>(anonymous, REFRESH, { t: s.payload.refreshToken });
      expect(expired.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('logout revokes the session; an unknown token answers false', async () => {
      const s = await signIn('analyst@demo.test');
      const out = await sg.call<Any>(anonymous, LOGOUT, { t: s.payload.refreshToken });
      expect(out.body.data.logout).toBe(true);
      const after = await sg.call<Any>(anonymous, REFRESH, { t: s.payload.refreshToken });
      expect(after.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect((await sg.call<Any>(anonymous, LOGOUT, { t: 'unknown' })).body.data.logout).toBe(false);
    });

    it('logout and refresh-token reuse put the session on the revocation list the gateway reads; other sessions stay valid', async () => {
      const { revocations } = sg.services as IdentityServices;
      const first = await signIn('senior@demo.test');
      const second = await signIn('senior@demo.test');
      const tokenOf = async (t: string) => (await readAccessToken(t, sg.config.jwtSecret))!;
      const firstToken = await tokenOf(first.payload.accessToken);
      expect(firstToken.sessionId).toBeTruthy();
      expect(await revocations.isRevoked({ sessionId: firstToken.sessionId, userId: first.caller.id, issuedAtMs: firstToken.issuedAtMs })).toBe(false);
      await sg.call<Any>(anonymous, LOGOUT, { t: first.payload.refreshToken });
      expect(await revocations.isRevoked({ sessionId: firstToken.sessionId, userId: first.caller.id, issuedAtMs: firstToken.issuedAtMs })).toBe(true);
      const secondToken = await tokenOf(second.payload.accessToken);
      expect(await revocations.isRevoked({ sessionId: secondToken.sessionId, userId: second.caller.id, issuedAtMs: secondToken.issuedAtMs })).toBe(false);

      const refreshed = await sg.call<Any>(anonymous, REFRESH, { t: second.payload.refreshToken });
      const refreshedToken = await tokenOf(refreshed.body.data.refreshToken.accessToken);
      expect(refreshedToken.sessionId).toBe(secondToken.sessionId);
      await sg.call<Any>(anonymous, REFRESH, { t: second.payload.refreshToken }); // reuse
      expect(await revocations.isRevoked({ sessionId: refreshedToken.sessionId, userId: second.caller.id, issuedAtMs: refreshedToken.issuedAtMs })).toBe(true);
    });

    it('the purge job drops tokens long expired and keeps live ones', async () => {
      const live = await signIn('analyst@demo.test');
      const old = await signIn('analyst@demo.test');
      const em = sg.orm.em.fork();
      await em.nativeUpdate(RefreshTokenRecord, { tokenHash: hashRefreshToken(old.payload.refreshToken) }, { expiresAt: new Date(Date.now() - 2 * 24 * 3600 * 1000) });
      expect(await purgeExpiredRefreshTokens(sg)).toBeGreaterThanOrEqual(1);
      expect(await em.count(RefreshTokenRecord, { tokenHash: hashRefreshToken(old.payload.refreshToken) })).toBe(0);
      expect(await em.count(RefreshTokenRecord, { tokenHash: hashRefreshToken(live.payload.refreshToken) })).toBe(1);
    });
  });

  describe('client credentials', () => {
    it('gives demo-partner an api_consumer token for tenant demo that can create applications', async () => {
      const { body } = await clientToken('demo-partner', 'tandem-demo-secret');
      expect(body.errors).toBeUndefined();
      expect(body.data.clientCredentialsToken).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
      const caller = await verifyAccessToken(body.data.clientCredentialsToken.accessToken, sg.config.jwtSecret);
      expect(caller).toMatchObject({ kind: 'client', id: 'demo-partner', tenantId: 'demo', role: 'api_consumer' });
      expect(caller?.permissions).toContain(Permission.ApplicationCreate);
      expect(caller?.permissions).not.toContain(Permission.UserManage);
    });

    it('refuses a wrong secret and an unknown client alike, with UNAUTHENTICATED', async () => {
      const wrongSecret = await clientToken('demo-partner', 'tandem-demo-secreT');
      const unknown = await clientToken('nobody', 'tandem-demo-secret');
      const crossed = await clientToken('acme-partner', 'wrong');
      for (const { body } of [wrongSecret, unknown, crossed]) {
        expect(body.errors?.[0]).toMatchObject({ message: 'Invalid client credentials', extensions: { code: 'UNAUTHENTICATED' } });
      }
    });
  });

  describe('user management', () => {
    const newUser = (email: string, password = 'a long enough passphrase') => ({ email, name: 'Nia New', role: 'analyst', password });

    it('needs user:manage', async () => {
      const analyst = await signIn('analyst@demo.test');
      const { body } = await sg.call<Any>(analyst.caller, CREATE_USER, { input: newUser('nia@demo.test') });
      expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const anon = await sg.call<Any>(anonymous, CREATE_USER, { input: newUser('nia@demo.test') });
      expect(anon.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(await sg.orm.em.fork().count(UserRecord, { email: 'nia@demo.test' })).toBe(0);
    });

    it('enforces the password policy and valid input', async () => {
      const admin = await signIn('admin@demo.test');
      const short = await sg.call<Any>(admin.caller, CREATE_USER, { input: newUser('nia@demo.test', 'tandem-demo') });
      expect(short.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(short.body.errors?.[0].message).toContain('password must be at least 12 characters');
      const bad = await sg.call<Any>(admin.caller, CREATE_USER, { input: { ...newUser('not-an-email'), role: 'root' } });
      expect(bad.body.errors?.[0].message).toMatch(/email .*role/);
    });

    it('creates a user in the admin’s tenant who can sign in; the email stays unique across tenants', async () => {
      const admin = await signIn('admin@demo.test');
      const { body } = await sg.call<Any>(admin.caller, CREATE_USER, { input: { ...newUser('  Nia@Demo.test'), role: 'senior_analyst' } });
      expect(body.errors).toBeUndefined();
      expect(body.data.createUser).toMatchObject({ email: 'nia@demo.test', role: 'senior_analyst', tenant: { slug: 'demo' } });
      expect(body.data.createUser.permissions).toContain(Permission.DecisionApproveOverride);

      const nia = await signIn('nia@demo.test', 'a long enough passphrase');
      expect(nia.caller).toMatchObject({ tenantId: 'demo', role: 'senior_analyst' });

      const again = await sg.call<Any>(admin.caller, CREATE_USER, { input: newUser('NIA@demo.test') });
      expect(again.body.errors?.[0].extensions?.code).toBe('CONFLICT');
      const otherTenant = await sg.call<Any>(testCaller('admin', 'acme'), CREATE_USER, { input: newUser('analyst@demo.test') });
      expect(otherTenant.body.errors?.[0].extensions?.code).toBe('CONFLICT');
    });

    it('createApiClient returns the secret once, and it works for client credentials until rotated', async () => {
      const admin = await signIn('admin@demo.test');
      const created = await sg.call<Any>(admin.caller, CREATE_CLIENT, { name: 'Broker Portal' });
      expect(created.body.errors).toBeUndefined();
      const client = created.body.data.createApiClient;
      expect(client).toMatchObject({ name: 'Broker Portal', role: 'api_consumer', rotatedAt: null });
      expect(client.clientSecret.length).toBeGreaterThanOrEqual(43);
      const stored = await sg.orm.em.fork().findOneOrFail(ApiClientRecord, { clientId: client.clientId }, { populate: ['secretHash'] });
      expect(stored.secretHash).toMatch(/^\$argon2id\$/);
      expect(stored.secretHash).not.toContain(client.clientSecret);

      const token = await clientToken(client.clientId, client.clientSecret);
      expect(await verifyAccessToken(token.body.data.clientCredentialsToken.accessToken, sg.config.jwtSecret)).toMatchObject({ kind: 'client', id: client.clientId, tenantId: 'demo' });

      const rotated = await sg.call<Any>(admin.caller, ROTATE_CLIENT, { id: client.clientId });
      expect(rotated.body.errors).toBeUndefined();
      expect(rotated.body.data.rotateApiClientSecret.rotatedAt).toEqual(expect.any(String));
      expect((await clientToken(client.clientId, client.clientSecret)).body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect((await clientToken(client.clientId, rotated.body.data.rotateApiClientSecret.clientSecret)).body.errors).toBeUndefined();
    });

    it('keeps API clients to their tenant and their manager', async () => {
      const acmeAdmin = testCaller('admin', 'acme');
      const foreign = await sg.call<Any>(acmeAdmin, ROTATE_CLIENT, { id: 'demo-partner' });
      expect(foreign.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect((await clientToken('demo-partner', 'tandem-demo-secret')).body.errors).toBeUndefined();
      const analyst = await signIn('analyst@demo.test');
      expect((await sg.call<Any>(analyst.caller, CREATE_CLIENT, { name: 'x' })).body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect((await sg.call<Any>(acmeAdmin, CREATE_CLIENT, { name: '  ' })).body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('me and references', () => {
    it('me is the signed-in user with effective permissions and tenant', async () => {
      const analyst = await signIn('analyst@demo.test');
      const { body } = await sg.call<Any>(analyst.caller, ME);
      expect(body.errors).toBeUndefined();
      expect(body.data.me).toEqual({
        id: analyst.caller.id, email: 'analyst@demo.test', name: 'Ana Analyst', role: 'analyst',
        permissions: ROLE_PERMISSIONS.analyst, tenant: { id: 'demo', slug: 'demo', name: 'Demo Lender' },
      });
    });

    it('reflects per-user grants and revocations', async () => {
      const ben = await signIn('analyst2@demo.test');
      await sg.orm.em.fork().nativeUpdate(UserRecord, { id: ben.caller.id }, { grants: [Permission.QueueAssign], revocations: [Permission.AnalyticsView] });
      const { body } = await sg.call<Any>(ben.caller, ME);
      expect(body.data.me.permissions).toContain(Permission.QueueAssign);
      expect(body.data.me.permissions).not.toContain(Permission.AnalyticsView);
      const relogin = await signIn('analyst2@demo.test');
      expect(relogin.caller.permissions).toContain(Permission.QueueAssign);
      await sg.orm.em.fork().nativeUpdate(UserRecord, { id: ben.caller.id }, { grants: [], revocations: [] });
    });

    it('admins set grants and revocations, role, and deactivate users of their tenant; earlier access tokens are revoked', async () => {
      const SET_PERMS = 'mutation($u: ID!, $g: [String!]!, $r: [String!]!) { setUserPermissions(userId: $u, grants: $g, revocations: $r) { id role permissions } }';
      const SET_ROLE = 'mutation($u: ID!, $role: String!) { setUserRole(userId: $u, role: $role) { id role permissions } }';
      const DEACTIVATE = 'mutation($u: ID!) { deactivateUser(userId: $u) { id } }';
      const { revocations } = sg.services as IdentityServices;
      const admin = (await signIn('admin@demo.test')).caller;
      const created = await sg.call<Any>(admin, CREATE_USER, { input: { email: 'temp.analyst@demo.test', name: 'Tim Temp', role: 'analyst', password: 'a-long-enough-password' } });
      const userId = created.body.data.createUser.id as string;
      const before = await signIn('temp.analyst@demo.test', 'a-long-enough-password');
      const beforeToken = (await readAccessToken(before.payload.accessToken, sg.config.jwtSecret))!;

      const analystCaller = before.caller;
      expect((await sg.call<Any>(analystCaller, SET_PERMS, { u: userId, g: [], r: [] })).body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect((await sg.call<Any>(admin, SET_PERMS, { u: userId, g: ['queue:fly'], r: [] })).body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect((await sg.call<Any>(admin, SET_PERMS, { u: 'not-a-uuid', g: [], r: [] })).body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      const acmeAdmin = testCaller('admin', 'acme', admin.id);
      expect((await sg.call<Any>(acmeAdmin, SET_PERMS, { u: userId, g: [], r: [] })).body.errors?.[0].extensions?.code).toBe('NOT_FOUND');

      const changed = await sg.call<Any>(admin, SET_PERMS, { u: userId, g: [Permission.DecisionApproveOverride], r: [Permission.AnalyticsView] });
      expect(changed.body.errors).toBeUndefined();
      expect(changed.body.data.setUserPermissions.permissions).toContain(Permission.DecisionApproveOverride);
      expect(changed.body.data.setUserPermissions.permissions).not.toContain(Permission.AnalyticsView);
      expect(await revocations.isRevoked({ sessionId: beforeToken.sessionId, userId, issuedAtMs: beforeToken.issuedAtMs })).toBe(true);
      // A refresh issues a token with the new permissions, which is not revoked.
      const refreshed = await sg.call<Any>(anonymous, REFRESH, { t: before.payload.refreshToken });
      const after = (await readAccessToken(refreshed.body.data.refreshToken.accessToken, sg.config.jwtSecret))!;
      expect(after.caller.permissions).toContain(Permission.DecisionApproveOverride);
      expect(await revocations.isRevoked({ sessionId: after.sessionId, userId, issuedAtMs: after.issuedAtMs })).toBe(false);

      expect((await sg.call<Any>(admin, SET_ROLE, { u: userId, role: 'api_consumer' })).body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect((await sg.call<Any>(admin, SET_ROLE, { u: admin.id, role: 'readonly' })).body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const role = await sg.call<Any>(admin, SET_ROLE, { u: userId, role: 'senior_analyst' });
      expect(role.body.data.setUserRole.role).toBe('senior_analyst');

      expect((await sg.call<Any>(admin, DEACTIVATE, { u: userId })).body.errors).toBeUndefined();
      expect((await login('temp.analyst@demo.test', 'a-long-enough-password')).body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect((await sg.call<Any>(anonymous, REFRESH, { t: refreshed.body.data.refreshToken.refreshToken })).body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('me is FORBIDDEN for API clients and UNAUTHENTICATED for anonymous callers', async () => {
      const client = await sg.call<Any>(testCaller('api_consumer', 'demo', 'demo-partner'), ME);
      expect(client.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(client.body.errors?.[0].message).toContain('API clients');
      const anon = await sg.call<Any>(anonymous, ME);
      expect(anon.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('resolves user references within the caller’s tenant only, batched', async () => {
      const demoAnalyst = await signIn('analyst@demo.test');
      const demoSenior = await signIn('senior@demo.test');
      const acmeAnalyst = await signIn('analyst@acme.test');
      const representations = [demoSenior.caller.id, acmeAnalyst.caller.id, demoAnalyst.caller.id].map((id) => ({ __typename: 'User', id }));
      const { body } = await sg.call<Any>(demoAnalyst.caller, ENTITIES, { r: representations });
      expect(body.errors).toBeUndefined();
      expect(body.data._entities).toEqual([
        { id: demoSenior.caller.id, email: 'senior@demo.test', name: 'Sam Senior', tenant: { slug: 'demo' } },
        null,
        { id: demoAnalyst.caller.id, email: 'analyst@demo.test', name: 'Ana Analyst', tenant: { slug: 'demo' } },
      ]);
      const fromAcme = await sg.call<Any>(acmeAnalyst.caller, ENTITIES, { r: [{ __typename: 'User', id: demoSenior.caller.id }] });
      expect(fromAcme.body.data._entities).toEqual([null]);
      const fromClient = await sg.call<Any>(testCaller('api_consumer', 'demo', 'demo-partner'), ENTITIES, { r: [{ __typename: 'User', id: demoSenior.caller.id }] });
      expect(fromClient.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });
  });

  it('refuses calls that did not come through the gateway', async () => {
    const res = await sg.call(null, ME);
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
