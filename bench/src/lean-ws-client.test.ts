import { createHash } from 'node:crypto';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { leanConnect } from './lean-ws-client.js';

const servers: { close(cb?: () => void): unknown }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(() => r(undefined)))));
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const listening = (server: Server | HttpServer) =>
  new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as { port: number }).port)));

/** A real WebSocket server (the ws package, which the gateway uses too). */
async function wsServer(onConnection: (socket: import('ws').WebSocket) => void) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (p) => (p.has('graphql-transport-ws') ? 'graphql-transport-ws' : false) });
  servers.push(wss);
  await new Promise((r) => wss.once('listening', r));
  wss.on('connection', onConnection);
  return `ws://127.0.0.1:${(wss.address() as { port: number }).port}/graphql`;
}

describe('lean WebSocket client', () => {
  it('shakes hands, sends masked text the server accepts, and receives short, medium and long messages whole', async () => {
    const received: string[] = [];
    const url = await wsServer((socket) =>
      socket.on('message', (data) => {
        received.push(String(data));
        for (const size of [5, 125, 126, 200, 65_535, 70_000]) socket.send('x'.repeat(size - 1) + String(size % 10));
      }),
    );
    const got: Buffer[] = [];
    const client = await leanConnect(url, 'graphql-transport-ws', { onText: (b) => got.push(Buffer.from(b)) });
    client.send('{"type":"connection_init"}');
    for (let i = 0; i < 100 && got.length < 6; i++) await sleep(10);
    expect(received).toEqual(['{"type":"connection_init"}']);
    expect(got.map((b) => b.length)).toEqual([5, 125, 126, 200, 65_535, 70_000]);
    expect(got.map((b) => b.toString().at(-1))).toEqual(['5', '5', '6', '0', '5', '0']);
    client.destroy();
  });

  it('answers pings with the same payload, and reports the close code the server sent', async () => {
    let pong: Buffer | undefined;
    let serverSocket: import('ws').WebSocket | undefined;
    const url = await wsServer((socket) => {
      serverSocket = socket;
      socket.on('pong', (data) => {
        pong = data;
        socket.close(4401, 'Unauthorized');
      });
      socket.ping('are you there');
    });
    let closed: number | undefined | 'not yet' = 'not yet';
    const client = await leanConnect(url, 'graphql-transport-ws', { onText: () => {}, onClose: (code) => (closed = code) });
    for (let i = 0; i < 100 && closed === 'not yet'; i++) await sleep(10);
    expect(pong?.toString()).toBe('are you there');
    expect(closed).toBe(4401);
    expect(client.open).toBe(false);
    expect(serverSocket).toBeDefined();
  });

  it('reassembles frames that TCP splits, and separates frames it joins, stamping each with its read', async () => {
    // A raw server, to control exactly how the bytes arrive.
    const frame = (text: string) => Buffer.concat([Buffer.from([0x81, text.length]), Buffer.from(text)]);
    const server = createServer((socket: Socket) => {
      socket.once('data', async (request) => {
        const key = /^sec-websocket-key:\s*(\S+)/im.exec(request.toString())![1]!;
        const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
        // The handshake's answer and the first two frames in one write.
        socket.write(
          Buffer.concat([
            Buffer.from(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: p\r\n\r\n`),
            frame('one'),
            frame('two'),
          ]),
        );
        const third = frame('three, split in three reads');
        for (const part of [third.subarray(0, 1), third.subarray(1, 9), third.subarray(9)]) {
          await sleep(30);
          socket.write(part);
        }
      });
    });
    servers.push(server);
    const port = await listening(server);
    const got: { text: string; at: number }[] = [];
    const client = await leanConnect(`ws://127.0.0.1:${port}/`, 'p', { onText: (b, at) => got.push({ text: b.toString(), at }) });
    for (let i = 0; i < 100 && got.length < 3; i++) await sleep(10);
    expect(got.map((g) => g.text)).toEqual(['one', 'two', 'three, split in three reads']);
    // The split frame is stamped by the read that completed it, later than the joined ones.
    expect(got[2]!.at - got[0]!.at).toBeGreaterThanOrEqual(50);
    client.destroy();
  });

  it('refuses a server that does not switch protocols, or answers with the wrong key', async () => {
    const http = createHttpServer((_req, res) => res.writeHead(403).end('no'));
    servers.push(http);
    const port = await listening(http);
    await expect(leanConnect(`ws://127.0.0.1:${port}/graphql`, 'p', { onText: () => {} })).rejects.toThrow(/handshake refused: HTTP\/1.1 403/);

    const liar = createServer((socket) =>
      socket.once('data', () =>
        socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: d3Jvbmc=\r\nSec-WebSocket-Protocol: p\r\n\r\n'),
      ),
    );
    servers.push(liar);
    const liarPort = await listening(liar);
    await expect(leanConnect(`ws://127.0.0.1:${liarPort}/`, 'p', { onText: () => {} })).rejects.toThrow(/handshake refused/);
  });
});
