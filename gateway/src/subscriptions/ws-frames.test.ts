import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { framedWriter, textFrame } from './ws-frames.js';

// ws's frame parser (exported at run time, not in its types).
type FrameReceiver = { on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void; write(bytes: Buffer): void };
const { Receiver } = ws as unknown as { Receiver: new (options: { isServer: boolean }) => FrameReceiver };

/** What ws's own parser (the client side of a connection) reads from the bytes. */
function readFrames(bytes: Buffer): string[] {
  const messages: string[] = [];
  const receiver = new Receiver({ isServer: false });
  receiver.on('message', (data: Buffer, isBinary: boolean) => {
    expect(isBinary).toBe(false);
    messages.push(data.toString());
  });
  receiver.write(bytes);
  return messages;
}

describe('textFrame', () => {
  // The three length encodings of RFC 6455: 7-bit, 16-bit and 64-bit, at their boundaries.
  it.each([0, 125, 126, 65_535, 65_536, 200_000])('frames a %i-byte message that a WebSocket client reads back intact', (size) => {
    const head = Buffer.from('{"id":"ab\\u00e9","type":"next","payload":');
    const body = size > head.length + 1 ? 'x'.repeat(size - head.length - 1) : '';
    const tail = Buffer.from(`${body}}`);
    const frame = textFrame(head, tail);
    expect(readFrames(frame)).toEqual([`${head}${tail}`]);
  });

  it('frames back to back read as separate messages (one write per client per event)', () => {
    const head = Buffer.from('{"id":"1","type":"next","payload":');
    const frames = Buffer.concat([textFrame(head, Buffer.from('{"a":1}}')), textFrame(head, Buffer.from('{"b":"é"}}'))]);
    expect(readFrames(frames).map((m) => JSON.parse(m).payload)).toEqual([{ a: 1 }, { b: 'é' }]);
  });
});

describe('framedWriter', () => {
  /** A server-side socket and what its client reads; compression as negotiated by both ends. */
  async function pair(perMessageDeflate: boolean) {
    const server = new ws.WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate });
    const accepted = new Promise<ws.WebSocket>((r) => server.once('connection', r));
    await new Promise((r) => server.once('listening', r));
    const client = new ws.WebSocket(`ws://127.0.0.1:${(server.address() as { port: number }).port}`, { perMessageDeflate });
    const received: string[] = [];
    client.on('message', (data: Buffer) => received.push(data.toString()));
    const socket = await accepted;
    await new Promise((r) => (client.readyState === client.OPEN ? r(null) : client.once('open', r)));
    const close = async () => {
      client.terminate();
      await new Promise((r) => server.close(r));
    };
    return { socket, client, received, close };
  }

  it.each([
    ['written straight to the TCP socket', false],
    ['handed to ws, which compresses (permessage-deflate negotiated)', true],
  ] as const)('delivers frames intact and in order when %s, with ws sending its own frames between them', async (_how, deflate) => {
    const { socket, received, close } = await pair(deflate);
    try {
      expect(socket.extensions !== '').toBe(deflate);
      const write = framedWriter(socket);
      const head = Buffer.from('{"id":"x","type":"next","payload":');
      write(textFrame(head, Buffer.from('{"n":1}}')));
      socket.send('{"type":"ping"}');
      write(textFrame(head, Buffer.from(`{"n":2,"pad":"${'y'.repeat(70_000)}"}}`)));
      await new Promise<void>((resolve) => {
        const check = setInterval(() => {
          if (received.length === 3) {
            clearInterval(check);
            resolve();
          }
        }, 10);
      });
      expect(received.map((m) => JSON.parse(m).payload?.n ?? JSON.parse(m).type)).toEqual([1, 'ping', 2]);
    } finally {
      await close();
    }
  });

  it('writes nothing once the socket is closing', async () => {
    const { socket, client, received, close } = await pair(false);
    try {
      const closed = new Promise((r) => client.once('close', r));
      socket.close(1000);
      framedWriter(socket)(textFrame(Buffer.from('{"id":"x","type":"next","payload":'), Buffer.from('{}}')));
      await closed;
      expect(received).toEqual([]);
    } finally {
      await close();
    }
  });
});
