import { afterEach, describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { type FrameBatch, FrameWritePool } from './frame-write-pool.js';
import { directWriteTarget, framedWriter, textFrame } from './ws-frames.js';

/** Server-side sockets and what each client reads, over real loopback connections. */
async function connections(count: number, options: { perMessageDeflate?: boolean } = {}) {
  const server = new ws.WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: options.perMessageDeflate ?? false });
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as { port: number }).port;
  const sockets: ws.WebSocket[] = [];
  server.on('connection', (socket) => sockets.push(socket));
  const clients: { socket: ws.WebSocket; received: string[] }[] = [];
  for (let i = 0; i < count; i++) {
    const socket = new ws.WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: options.perMessageDeflate ?? false });
    const received: string[] = [];
    socket.on('message', (data: Buffer) => received.push(data.toString()));
    socket.on('error', () => {});
    await new Promise((r) => socket.once('open', r));
    clients.push({ socket, received });
  }
  while (sockets.length < count) await new Promise((r) => setTimeout(r, 5));
  // Pair each server socket with its client by the client's local port.
  const byPort = new Map(sockets.map((s) => [(s as unknown as { _socket: import('node:net').Socket })._socket.remotePort, s]));
  const pairs = clients.map((c) => ({
    ...c,
    server: byPort.get((c.socket as unknown as { _socket: import('node:net').Socket })._socket.localPort)!,
  }));
  cleanups.push(async () => {
    for (const c of clients) c.socket.terminate();
    await new Promise((r) => server.close(r));
  });
  return pairs;
}

/** A connection as the executor sees it: direct writes where possible, its own ordered path otherwise. */
function target(socket: ws.WebSocket) {
  const write = framedWriter(socket);
  return { direct: directWriteTarget(socket), fallback: { send: (head: Buffer, tail: Buffer) => write(textFrame(head, tail)) } };
}

/** What the executor does with a frame: into the batch when the socket takes it direct, through the connection otherwise. */
function offer(batch: FrameBatch, t: ReturnType<typeof target>, head: Buffer, tail: Buffer): void {
  if (!batch.add(t.direct, t.fallback, head, tail)) t.fallback.send(head, tail);
}

const until = async (check: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

function pool() {
  const p = new FrameWritePool({ helperThread: true });
  cleanups.push(() => p.close());
  return p;
}

describe('FrameWritePool', () => {
  it('writes every frame of many fan-outs to its own socket, once and in order, with the helper thread taking part', async () => {
    const clients = await connections(200);
    const writes = pool();
    const targets = clients.map((c) => target(c.server));
    let events = 0;
    // The helper shares a batch only once it wakes in time; on a busy machine that can take a few batches.
    while (events < 20 || (writes.written.helper === 0 && events < 200)) {
      const batch = writes.begin();
      const tail = Buffer.from(`{"event":${events}}}`);
      for (const [i, t] of targets.entries()) offer(batch, t, Buffer.from(`{"id":"c${i}","type":"next","payload":`), tail);
      batch.flush();
      events++;
    }
    await until(() => clients.every((c) => c.received.length === events));
    clients.forEach((c, i) => {
      expect(c.received.map((m) => JSON.parse(m))).toEqual(Array.from({ length: events }, (_, n) => ({ id: `c${i}`, type: 'next', payload: { event: n } })));
    });
    expect(writes.written.helper).toBeGreaterThan(0);
    expect(writes.written.caller + writes.written.helper).toBe(events * clients.length);
  });

  it('queues what a full socket did not take, so a client that stops reading still gets every frame intact and in order', async () => {
    const [slow, healthy] = await connections(2);
    const slowTcp = (slow!.socket as unknown as { _socket: import('node:net').Socket })._socket;
    slowTcp.pause();
    const writes = pool();
    const targets = [target(slow!.server), target(healthy!.server)];
    const pad = 'p'.repeat(60_000);
    const frames = 300; // 18 MB: far more than loopback's socket buffers hold
    let queuedSeen = false;
    for (let n = 0; n < frames; n++) {
      const batch = writes.begin();
      const tail = Buffer.from(`{"n":${n},"pad":"${pad}"}}`);
      for (const t of targets) offer(batch, t, Buffer.from('{"id":"x","type":"next","payload":'), tail);
      batch.flush();
      if (slow!.server.bufferedAmount > 0) queuedSeen = true;
      // The healthy client reads as it goes; the slow one does not read at all.
      if (n % 20 === 19) await until(() => healthy!.received.length === n + 1);
    }
    // The kernel took what it could; the rest waits on the socket's stream, and later frames went behind it.
    expect(queuedSeen).toBe(true);
    expect(targets[0]!.direct.fd()).toBe(-1);
    slowTcp.resume();
    await until(() => slow!.received.length === frames && healthy!.received.length === frames, 30_000);
    for (const c of [slow!, healthy!]) expect(c.received.map((m) => JSON.parse(m).payload.n)).toEqual(Array.from({ length: frames }, (_, n) => n));
  });

  it('writes two frames for one socket in one batch in the order they were added (two subscriptions on one connection)', async () => {
    const clients = await connections(100);
    const writes = pool();
    // Counted: the second frame of a socket must never be written direct in the same batch, where the other thread
    // could write the first one at the same moment.
    let throughConnection = 0;
    const targets = clients.map((c) => {
      const t = target(c.server);
      const send = (head: Buffer, tail: Buffer) => {
        throughConnection++;
        t.fallback.send(head, tail);
      };
      return { direct: t.direct, fallback: { send } };
    });
    const rounds = 30;
    for (let n = 0; n < rounds; n++) {
      const batch = writes.begin();
      const tail = Buffer.from(`{"n":${n}}}`);
      for (const t of targets) {
        offer(batch, t, Buffer.from('{"id":"first","type":"next","payload":'), tail);
        offer(batch, t, Buffer.from('{"id":"second","type":"next","payload":'), tail);
      }
      batch.flush();
    }
    await until(() => clients.every((c) => c.received.length === 2 * rounds));
    expect(writes.written.caller + writes.written.helper).toBe(rounds * clients.length);
    expect(throughConnection).toBe(rounds * clients.length);
    const expected = Array.from({ length: rounds }, (_, n) => [`first ${n}`, `second ${n}`]).flat();
    for (const c of clients) {
      expect(c.received.map((m) => JSON.parse(m)).map((m: { id: string; payload: { n: number } }) => `${m.id} ${m.payload.n}`)).toEqual(expected);
    }
  });

  it('sends through ws when it compresses (permessage-deflate), and the frames still arrive', async () => {
    const clients = await connections(70, { perMessageDeflate: true });
    const writes = pool();
    const targets = clients.map((c) => target(c.server));
    expect(targets[0]!.direct.fd()).toBe(-1);
    const batch = writes.begin();
    for (const t of targets) offer(batch, t, Buffer.from('{"id":"z","type":"next","payload":'), Buffer.from('{"ok":true}}'));
    batch.flush();
    await until(() => clients.every((c) => c.received.length === 1));
    expect(JSON.parse(clients[0]!.received[0]!)).toEqual({ id: 'z', type: 'next', payload: { ok: true } });
    expect(writes.written.caller + writes.written.helper).toBe(0);
  });

  it('survives sockets whose clients are gone, and keeps writing to the others', async () => {
    const clients = await connections(100);
    const writes = pool();
    const targets = clients.map((c) => target(c.server));
    // Half the clients close their sockets, and the server writes on in the same turn, before it can read that:
    // the first write draws a reset, the next ones fail (EPIPE), on both threads.
    for (const c of clients.slice(0, 50)) c.socket.terminate();
    for (let n = 0; n < 3; n++) {
      const batch = writes.begin();
      for (const t of targets) offer(batch, t, Buffer.from('{"id":"y","type":"next","payload":'), Buffer.from(`{"n":${n}}}`));
      batch.flush();
    }
    await until(() => clients.slice(50).every((c) => c.received.length === 3));
    for (const c of clients.slice(50)) expect(c.received.map((m) => JSON.parse(m).payload.n)).toEqual([0, 1, 2]);
  });
});
