import { type RunningGateway, sha256Hex, startGateway, trustedDocuments } from '@tandem/gateway';
import { InProcessBus, loadConfig, type SubgraphName } from '@tandem/platform';
import { createTestDatabase } from '@tandem/platform/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningTandem, startTandem } from '../src/tandem.js';
import { gql, partnerToken } from './graph-client.js';

const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken } }';
const ME = 'query Me { me { id email } }';

async function signIn(url: string, email: string) {
  const r = await gql(url, LOGIN, { e: email, p: 'tandem-demo' });
  return r.body.data.login as { accessToken: string; refreshToken: string };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: json as { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] } };
}

/** The gateway's abuse resistance, through HTTP against the running graph. */
describe('gateway security', () => {
  let tandem: RunningTandem;
  let url: string;
  let analyst: string;

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase(inject('databaseUrl'));
    tandem = await startTandem({
      config: loadConfig({ TANDEM_MODE: 'demo' }),
      databaseUrl,
      bus: new InProcessBus(),
      gatewayPort: 0,
      subgraphPortsFromZero: true,
    });
    url = tandem.graphqlUrl;
    analyst = (await signIn(url, 'analyst@demo.test')).accessToken;
  }, 60_000);
  afterAll(async () => tandem?.stop());

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('refuses too deep, too many aliases, too many directives, too long and too costly documents before planning, without echoing the limits', async () => {
    const deep = `{ me { tenant { id } } ${'a: __typename '.repeat(1)} }`;
    expect((await post(url, { query: deep }, bearer(analyst))).body.errors).toBeUndefined();
    const cases = {
      depth: `query { reviewQueue { edges { node { application { scoring { topFactors { feature } } queueEntry { application { queueEntry { application { id } } } } } } } } }`,
      aliases: `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: me { id }`).join(' ')} }`,
      directives: `{ me { id ${'@include(if: true) '.repeat(30)} } }`,
      tokens: `{ me { ${'id '.repeat(2_100)} } }`,
      cost: `{ ${Array.from({ length: 14 }, (_, i) => `q${i}: reviewQueue(first: 100) { edges { node { id status priority assignee { id name email } application { id status applicant { firstName lastName } loan { amount termMonths } } } } }`).join(' ')} }`,
    };
    for (const [limit, query] of Object.entries(cases)) {
      const r = await post(url, { query }, bearer(analyst));
      expect(r.status, limit).toBe(400);
      expect(r.body.errors?.[0].extensions?.code, limit).toMatch(/GRAPHQL_VALIDATION_FAILED|BAD_USER_INPUT|GRAPHQL_PARSE_FAILED/);
      expect(r.text, limit).not.toMatch(/\d+ (allowed|max)|maxCost|stacktrace/i);
    }
  });

  it('hides field suggestions and stack traces', async () => {
    const r = await post(url, { query: '{ reviewQueu { totalCount } }' }, bearer(analyst));
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0].message).toContain('Cannot query field "reviewQueu"');
    expect(r.text).not.toMatch(/Did you mean/i);
    const broken = await post(url, '{"query": "{ me { id } ', bearer(analyst));
    expect(broken.status).toBe(400);
    expect(broken.text).not.toMatch(/stacktrace|at .*\.js:\d+/);
    const badVariable = await post(url, { query: 'query($id: ID!) { application(id: $id) { id } }', variables: { id: { nested: true } } }, bearer(analyst));
    expect(badVariable.text).not.toMatch(/stacktrace|\.ts:\d+|\.js:\d+/);
  });

  it('prevents CSRF: simple requests (text/plain POST, GET without a preflight header) are refused', async () => {
    const plain = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(plain.status).toBe(400);
    expect(await plain.text()).toMatch(/CSRF/i);
    const get = await fetch(`${url}?query=${encodeURIComponent('{ __typename }')}`);
    expect(get.status).toBe(400);
    const preflighted = await fetch(`${url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(preflighted.status).toBe(200);
  });

  it('keeps array batching off and refuses bodies over the size limit', async () => {
    const batch = await post(url, [{ query: '{ __typename }' }, { query: '{ __typename }' }], bearer(analyst));
    expect(batch.status).toBe(400);
    const huge = await post(url, { query: '{ __typename }', variables: { pad: 'x'.repeat(1_100_000) } }, bearer(analyst));
    expect(huge.status).toBe(413);
  });

  it('answers introspection to signed-in callers only', async () => {
    const query = '{ __schema { queryType { name } } }';
    const anonymous = await post(url, { query });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const typeProbe = await post(url, { query: '{ __type(name: "User") { name } }' });
    expect(typeProbe.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const signedIn = await post(url, { query }, bearer(analyst));
    expect(signedIn.body.data?.__schema.queryType.name).toBe('Query');
    expect((await post(url, { query: '{ __typename }' })).body.data).toEqual({ __typename: 'Query' });
  });

  it('serves the public SDL, with each field’s permission, to users with analytics:view only', async () => {
    const base = url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/schema.graphql`)).status).toBe(401);
    const readonly = (await signIn(url, 'readonly@demo.test')).accessToken;
    expect((await fetch(`${base}/schema.graphql`, { headers: bearer(readonly) })).status).toBe(403);
    const res = await fetch(`${base}/schema.graphql`, { headers: bearer(analyst) });
    expect(res.status).toBe(200);
    const sdl = await res.text();
    expect(sdl).toMatch(/reviewQueue\([^)]*\): QueueEntryConnection! @tandem__requires\(permissions: \["queue:view"\]\)/);
    expect(sdl).toContain('directive @tandem__requires');
    expect(sdl).not.toMatch(/join__|clientCredentialsToken|http:\/\/\w+:\d+/);
  });

  it('logout revokes the session’s access token at once; other sessions keep working', async () => {
    const session = await signIn(url, 'senior@demo.test');
    const other = await signIn(url, 'senior@demo.test');
    expect((await gql(url, ME, {}, session.accessToken)).body.data?.me.email).toBe('senior@demo.test');
    expect((await gql(url, 'mutation($t: String!) { logout(refreshToken: $t) }', { t: session.refreshToken })).body.data?.logout).toBe(true);
    const after = await gql(url, ME, {}, session.accessToken);
    expect(after.status).toBe(401);
    expect(after.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await gql(url, ME, {}, other.accessToken)).body.data?.me.email).toBe('senior@demo.test');
  });

  it('resolves trusted document ids, refuses unknown ones, and still takes full documents', async () => {
    const known = 'query Me { me { id email } }';
    const manifest = { [sha256Hex(known)]: known };
    const gateway = await secondGateway({ trustedDocuments: trustedDocuments(manifest) });
    try {
      const byId = await post(
        gateway.url,
        { operationName: 'Me', extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(known) } } },
        bearer(analyst),
      );
      expect(byId.body.errors).toBeUndefined();
      expect(byId.body.data?.me.email).toBe('analyst@demo.test');
      const unknown = await post(gateway.url, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex('{ me { id } }') } } }, bearer(analyst));
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      const full = await post(gateway.url, { query: '{ me { name } }' }, bearer(analyst));
      expect(full.body.data?.me.name).toBe('Ana Analyst');
    } finally {
      await gateway.stop();
    }
  });

  it('rate-limits per user and per API client, answering RATE_LIMITED with a retry hint', async () => {
    const gateway = await secondGateway({ security: { rateLimit: { windowSeconds: 60, perUser: 3, perClient: 4, perAnonymousAddress: 2 } } });
    try {
      for (let i = 0; i < 3; i++) expect((await post(gateway.url, { query: ME }, bearer(analyst))).status).toBe(200);
      const limited = await post(gateway.url, { query: ME }, bearer(analyst));
      expect(limited.status).toBe(429);
      expect(limited.body.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
      const retryAfter = limited.body.errors?.[0].extensions?.retryAfterSeconds as number;
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(limited.headers.get('retry-after')).toBe(String(retryAfter));
      // Another user has their own budget; so has a partner, with a larger one.
      const senior = (await signIn(gateway.url, 'senior@demo.test')).accessToken;
      expect((await post(gateway.url, { query: ME }, bearer(senior))).status).toBe(200);
      const partner = await partnerToken(gateway.url.replace(/\/graphql$/, ''));
      const partnerStatuses = [];
      for (let i = 0; i < 5; i++) partnerStatuses.push((await post(gateway.url, { query: '{ __typename }' }, bearer(partner))).status);
      expect(partnerStatuses).toEqual([200, 200, 200, 200, 429]);
    } finally {
      await gateway.stop();
    }
  });

  /** Another gateway over the same subgraphs, with its own options. */
  async function secondGateway(options: Partial<Parameters<typeof startGateway>[0]>): Promise<RunningGateway> {
    const subgraphUrls = Object.fromEntries(tandem.subgraphs.map((s) => [s.name, s.url])) as Record<SubgraphName, string>;
    return startGateway({ config: loadConfig({ TANDEM_MODE: 'demo' }), bus: tandem.bus, port: 0, subgraphUrls, ...options });
  }
});
