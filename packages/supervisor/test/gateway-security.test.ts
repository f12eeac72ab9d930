import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RunningGateway, sha256Hex, startGateway, trustedDocuments } from '@tandem/gateway';
import { INTERNAL_CONTEXT_HEADER, loadConfig, REQUEST_ID_HEADER, type SubgraphName, verifyInternalContext } from '@tandem/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningTandem } from '../src/tandem.js';
import { gql, partnerToken, until, wsClient } from './graph-client.js';
import { startTestTandem } from './test-tandem.js';

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
    tandem = await startTestTandem();
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

  it('holds documents sent over the socket to the same limits, keeping the connection', async () => {
    const client = wsClient(url, analyst);
    const firstError = (query: string) =>
      new Promise<{ code?: string; message: string }>((resolve) => {
        client.subscribe(
          { query },
          {
            next: () => resolve({ message: 'accepted' }),
            error: (e) => {
              const err = (Array.isArray(e) ? e[0] : e) as { message: string; extensions?: { code?: string } };
              resolve({ code: err.extensions?.code, message: err.message });
            },
            complete: () => resolve({ message: 'completed' }),
          },
        );
      });
    try {
      const deep = await firstError(
        'subscription { queueChanged { entry { application { queueEntry { application { queueEntry { application { queueEntry { application { id } } } } } } } } } }',
      );
      // The same refusal HTTP gives (graphql-armor's rules answer BAD_USER_INPUT).
      expect(deep).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('Query is too deep') });
      const aliases = await firstError(`subscription { queueChanged { kind ${Array.from({ length: 20 }, (_, i) => `k${i}: kind`).join(' ')} } }`);
      expect(aliases).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('Query uses too many aliases') });
      const long = await firstError(`subscription { queueChanged { ${'kind '.repeat(2_100)} } }`);
      expect(long).toMatchObject({ code: 'GRAPHQL_PARSE_FAILED', message: 'Query is too long' });
      // The socket survives refusals: a valid subscription on it is accepted.
      const accepted = await Promise.race([firstError('subscription { queueChanged { kind } }'), new Promise((r) => setTimeout(() => r('open'), 1_000))]);
      expect(accepted).toBe('open');
    } finally {
      await client.dispose();
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

  it('brakes brute force on login and refreshToken per email and per address, counting failures only', async () => {
    // A day-long window: a fixed window cannot roll over in the middle of the test.
    const gateway = await secondGateway({ security: { signInLimit: { windowSeconds: 86_400, perAccount: 3, perAddress: 6 } } });
    const attempt = (email: string, password: string) => post(gateway.url, { query: LOGIN, variables: { e: email, p: password } });
    try {
      // Successes do not count: more sign-ins than the budget all work.
      for (let i = 0; i < 4; i++) expect((await attempt('analyst@demo.test', 'tandem-demo')).status).toBe(200);
      for (let i = 0; i < 3; i++) expect((await attempt('readonly@demo.test', 'wrong-password')).body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      // The account is over its budget: even the right password waits (the check never runs).
      const limited = await attempt(' Readonly@Demo.test', 'tandem-demo');
      expect(limited.status).toBe(429);
      expect(limited.body.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
      const retryAfter = limited.body.errors?.[0].extensions?.retryAfterSeconds as number;
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(limited.headers.get('retry-after')).toBe(String(retryAfter));
      expect(limited.body.data).toBeFalsy();
      // Other accounts from this address still sign in…
      expect((await attempt('senior@demo.test', 'tandem-demo')).body.data?.login.accessToken).toBeTruthy();
      // …until the address has failed 6 times across accounts. Aliases are a guess each, if they run: here the
      // first failure nulls the whole mutation, so the second never checks its password and is not counted.
      const aliased = await post(gateway.url, {
        query:
          'mutation { a: login(email: "x1@demo.test", password: "nope") { accessToken } b: login(email: "x2@demo.test", password: "nope") { accessToken } }',
      });
      expect(aliased.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
      expect((await attempt('x3@demo.test', 'nope')).body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      const guess = await post(gateway.url, { query: 'mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }', variables: { t: 'guessed' } });
      expect(guess.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      const stuffed = await attempt('admin@demo.test', 'tandem-demo');
      expect(stuffed.status).toBe(429);
      const refresh = await post(gateway.url, {
        query: 'mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }',
        variables: { t: 'guessed-again' },
      });
      expect(refresh.status).toBe(429);
      expect(refresh.body.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
      // Another gateway's budgets are its own here (no Redis in this test): the brake is per window, never a lock on the account.
      expect((await gql(url, LOGIN, { e: 'readonly@demo.test', p: 'tandem-demo' })).body.data?.login.accessToken).toBeTruthy();
    } finally {
      await gateway.stop();
    }
  });

  it('brakes brute force on /oauth/token per client_id, answering 429 slow_down with Retry-After', async () => {
    const gateway = await secondGateway({ security: { signInLimit: { windowSeconds: 86_400, perAccount: 2, perAddress: 50 } } });
    const base = gateway.url.replace(/\/graphql$/, '');
    const token = (clientId: string, secret: string) =>
      fetch(`${base}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
      });
    try {
      for (let i = 0; i < 3; i++) expect((await token('demo-partner', 'tandem-demo-secret')).status).toBe(200);
      for (let i = 0; i < 2; i++) expect((await token('demo-partner', 'wrong')).status).toBe(401);
      const limited = await token('demo-partner', 'tandem-demo-secret');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('cache-control')).toBe('no-store');
      const seconds = Number(limited.headers.get('retry-after'));
      expect(seconds).toBeGreaterThanOrEqual(1);
      const body = (await limited.json()) as { error: string; error_description: string };
      expect(body).toEqual({ error: 'slow_down', error_description: `Too many failed attempts: retry in ${seconds} s` });
      // Another client is not held back by demo-partner's failures.
      expect((await token('acme-partner', 'tandem-demo-secret')).status).toBe(200);
    } finally {
      await gateway.stop();
    }
  });

  it('carries one request id from the caller through every subgraph, into the events each change causes, and back', async () => {
    // A recording proxy in front of each subgraph: what the gateway sends is what a subgraph gets.
    const seen: { subgraph: string; header?: string; signed?: string }[] = [];
    const proxies = await Promise.all(
      tandem.subgraphs.map(async (s) => {
        const server = createServer(async (req, res) => {
          const chunks: Buffer[] = [];
          for await (const c of req) chunks.push(c as Buffer);
          const token = req.headers[INTERNAL_CONTEXT_HEADER] as string | undefined;
          const signed = token ? (await verifyInternalContext(token, loadConfig({ TANDEM_MODE: 'demo' }).internalSecret))?.requestId : undefined;
          seen.push({ subgraph: s.name, header: req.headers[REQUEST_ID_HEADER] as string | undefined, signed });
          const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k))) as Record<
            string,
            string
          >;
          const answer = await fetch(s.url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
          res.end(Buffer.from(await answer.arrayBuffer()));
        });
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
        return { name: s.name, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` };
      }),
    );
    const gateway = await secondGateway({ subgraphUrls: Object.fromEntries(proxies.map((p) => [p.name, p.url])) as Record<SubgraphName, string> });
    const events: { source: string; type: string; requestId?: string }[] = [];
    const stopListening = tandem.bus.listen((e) => void events.push(e));
    try {
      const base = gateway.url.replace(/\/graphql$/, '');
      const partner = await partnerToken(base);
      const submitId = `trace-submit-${Date.now()}`;
      const submitted = await post(
        gateway.url,
        {
          query: 'mutation($i: SubmitApplicationInput!) { submitApplication(input: $i) { application { id } } }',
          variables: {
            i: {
              externalId: submitId,
              applicant: { firstName: 'Rae', lastName: 'Trace', dateOfBirth: '1983-03-03', housing: 'RENT', employment: { type: 'FIXED', yearsEmployed: 5 } },
              financials: { monthlyIncome: 4000, monthlyExpenses: 1200, pastArrears: false },
              loan: { amount: 24_000, termMonths: 36, purpose: 'CAR' },
            },
          },
        },
        { ...bearer(partner), [REQUEST_ID_HEADER]: submitId },
      );
      expect(submitted.headers.get(REQUEST_ID_HEADER)).toBe(submitId);
      const applicationId = submitted.body.data?.submitApplication.application.id as string;
      // The change's events, and the ones they cause in other subgraphs (scoring, then the queue), carry the same id.
      await until(async () => {
        const sources = new Set(events.filter((e) => e.requestId === submitId).map((e) => e.source));
        return ['applications', 'scoring', 'queue'].every((x) => sources.has(x));
      });

      // A query that fans out to five subgraphs: every fetch carries the caller's id, in the header and in the signed context.
      const admin = (await signIn(gateway.url, 'admin@demo.test')).accessToken;
      seen.length = 0;
      const queryId = `trace-query-${Date.now()}`;
      const read = await post(
        gateway.url,
        {
          query: 'query($id: ID!) { me { id } application(id: $id) { id scoring { score } queueEntry { id assignee { id } } decisions { id } } }',
          variables: { id: applicationId },
        },
        { ...bearer(admin), [REQUEST_ID_HEADER]: queryId },
      );
      expect(read.body.errors).toBeUndefined();
      expect(read.headers.get(REQUEST_ID_HEADER)).toBe(queryId);
      expect(new Set(seen.map((x) => x.subgraph))).toEqual(new Set(['identity', 'applications', 'scoring', 'queue', 'decisions']));
      for (const x of seen) expect(x, x.subgraph).toMatchObject({ header: queryId, signed: queryId });

      // No id, or one that is not an id: the gateway makes one.
      for (const sent of [undefined, 'x', 'a\nforged log line']) {
        const r = await post(gateway.url, { query: '{ __typename }' }, sent === undefined ? {} : { [REQUEST_ID_HEADER]: encodeURI(sent) });
        expect(r.headers.get(REQUEST_ID_HEADER)).toMatch(/^[0-9a-f-]{36}$/);
      }
    } finally {
      await stopListening();
      await gateway.stop();
      for (const p of proxies) await new Promise((r) => p.server.close(r));
    }
  });

  it('exports Prometheus metrics per operation: latency, errors by code (refusals before Apollo too), subscriptions and fan-out', async () => {
    const base = url.replace(/\/graphql$/, '');
    const gateway = await secondGateway({ security: { rateLimit: { windowSeconds: 86_400, perUser: 1, perClient: 1, perAnonymousAddress: 1_000 } } });
    const rateLimitedCount = async () =>
      Number(/tandem_graphql_errors_total\{service="gateway",code="RATE_LIMITED"\} (\d+)/.exec(await (await fetch(`${base}/metrics`)).text())?.[1] ?? 0);
    try {
      await post(gateway.url, { query: 'query MetricsProbe { me { id } }' }, bearer(analyst));
      const before = await rateLimitedCount();
      const refused = await post(gateway.url, { query: 'query MetricsProbe { me { id } }' }, bearer(analyst));
      expect(refused.status).toBe(429);
      // Refused before Apollo ran, and still counted.
      expect(await rateLimitedCount()).toBe(before + 1);
      await post(url, { query: '{ reviewQueu { totalCount } }' }, bearer(analyst));
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/tandem_graphql_operation_seconds_bucket\{[^}]*service="gateway"[^}]*operation="MetricsProbe"[^}]*\} [1-9]/);
      // The subgraph behind it records its part of the same operation.
      expect(metrics).toMatch(/tandem_graphql_operation_seconds_count\{service="identity",operation="MetricsProbe__identity__\d+"[^}]*\} [1-9]/);
      expect(metrics).toMatch(/tandem_graphql_errors_total\{service="gateway",code="RATE_LIMITED"\} [1-9]/);
      expect(metrics).toMatch(/tandem_graphql_errors_total\{service="gateway",code="GRAPHQL_VALIDATION_FAILED"\} [1-9]/);
      expect(metrics).toMatch(/^tandem_subscriptions_open \d+/m);
      expect(metrics).toMatch(/^# TYPE tandem_subscription_events_total counter/m);
      expect(metrics).toMatch(/^# TYPE tandem_events_handled_total counter/m);
    } finally {
      await gateway.stop();
    }
  });

  it('answers /health while the process lives, and /ready only when the schema, every subgraph and the budgets’ store answer', async () => {
    const base = url.replace(/\/graphql$/, '');
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    // The same gateway with one subgraph gone: alive, but not ready.
    const gone = createServer();
    await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
    const deadUrl = `http://127.0.0.1:${(gone.address() as AddressInfo).port}/graphql`;
    await new Promise((r) => gone.close(r));
    const subgraphUrls = { ...Object.fromEntries(tandem.subgraphs.map((s) => [s.name, s.url])), scoring: deadUrl } as Record<SubgraphName, string>;
    const gateway = await secondGateway({ subgraphUrls });
    try {
      const gatewayBase = gateway.url.replace(/\/graphql$/, '');
      expect((await fetch(`${gatewayBase}/health`)).status).toBe(200);
      const notReady = await fetch(`${gatewayBase}/ready`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toEqual({ status: 'not-ready' });
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
