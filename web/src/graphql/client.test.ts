import { HttpResponse, ws } from 'msw';
import { describe, expect, it } from 'vitest';
import { api, server } from '../test/server';
import { createTandemClient, subscriptionErrorAction } from './client';
import { QUEUE_CHANGED, QUEUE_SUMMARY } from './operations';

const summaryData = { queueSummary: { pending: 1, assigned: 0, inProgress: 0, approachingSla: 0, breached: 0, total: 1 } };
/** What the gateway answers a bad, expired or revoked access token. */
const REFUSED: { data: null; errors: { message: string; extensions: { code: string } }[] } = {
  data: null,
  errors: [{ message: 'The access token is invalid or expired: sign in again', extensions: { code: 'UNAUTHENTICATED' } }],
};
const refused = () => HttpResponse.json<typeof REFUSED>(REFUSED, { status: 401 });

describe('what a subscription does when the socket ends it', () => {
  const signedIn = { signedIn: true, renewedWithoutConnecting: false };

  it('renews the token on 4401 (expired or revoked) and 4403 (refused when the socket opened)', () => {
    expect(subscriptionErrorAction({ code: 4401, reason: 'Access token expired' }, signedIn)).toBe('renew');
    expect(subscriptionErrorAction({ code: 4403, reason: 'Forbidden' }, signedIn)).toBe('renew');
  });

  it('fails on anything a new token cannot fix', () => {
    for (const code of [4400, 4500, 1011, 4429]) expect(subscriptionErrorAction({ code, reason: '' }, signedIn)).toBe('fail');
    expect(subscriptionErrorAction(new Error('boom'), signedIn)).toBe('fail');
    expect(subscriptionErrorAction([{ message: 'Cannot query field' }], signedIn)).toBe('fail');
  });

  it('fails without a session, and when the token it just renewed never got a connection (no refresh loop)', () => {
    expect(subscriptionErrorAction({ code: 4401, reason: '' }, { signedIn: false, renewedWithoutConnecting: false })).toBe('fail');
    expect(subscriptionErrorAction({ code: 4403, reason: '' }, { signedIn: true, renewedWithoutConnecting: true })).toBe('fail');
  });
});

describe('HTTP requests with a refused access token', () => {
  it('renew the token once for concurrent requests and send each again with the new one', async () => {
    const seen: (string | null)[] = [];
    server.use(
      api.query('QueueSummary', ({ request }) => {
        const authorization = request.headers.get('authorization');
        seen.push(authorization);
        return authorization === 'Bearer fresh' ? HttpResponse.json({ data: summaryData }) : refused();
      }),
    );
    const renewals: string[] = [];
    let unauthenticated = 0;
    const tandem = createTandemClient({
      getToken: () => 'stale',
      renewToken: async (rejected) => {
        renewals.push(rejected);
        await new Promise((r) => setTimeout(r, 20));
        return 'fresh';
      },
      onUnauthenticated: () => unauthenticated++,
    });
    const [a, b] = await Promise.all([
      tandem.client.query(QUEUE_SUMMARY, {}, { requestPolicy: 'network-only' }).toPromise(),
      tandem.client.query(QUEUE_SUMMARY, { unused: 1 } as never, { requestPolicy: 'network-only' }).toPromise(),
    ]);
    expect(a.error).toBeUndefined();
    expect(a.data?.queueSummary.total).toBe(1);
    expect(b.data?.queueSummary.total).toBe(1);
    expect(renewals).toEqual(['stale']);
    expect(seen.filter((h) => h === 'Bearer stale')).toHaveLength(2);
    expect(seen.filter((h) => h === 'Bearer fresh')).toHaveLength(2);

    // Later requests use the renewed token straight away, though getToken() still returns the old one.
    await tandem.client.query(QUEUE_SUMMARY, {}, { requestPolicy: 'network-only' }).toPromise();
    expect(seen.at(-1)).toBe('Bearer fresh');
    expect(renewals).toHaveLength(1);
    expect(unauthenticated).toBe(0);
    tandem.dispose();
  });

  it('report UNAUTHENTICATED when the session cannot be renewed', async () => {
    let requests = 0;
    server.use(
      api.query('QueueSummary', () => {
        requests++;
        return refused();
      }),
    );
    let unauthenticated = 0;
    const tandem = createTandemClient({ getToken: () => 'stale', renewToken: async () => null, onUnauthenticated: () => unauthenticated++ });
    const result = await tandem.client.query(QUEUE_SUMMARY, {}).toPromise();
    expect(result.error?.graphQLErrors[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(requests).toBe(1);
    expect(unauthenticated).toBe(1);
    tandem.dispose();
  });

  it('do not try to renew without a token', async () => {
    server.use(api.query('QueueSummary', ({ request }) => (request.headers.get('authorization') ? HttpResponse.json({ data: summaryData }) : refused())));
    let renewals = 0;
    const tandem = createTandemClient({
      getToken: () => null,
      renewToken: async () => {
        renewals++;
        return 'x';
      },
    });
    const result = await tandem.client.query(QUEUE_SUMMARY, {}).toPromise();
    expect(result.error?.graphQLErrors[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(renewals).toBe(0);
    tandem.dispose();
  });
});

/**
 * A graphql-transport-ws "gateway" for the socket tests: it accepts the
 * tokens in `valid`; one in `closeAfterSubscribe` is closed with 4401 once its
 * subscription arrives (as the session watch does at expiry or logout), any
 * other is refused with 4403 when the connection opens.
 */
function mockSocketGateway(url: string, tokens: { valid: string[]; closeAfterSubscribe: string[] }) {
  const log = { connections: [] as string[], subscribes: [] as string[] };
  const link = ws.link(url);
  server.use(
    link.addEventListener('connection', ({ client }) => {
      let authorization = '';
      client.addEventListener('message', (event) => {
        const message = JSON.parse(String(event.data)) as { type: string; id?: string; payload?: { authorization?: string } };
        if (message.type === 'connection_init') {
          authorization = message.payload?.authorization ?? '';
          log.connections.push(authorization);
          const token = authorization.replace(/^Bearer /, '');
          if (!tokens.valid.includes(token) && !tokens.closeAfterSubscribe.includes(token)) return client.close(4403, 'Forbidden');
          client.send(JSON.stringify({ type: 'connection_ack' }));
        } else if (message.type === 'subscribe' && message.id) {
          log.subscribes.push(authorization);
          if (tokens.closeAfterSubscribe.includes(authorization.replace(/^Bearer /, ''))) {
            client.close(4401, 'Session ended (signed out or revoked): sign in again');
            return;
          }
          const event = { kind: 'ENQUEUED', entry: { id: 'e-live', status: 'PENDING' } };
          client.send(JSON.stringify({ type: 'next', id: message.id, payload: { data: { queueChanged: event } } }));
        }
      });
    }),
  );
  return log;
}

function subscribeQueue(tandem: ReturnType<typeof createTandemClient>) {
  const results: { data?: unknown; error?: { message: string } }[] = [];
  const { unsubscribe } = tandem.client.subscription(QUEUE_CHANGED, {}).subscribe((r) => results.push({ data: r.data, error: r.error }));
  return { results, unsubscribe };
}

const until = async (condition: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('subscriptions whose socket the gateway closes with 4401', () => {
  it('renew the token and subscribe again on a connection authenticated with the new one', async () => {
    const url = 'ws://localhost/graphql-renew';
    const log = mockSocketGateway(url, { valid: ['fresh'], closeAfterSubscribe: ['stale'] });
    const renewals: string[] = [];
    const tandem = createTandemClient({
      getToken: () => 'stale',
      wsUrl: url,
      renewToken: async (rejected) => {
        renewals.push(rejected);
        return 'fresh';
      },
    });
    const live = subscribeQueue(tandem);
    await until(() => live.results.some((r) => r.data));
    expect(renewals).toEqual(['stale']);
    expect(log.connections).toEqual(['Bearer stale', 'Bearer fresh']);
    expect(live.results.every((r) => !r.error)).toBe(true);
    expect(live.results[0]?.data).toMatchObject({ queueChanged: { kind: 'ENQUEUED', entry: { id: 'e-live' } } });
    expect(tandem.live.get()).toBe('live');
    live.unsubscribe();
    tandem.dispose();
  });

  it('end with an error, without reconnecting, when the session cannot be renewed', async () => {
    const url = 'ws://localhost/graphql-revoked';
    const log = mockSocketGateway(url, { valid: [], closeAfterSubscribe: ['stale'] });
    let renewals = 0;
    const tandem = createTandemClient({
      getToken: () => 'stale',
      wsUrl: url,
      renewToken: async () => {
        renewals++;
        return null;
      },
    });
    const live = subscribeQueue(tandem);
    await until(() => live.results.some((r) => r.error));
    await new Promise((r) => setTimeout(r, 50));
    expect(renewals).toBe(1);
    expect(log.connections).toEqual(['Bearer stale']);
    expect(live.results.some((r) => r.data)).toBe(false);
    tandem.dispose();
  });

  it('give up after one renewal when the gateway refuses the renewed token too', async () => {
    const url = 'ws://localhost/graphql-loop';
    const log = mockSocketGateway(url, { valid: [], closeAfterSubscribe: ['stale'] });
    let renewals = 0;
    const tandem = createTandemClient({
      getToken: () => 'stale',
      wsUrl: url,
      renewToken: async () => `fresh-${++renewals}`,
    });
    const live = subscribeQueue(tandem);
    await until(() => live.results.some((r) => r.error));
    await new Promise((r) => setTimeout(r, 50));
    expect(renewals).toBe(1);
    expect(log.connections).toEqual(['Bearer stale', 'Bearer fresh-1']);
    tandem.dispose();
  });
});
