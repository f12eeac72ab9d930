import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunningTandem } from '../src/tandem.js';
import { gql, partnerToken, until } from './graph-client.js';
import { startTestTandem } from './test-tandem.js';

/** Well above the session watch's one-second revocation check: a bound on a hang, not a speed target. */
const CLOSE_WITHIN_MS = 10_000;

interface QueueChange {
  queueChanged: { kind: string; entry: { id: string; application: { id: string } } };
}

async function signIn(url: string, email: string) {
  const r = await gql<{ login: { accessToken: string; refreshToken: string } }>(
    url,
    'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken } }',
    { e: email, p: 'tandem-demo' },
  );
  if (!r.body.data) throw new Error(`login failed: ${JSON.stringify(r.body.errors)}`);
  return r.body.data.login;
}

/** A graphql-ws client subscribed to queueChanged: what it received, and how (and whether) its socket closed. */
async function queueWatcher(url: string, accessToken: string) {
  const changes: QueueChange[] = [];
  let closedWith: { code: number; reason: string } | undefined;
  let onClosed: (event: { code: number; reason: string }) => void = () => {};
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    onClosed = resolve;
  });
  let onConnected: () => void = () => {};
  const connected = new Promise<void>((resolve) => {
    onConnected = resolve;
  });
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${accessToken}` },
    lazy: false,
    retryAttempts: 0,
    // The 4401 close is what the test awaits (on.closed); graphql-ws would also print it to stderr.
    onNonLazyError: () => {},
    on: {
      connected: () => onConnected(),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        closedWith ??= { code, reason };
        onClosed({ code, reason });
      },
    },
  });
  const errors: unknown[] = [];
  client.subscribe<QueueChange['queueChanged']>(
    { query: 'subscription { queueChanged { kind entry { id application { id } } } }' },
    { next: (v) => v.data && changes.push(v.data as unknown as QueueChange), error: (e) => errors.push(e), complete: () => {} },
  );
  await connected;
  return { client, changes, errors, closed, closedWith: () => closedWith };
}

const application = (externalId: string, amount: number) => ({
  externalId,
  applicant: {
    firstName: 'Lena',
    lastName: 'Varga',
    email: 'lena@example.com',
    dateOfBirth: '1990-07-02',
    maritalStatus: 'SINGLE',
    housing: 'RENT',
    employment: { type: 'FIXED', yearsEmployed: 4 },
  },
  financials: { monthlyIncome: '3600.00', monthlyExpenses: 1200, assets: 8000, debt: 1500, pastArrears: false },
  loan: { amount, termMonths: 48, purpose: 'CAR', goodsPrice: amount + 4000, currency: 'EUR' },
});

/**
 * Signing out ends that session's live connections, and only that session's:
 * the gateway closes its graphql-ws sockets with 4401 (the workbench then
 * tries its refresh token, which logout revoked too, and shows the login
 * screen), while another session of the same user keeps receiving events.
 */
describe('logout closes the sockets of its session only (one process, real gateway)', () => {
  let tandem: RunningTandem;
  let url: string;
  let base: string;
  const clients: { dispose: () => unknown }[] = [];

  beforeAll(async () => {
    tandem = await startTestTandem();
    url = tandem.graphqlUrl;
    base = url.replace(/\/graphql$/, '');
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await tandem?.stop();
  });

  it('closes session 1 with 4401 on its logout; session 2 stays open and still receives queue events', async () => {
    const session1 = await signIn(url, 'analyst@demo.test');
    const session2 = await signIn(url, 'analyst@demo.test');
    const watcher1 = await queueWatcher(url, session1.accessToken);
    const watcher2 = await queueWatcher(url, session2.accessToken);
    clients.push(watcher1.client, watcher2.client);

    const loggedOut = await gql<{ logout: boolean }>(url, 'mutation($r: String!) { logout(refreshToken: $r) }', { r: session1.refreshToken });
    expect(loggedOut.body.errors).toBeUndefined();
    expect(loggedOut.body.data?.logout).toBe(true);

    const timeout = new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), CLOSE_WITHIN_MS).unref());
    const closed = await Promise.race([watcher1.closed, timeout]);
    expect(closed).toMatchObject({ code: 4401 });
    expect((closed as { reason: string }).reason).toMatch(/signed out or revoked/);

    // The revocation reaches HTTP too: session 1's access token is refused, session 2's is not.
    const me1 = await gql(url, '{ me { email } }', {}, session1.accessToken);
    expect(me1.status).toBe(401);
    expect(me1.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const me2 = await gql<{ me: { email: string } }>(url, '{ me { email } }', {}, session2.accessToken);
    expect(me2.body.data?.me.email).toBe('analyst@demo.test');

    // An application above the demo tenant's 20,000 automatic limit goes to review: a queue event.
    const submitted = await gql<{ submitApplication: { application: { id: string } } }>(
      url,
      'mutation($i: SubmitApplicationInput!) { submitApplication(input: $i) { application { id } } }',
      { i: application('logout-sockets-1', 26_000) },
      await partnerToken(base),
    );
    expect(submitted.body.errors).toBeUndefined();
    const applicationId = submitted.body.data?.submitApplication.application.id;
    expect(applicationId).toBeTruthy();

    await until(async () => watcher2.changes.some((c) => c.queueChanged.entry.application.id === applicationId));
    expect(watcher2.closedWith()).toBeUndefined();
    expect(watcher2.errors).toEqual([]);
    expect(watcher1.changes.some((c) => c.queueChanged.entry.application.id === applicationId)).toBe(false);
    // Session 1 is over for good: its refresh token cannot start a new one.
    const refreshed = await gql(url, 'mutation($r: String!) { refreshToken(refreshToken: $r) { accessToken } }', { r: session1.refreshToken });
    expect(refreshed.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
