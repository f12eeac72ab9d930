import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  InProcessBus,
  issueAccessToken,
  MemoryRevocationList,
  metricsRegistry,
  newEnvelope,
  permissionsForRole,
  readAccessToken,
  Topic,
  verifyAccessToken,
} from '@tandem/platform';
import { buildSchema } from 'graphql';
import { type Client, createClient } from 'graphql-ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { attachSubscriptionEndpoint, SLOW_CLIENT_CLOSE_CODE, type SubscriptionEndpoint, type SubscriptionEndpointOptions } from './subscription-endpoint.js';
import type { QueryExecutor } from './subscription-executor.js';

// The slice of the supergraph these subscriptions validate against.
const schema = buildSchema(`
  type Query { ping: String }
  type QueueEntry { id: ID! status: String }
  type QueueChangedEvent { kind: String! entry: QueueEntry }
  type Subscription { queueChanged: QueueChangedEvent! }
`);
const SECRET = 'endpoint-test-secret-endpoint-test-secret';
const QUERY = 'subscription { queueChanged { kind entry { id status } } }';
const changed = (entryId: string, tenantId = 'demo') =>
  newEnvelope('queue', Topic.QueueEntryChanged, tenantId, {
    kind: 'ASSIGNED',
    entryId,
    applicationId: 'app',
    status: 'ASSIGNED',
    assigneeId: null,
    priority: 1,
    slaDeadline: '',
    startedAt: null,
  });
const token = () => issueAccessToken({ sub: 'u1', tenantId: 'demo', kind: 'user', role: 'analyst', permissions: permissionsForRole('analyst') }, SECRET, 600);
const until = async (check: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function start(options: Partial<SubscriptionEndpointOptions> & { executeQuery?: QueryExecutor } = {}) {
  const bus = (options.bus as InProcessBus | undefined) ?? new InProcessBus();
  const http: Server = createServer();
  const wss = new WebSocketServer({ server: http, path: '/graphql' });
  const executeQuery: QueryExecutor = options.executeQuery ?? (async (_q, vars) => ({ data: { entry: { id: vars.__id0, status: 'ASSIGNED' } } }));
  const endpoint: SubscriptionEndpoint = attachSubscriptionEndpoint({
    wss,
    schema: () => schema,
    bus,
    authenticate: async (authorization) => {
      const caller = authorization ? await verifyAccessToken(authorization.replace(/^Bearer /, ''), SECRET) : null;
      if (!caller) throw new Error('bad token');
      return caller;
    },
    ...options,
    executeQuery,
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/graphql`;
  let disposed = false;
  const dispose = async () => {
    if (disposed) return;
    disposed = true;
    await endpoint.dispose();
    await new Promise((r) => http.close(r));
  };
  cleanups.push(dispose);
  return { bus, wss, endpoint, url, dispose };
}

function graphqlWs(url: string, bearer: string, closes: number[] = []): Client {
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${bearer}` },
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => {}, // the close code is asserted through on.closed
    on: { closed: (e) => closes.push((e as { code: number }).code) },
  });
  cleanups.push(() => client.dispose());
  return client;
}

/** A bare graphql-transport-ws client on ws, to control the socket itself (stop reading, stop answering pings). */
async function rawSubscriber(url: string, bearer: string) {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const received: { id?: string; type: string; payload?: { data?: unknown; extensions?: Record<string, unknown> } }[] = [];
  const closed = new Promise<{ code: number; reason: string }>((r) => socket.on('close', (code, reason) => r({ code, reason: String(reason) })));
  socket.on('message', (raw) => received.push(JSON.parse(String(raw))));
  socket.on('error', () => {});
  await new Promise((r) => socket.once('open', r));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${bearer}` } }));
  await until(() => received.some((m) => m.type === 'connection_ack'));
  socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: QUERY } }));
  cleanups.push(() => socket.terminate());
  // ws keeps the net.Socket private; pausing it is how a client stops reading.
  const tcp = (socket as unknown as { _socket: import('node:net').Socket })._socket;
  return { socket, received, closed, tcp, nexts: () => received.filter((m) => m.type === 'next') };
}

const dropped = async (overflow: string) =>
  (await metricsRegistry.getSingleMetricAsString('tandem_subscription_slow_clients_dropped_total')).match(new RegExp(`overflow="${overflow}"} (\\d+)`))?.[1] ??
  '0';

describe('the graphql-ws endpoint', () => {
  it('refuses a connection without a valid token (4403)', async () => {
    const { url } = await start();
    const closes: number[] = [];
    graphqlWs(url, 'not-a-token', closes);
    await until(() => closes.length > 0);
    expect(closes[0]).toBe(4403);
  });

  it('closes a connection with 4401 when its access token expires, and refuses to reopen it with that token', async () => {
    const { url, endpoint } = await start();
    const shortLived = await issueAccessToken(
      { sub: 'u1', tenantId: 'demo', kind: 'user', role: 'analyst', permissions: permissionsForRole('analyst') },
      SECRET,
      2,
    );
    const subscriber = await rawSubscriber(url, shortLived);
    await until(() => endpoint.openSubscriptions === 1);
    const openedAt = Date.now();
    const { code, reason } = await subscriber.closed;
    expect(code).toBe(4401);
    expect(reason).toMatch(/expired/i);
    // Closed at the token's exp (whole seconds from issue), not at some later sweep.
    expect(Date.now() - openedAt).toBeLessThan(2_500);
    await until(() => endpoint.openSubscriptions === 0);
    const closes: number[] = [];
    graphqlWs(url, shortLived, closes);
    await until(() => closes.length > 0);
    expect(closes[0]).toBe(4403);
  });

  it.each([
    ['its revocation list', true],
    ['authenticate (no list given)', false],
  ] as const)('closes the connections of a revoked session with 4401 soon after, checked through %s, and keeps the others', async (_how, withList) => {
    const list = new MemoryRevocationList();
    const { url, endpoint } = await start({
      sessionCheckMs: 200,
      ...(withList ? { revocations: list } : {}),
      authenticate: async (authorization) => {
        const read = authorization ? await readAccessToken(authorization.replace(/^Bearer /, ''), SECRET) : null;
        if (!read || (await list.isRevoked({ sessionId: read.sessionId, userId: read.caller.id, issuedAtMs: read.issuedAtMs }))) throw new Error('bad token');
        return read.caller;
      },
    });
    const claims = { sub: 'u1', tenantId: 'demo', kind: 'user', role: 'analyst', permissions: permissionsForRole('analyst') } as const;
    const ending = await rawSubscriber(url, await issueAccessToken({ ...claims, sessionId: 'ending' }, SECRET, 600));
    const alsoEnding = await rawSubscriber(url, await issueAccessToken({ ...claims, sessionId: 'ending' }, SECRET, 600));
    const staying = await rawSubscriber(url, await issueAccessToken({ ...claims, sessionId: 'staying' }, SECRET, 600));
    await until(() => endpoint.openSubscriptions === 3);
    await list.revokeSession('ending', 60);
    for (const closed of [ending.closed, alsoEnding.closed]) {
      const { code, reason } = await closed;
      expect(code).toBe(4401);
      expect(reason).toMatch(/session ended/i);
    }
    await until(() => endpoint.openSubscriptions === 1);
    await new Promise((r) => setTimeout(r, 500)); // more check rounds
    expect(staying.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('sends eventId and occurredAt with each payload, and a resync hint to a client resuming after missed events', async () => {
    const { bus, url, endpoint } = await start();
    const client = graphqlWs(url, await token());
    const first: { extensions?: Record<string, unknown> }[] = [];
    client.subscribe({ query: QUERY }, { next: (v) => void first.push(v as never), error: () => {}, complete: () => {} });
    await until(() => endpoint.openSubscriptions === 1);
    const seen = changed('e1');
    await bus.publish(seen);
    await until(() => first.length === 1);
    expect(first[0].extensions).toEqual({ eventId: seen.id, occurredAt: seen.occurredAt });
    await client.dispose();
    await until(() => endpoint.openSubscriptions === 0);

    // While the client was away, one more change happened.
    await bus.publish(changed('e2'));
    const again = graphqlWs(url, await token());
    const resumed: { data?: unknown; extensions?: Record<string, unknown> }[] = [];
    again.subscribe(
      { query: QUERY, extensions: { lastEventId: seen.id } },
      { next: (v) => void resumed.push(v as never), error: () => {}, complete: () => {} },
    );
    await until(() => resumed.length === 1);
    expect(resumed[0]).toEqual({ extensions: { resync: true, missedEvents: 1 } });

    // Resuming from the latest event it saw: nothing missed, no hint; the next payload is a plain one.
    const latest = changed('e3');
    await bus.publish(latest);
    await until(() => resumed.length === 2);
    const upToDate: { data?: unknown; extensions?: Record<string, unknown> }[] = [];
    again.subscribe(
      { query: QUERY, extensions: { lastEventId: latest.id } },
      { next: (v) => void upToDate.push(v as never), error: () => {}, complete: () => {} },
    );
    await until(() => endpoint.openSubscriptions === 2);
    await bus.publish(changed('e4'));
    await until(() => upToDate.length === 1);
    expect(upToDate[0].extensions?.resync).toBeUndefined();
    expect(upToDate[0].data).toMatchObject({ queueChanged: { entry: { id: 'e4' } } });
  });

  it('keeps a client that answers pings, and terminates one that stops answering', async () => {
    const { url, wss, endpoint } = await start({ keepAliveMs: 300 });
    const alive = await rawSubscriber(url, await token());
    const silent = await rawSubscriber(url, await token());
    await until(() => endpoint.openSubscriptions === 2);
    silent.tcp.pause(); // reads nothing more: pings go unanswered
    await until(() => wss.clients.size === 1);
    expect(endpoint.openSubscriptions).toBe(1);
    await new Promise((r) => setTimeout(r, 1_000)); // several ping rounds
    expect(alive.socket.readyState).toBe(WebSocket.OPEN);
    expect(wss.clients.size).toBe(1);
  });

  // Payloads are written to each socket without waiting: a stalled client shows as bytes queued on its socket,
  // its bounded buffer.
  it('drops a client that stops reading with 1013 when its socket buffer overflows, and keeps serving the others', async () => {
    const overflow = 'socket';
    // Each payload is ~64 KB, so a client that stops reading fills the kernel's buffers after a few events.
    const big = 'x'.repeat(64 * 1024);
    const { bus, url, wss, endpoint } = await start({
      maxSocketBufferBytes: 32 * 1024,
      closeGraceMs: 10_000,
      executeQuery: async (_q, vars) => ({ data: { entry: { id: vars.__id0, status: big } } }),
    });
    const before = Number(await dropped(overflow));
    const healthy = await rawSubscriber(url, await token());
    const slow = await rawSubscriber(url, await token());
    await until(() => endpoint.openSubscriptions === 2);
    slow.tcp.pause();
    const events = 200;
    for (let i = 0; i < events; i++) {
      await bus.publish(changed(`e${i}`));
      if (i % 10 === 9) await new Promise((r) => setTimeout(r, 10)); // a steady stream, not one burst: the healthy client keeps up
    }
    await until(() => healthy.nexts().length === events, 10_000);
    const after = async () => Number(await dropped(overflow));
    for (let i = 0; i < 100 && (await after()) === before; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await after()).toBe(before + 1);
    slow.tcp.resume(); // it reads what was sent before the drop, then the close frame
    const { code, reason } = await slow.closed;
    expect(code).toBe(SLOW_CLIENT_CLOSE_CODE);
    expect(reason).toMatch(/too slow/i);
    expect(slow.nexts().length).toBeLessThan(events);
    await until(() => wss.clients.size === 1 && endpoint.openSubscriptions === 1);
    expect(healthy.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('drops the subscribers of a shared resolution that falls maxBufferedEvents behind with 1013, never buffering without bound', async () => {
    let release: () => void = () => {};
    const stalled = new Promise<void>((r) => {
      release = r;
    });
    const { bus, url, endpoint } = await start({
      maxBufferedEvents: 5,
      // The planner hangs: every event waits for its resolution.
      executeQuery: async (_q, vars) => {
        await stalled;
        return { data: { entry: { id: vars.__id0, status: 'ASSIGNED' } } };
      },
    });
    const before = Number(await dropped('events'));
    const a = await rawSubscriber(url, await token());
    const b = await rawSubscriber(url, await token());
    await until(() => endpoint.openSubscriptions === 2);
    for (let i = 0; i < 6; i++) await bus.publish(changed(`e${i}`));
    expect((await a.closed).code).toBe(SLOW_CLIENT_CLOSE_CODE);
    expect((await b.closed).code).toBe(SLOW_CLIENT_CLOSE_CODE);
    expect(Number(await dropped('events'))).toBe(before + 2);
    release();
    await until(() => endpoint.openSubscriptions === 0);
    expect(a.nexts()).toHaveLength(0);
  });

  it('writes one frame per subscriber under its own operation id, for every subscription on a socket', async () => {
    const { bus, url, endpoint } = await start();
    const subscriber = await rawSubscriber(url, await token());
    subscriber.socket.send(JSON.stringify({ id: 'second-\u00e9"op', type: 'subscribe', payload: { query: QUERY } }));
    await until(() => endpoint.openSubscriptions === 2);
    const event = changed('e7');
    await bus.publish(event);
    await until(() => subscriber.nexts().length === 2);
    const expected = {
      data: { queueChanged: { kind: 'ASSIGNED', entry: { id: 'e7', status: 'ASSIGNED' } } },
      extensions: { eventId: event.id, occurredAt: event.occurredAt },
    };
    expect(subscriber.received.filter((m) => m.type === 'next')).toEqual(
      expect.arrayContaining([
        { id: '1', type: 'next', payload: expected },
        { id: 'second-\u00e9"op', type: 'next', payload: expected },
      ]),
    );
    // A client completing one operation keeps the other.
    subscriber.socket.send(JSON.stringify({ id: '1', type: 'complete' }));
    await until(() => endpoint.openSubscriptions === 1);
    await bus.publish(changed('e8'));
    await until(() => subscriber.nexts().length === 3);
    expect((subscriber.nexts()[2] as { id?: string }).id).toBe('second-\u00e9"op');
  });

  it('fans a burst of events out to a hundred subscribers, writing with two threads: each gets every event once, in order', async () => {
    // Slices of 0 ms: the fan-out yields (and so writes its batch) every 128 subscribers.
    const { bus, url, endpoint } = await start({ fanoutHelperThread: true, fanoutSliceMs: 0 });
    const bearer = await token();
    const subscribers = await Promise.all(Array.from({ length: 100 }, () => rawSubscriber(url, bearer)));
    // One of them subscribes twice on its socket: both operations get every event.
    subscribers[0]!.socket.send(JSON.stringify({ id: '2', type: 'subscribe', payload: { query: QUERY } }));
    await until(() => endpoint.openSubscriptions === 101);
    const events = Array.from({ length: 30 }, (_, i) => changed(`e${i}`));
    for (const event of events) await bus.publish(event);
    await until(() => subscribers.every((s, i) => s.nexts().length === (i === 0 ? 60 : 30)));
    for (const s of subscribers.slice(1)) {
      expect(s.nexts().map((m) => (m.payload?.data as { queueChanged: { entry: { id: string } } } | undefined)?.queueChanged.entry.id)).toEqual(
        events.map((_, i) => `e${i}`),
      );
    }
    for (const id of ['1', '2']) {
      expect(
        subscribers[0]!
          .nexts()
          .filter((m) => m.id === id)
          .map((m) => m.payload?.extensions?.eventId),
      ).toEqual(events.map((e) => e.id));
    }
  });

  it('answers a document that does not parse or validate with an error message, keeping the connection', async () => {
    const { url } = await start();
    const subscriber = await rawSubscriber(url, await token());
    subscriber.socket.send(JSON.stringify({ id: 'bad', type: 'subscribe', payload: { query: 'subscription { queueChanged {' } }));
    subscriber.socket.send(JSON.stringify({ id: 'unknown', type: 'subscribe', payload: { query: 'subscription { noSuchField }' } }));
    await until(() => subscriber.received.filter((m) => m.type === 'error').length === 2);
    expect(subscriber.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('shuts down cleanly: every client is closed with 1001 and the bus is no longer listened to', async () => {
    const bus = new InProcessBus();
    const unlistened = vi.fn();
    const listen = bus.listen.bind(bus);
    vi.spyOn(bus, 'listen').mockImplementation((listener) => {
      const unlisten = listen(listener);
      return async () => {
        unlistened();
        await unlisten();
      };
    });
    const { url, endpoint, dispose } = await start({ bus });
    const a = await rawSubscriber(url, await token());
    const b = await rawSubscriber(url, await token());
    await until(() => endpoint.openSubscriptions === 2);
    await dispose();
    expect((await a.closed).code).toBe(1001);
    expect((await b.closed).code).toBe(1001);
    expect(endpoint.openSubscriptions).toBe(0);
    expect(bus.listen).toHaveBeenCalledTimes(1);
    expect(unlistened).toHaveBeenCalledTimes(1);
  });
});
