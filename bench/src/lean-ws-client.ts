import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * A minimal WebSocket client (RFC 6455) for the fan-out bench: thousands of
 * them share one measuring process, on the same cores as the server they
 * measure, so each must cost as little as a socket read. It does the
 * handshake, unmasks nothing (servers never mask), reassembles frames split
 * or joined by TCP, answers pings, masks what it sends, and hands every text
 * message over as bytes with the time its first bytes were read. Parsing is
 * the caller's choice, and may wait: see fanout-bench.ts.
 *
 * Not supported, as the bench needs none of it: extensions (no
 * permessage-deflate is offered), fragmented messages (continuation frames),
 * TLS.
 */
export interface LeanSocket {
  /** Sends one text message (masked, as a client must). */
  send(text: string): void;
  /** Ends the connection at once. */
  destroy(): void;
  readonly open: boolean;
}

export interface LeanHandlers {
  /**
   * A text message: its bytes and Date.now() when the read that completed it began. The bytes live in a
   * buffer every socket reads into: valid during the call only, copy what you keep.
   */
  onText(bytes: Buffer, at: number): void;
  /** The connection ended, by either side; `code` from the server's close frame when it sent one. */
  onClose?(code: number | undefined): void;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/**
 * Every socket reads into this one buffer, through `onread`: no stream, no 'data' event, no allocation per
 * read, which at thousands of sockets per event is most of what a read costs in JavaScript. One event loop
 * runs one read callback at a time, and bytes kept past a callback are copied out.
 */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

/** Connects and completes the handshake; rejects on a refused connection or any answer but 101 with the right accept key. */
export function leanConnect(url: string, protocol: string, handlers: LeanHandlers): Promise<LeanSocket> {
  const { hostname, port, pathname, search } = new URL(url);
  const key = randomBytes(16).toString('base64');
  const accept = createHash('sha1').update(key + GUID).digest('base64');
  return new Promise((resolveOpen, rejectOpen) => {
    const socket: Socket = connect({
      host: hostname,
      port: Number(port || 80),
      noDelay: true,
      onread: {
        buffer: READ_BUFFER,
        callback: (length: number, buffer: Uint8Array) => {
          read(Buffer.from(buffer.buffer, buffer.byteOffset, length));
          return true;
        },
      },
    });
    let open = false;
    let closeCode: number | undefined;
    let pending: Buffer | undefined;
    const lean: LeanSocket = {
      send: (text) => socket.write(maskedFrame(0x1, Buffer.from(text))),
      destroy: () => socket.destroy(),
      get open() {
        return open;
      },
    };
    socket.once('connect', () =>
      socket.write(
        `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ${protocol}\r\n\r\n`,
      ),
    );
    socket.on('error', (err) => {
      if (!open) rejectOpen(err);
    });
    socket.on('close', () => {
      const wasOpen = open;
      open = false;
      if (wasOpen) handlers.onClose?.(closeCode);
      else rejectOpen(new Error('closed during the handshake'));
    });
    const read = (chunk: Buffer) => {
      const at = Date.now();
      let buf = pending ? Buffer.concat([pending, chunk]) : chunk;
      pending = undefined;
      if (!open) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) {
          pending = Buffer.from(buf);
          return;
        }
        const head = buf.subarray(0, end).toString('latin1');
        const status = /^HTTP\/1\.1 (\d{3})/.exec(head)?.[1];
        const gotAccept = /^sec-websocket-accept:\s*(\S+)/im.exec(head)?.[1];
        const gotProtocol = /^sec-websocket-protocol:\s*(\S+)/im.exec(head)?.[1];
        if (status !== '101' || gotAccept !== accept || gotProtocol !== protocol) {
          socket.destroy();
          rejectOpen(new Error(`handshake refused: ${head.split('\r\n')[0]}`));
          return;
        }
        open = true;
        resolveOpen(lean);
        buf = buf.subarray(end + 4);
      }
      // Every complete frame in what has arrived; the rest waits for the next read.
      let offset = 0;
      while (buf.length - offset >= 2) {
        const b0 = buf[offset]!;
        const b1 = buf[offset + 1]!;
        let length = b1 & 0x7f;
        let start = offset + 2;
        if (length === 126) {
          if (buf.length - offset < 4) break;
          length = buf.readUInt16BE(offset + 2);
          start = offset + 4;
        } else if (length === 127) {
          if (buf.length - offset < 10) break;
          length = Number(buf.readBigUInt64BE(offset + 2));
          start = offset + 10;
        }
        if (b1 & 0x80) {
          // A server must not mask: RFC 6455 §5.1 says the client then closes.
          socket.destroy();
          return;
        }
        if (buf.length < start + length) break;
        const payload = buf.subarray(start, start + length);
        offset = start + length;
        const opcode = b0 & 0x0f;
        if (opcode === 0x1) handlers.onText(payload, at);
        else if (opcode === 0x9) socket.write(maskedFrame(0xa, payload));
        else if (opcode === 0x8) {
          closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : undefined;
          socket.end(maskedFrame(0x8, payload.subarray(0, 2)));
        }
      }
      // What is left of the shared buffer is overwritten by the next read: keep a copy.
      if (offset < buf.length) pending = Buffer.from(buf.subarray(offset));
    };
  });
}

/** One final frame from the client: RFC 6455 requires clients to mask, with a fresh key per frame. */
export function maskedFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const headLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headLength + 4 + length);
  frame[0] = 0x80 | opcode;
  if (length < 126) frame[1] = 0x80 | length;
  else if (length < 65_536) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  const mask = randomBytes(4);
  mask.copy(frame, headLength);
  for (let i = 0; i < length; i++) frame[headLength + 4 + i] = payload[i]! ^ mask[i & 3]!;
  return frame;
}
