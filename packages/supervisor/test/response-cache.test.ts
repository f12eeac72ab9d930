import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningTandem } from '../src/tandem.js';
import { gql, login, partnerToken, until } from './graph-client.js';
import { startTestTandem } from './test-tandem.js';

const LISTING = '{ reviewQueue(first: 50) { totalCount edges { node { id status assignee { id } application { id externalId } } } } }';
type Listing = {
  reviewQueue: {
    totalCount: number;
    edges: { node: { id: string; status: string; assignee: { id: string } | null; application: { id: string; externalId: string } } }[];
  };
};

const application = (externalId: string) => ({
  externalId,
  applicant: { firstName: 'Ines', lastName: 'Moreau', dateOfBirth: '1986-04-02', housing: 'RENT', employment: { type: 'FIXED', yearsEmployed: 6 } },
  financials: { monthlyIncome: 5000, monthlyExpenses: 1700, pastArrears: false },
  loan: { amount: 24_000, termMonths: 48, purpose: 'CAR' },
});

/**
 * The gateway's response cache over the real graph: a repeated read is served
 * without execution, per caller; an event of the tenant (here: a partner's new
 * application reaching the queue) or a mutation through the gateway ends it at
 * once, long before its maximum age; errors are never kept.
 */
describe('gateway response cache', () => {
  let tandem: RunningTandem;
  let url: string;
  let analyst: string;
  let analyst2: string;
  let acme: string;
  let partner: string;

  /** The listing and whether the gateway served it from the cache. */
  const list = async (token: string, query = LISTING, headers: Record<string, string> = {}) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify({ query }),
    });
    const body = (await res.json()) as { data?: Listing; errors?: { extensions?: { code?: string } }[] };
    return { cache: res.headers.get('x-tandem-cache'), contentType: res.headers.get('content-type'), body };
  };
  /** A read answered from the cache, and the read before it that filled it (events still trickling in from setup may end an entry first). */
  const settledHit = (token: string) =>
    until(async () => {
      const first = await list(token);
      const again = await list(token);
      return again.cache === 'hit' ? { first, again } : undefined;
    });
  /** The partner submits an application that goes to review (above the demo tenant's 20,000). */
  const submit = (externalId: string) =>
    gql(url, 'mutation($i: SubmitApplicationInput!) { submitApplication(input: $i) { application { id } } }', { i: application(externalId) }, partner);
  const externalIds = (l: Listing | undefined) => (l?.reviewQueue.edges ?? []).map((e) => e.node.application.externalId);

  beforeAll(async () => {
    // A maximum age far beyond the test: whatever ends an entry here is an event or a mutation.
    tandem = await startTestTandem({ GATEWAY_CACHE_MAX_AGE_SECONDS: '3600' });
    url = tandem.graphqlUrl;
    const base = url.replace(/\/graphql$/, '');
    [analyst, analyst2, acme, partner] = await Promise.all([
      login(url, 'analyst@demo.test'),
      login(url, 'analyst2@demo.test'),
      login(url, 'analyst@acme.test'),
      partnerToken(base),
    ]);
    expect((await submit('cache-1')).body.errors).toBeUndefined();
    await until(async () => externalIds((await list(analyst)).body.data).includes('cache-1'));
  });
  afterAll(async () => {
    await tandem?.stop();
  });

  it('serves a repeated read from the cache, per caller, with the same answer', async () => {
    const { first, again } = await settledHit(analyst);
    expect(again.body).toEqual(first.body);
    // Operators see it work on /metrics.
    const metrics = await (await fetch(url.replace(/\/graphql$/, '/metrics'))).text();
    expect(Number(/^tandem_gateway_response_cache_total\{result="hit"\} (\d+)/m.exec(metrics)?.[1] ?? 0)).toBeGreaterThan(0);
    expect(Number(/^tandem_gateway_response_cache_entries (\d+)/m.exec(metrics)?.[1] ?? 0)).toBeGreaterThan(0);
    expect(again.contentType).toBe(first.contentType);
    // A client asking for the GraphQL-over-HTTP media type (the workbench's urql does) gets it from the cache too.
    const urqlAccept = { accept: 'application/graphql-response+json, application/graphql+json, application/json' };
    const fromApollo = await list(analyst, LISTING, urqlAccept);
    const fromCache = await until(async () => {
      const r = await list(analyst, LISTING, urqlAccept);
      return r.cache === 'hit' ? r : undefined;
    });
    expect(fromApollo.contentType).toBe('application/graphql-response+json; charset=utf-8');
    expect(fromCache.contentType).toBe(fromApollo.contentType);
    // Another analyst of the same tenant has an entry of their own.
    expect((await list(analyst2)).cache).toBe('miss');
    await settledHit(analyst2);
    // Another tenant never gets this tenant's cases, cached or not.
    for (let i = 0; i < 2; i++) expect(externalIds((await list(acme)).body.data)).not.toContain('cache-1');
    // Cache-Control: no-cache executes afresh, as in HTTP.
    expect((await list(analyst, LISTING, { 'cache-control': 'no-cache' })).cache).toBe('miss');
  });

  it("ends at once when the tenant's events say something changed", async () => {
    await settledHit(analyst);
    expect((await submit('cache-2')).body.errors).toBeUndefined();
    // The queue learns of the case from scoring's event; the listing shows it with no wait for the maximum age.
    await until(async () => externalIds((await list(analyst)).body.data).includes('cache-2'), 15_000);
    const acmeListing = await list(acme);
    expect(externalIds(acmeListing.body.data)).not.toContain('cache-2');
  });

  it('lets a caller read their own write at once', async () => {
    const before = (await settledHit(analyst)).again;
    const pending = before.body.data!.reviewQueue.edges.find((e) => e.node.status === 'PENDING')!;
    const assigned = await gql(url, 'mutation($id: ID!) { assignCase(entryId: $id) { id status } }', { id: pending.node.id }, analyst);
    expect(assigned.body.errors).toBeUndefined();
    const after = await list(analyst);
    expect(after.cache).toBe('miss');
    expect(after.body.data!.reviewQueue.edges.find((e) => e.node.id === pending.node.id)!.node.status).toBe('ASSIGNED');
  });

  it('keeps no errors, and leaves reads outside its list alone', async () => {
    const bad = '{ reviewQueue(filter: { minPriority: 500 }) { totalCount } }';
    const first = await list(analyst, bad);
    expect(first.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await list(analyst, bad)).cache).toBe('miss');
    expect((await list(analyst, '{ me { id } }')).cache).toBeNull();
  });
});
