import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { DirectTarget } from './frame-write-pool.js';

/**
 * One unmasked, unfragmented WebSocket text frame (RFC 6455 §5.2) holding
 * `head` then `tail`, in a single buffer: the server's side of the protocol,
 * so no mask. A fan-out writes one of these per client instead of asking ws
 * to frame (and a graphql-ws emitter to stringify) the same payload again.
 */
export function textFrame(head: Buffer, tail: Buffer): Buffer {
  const length = head.length + tail.length;
  const frame = Buffer.allocUnsafe(textFrameHeaderLength(length) + length);
  const headerLength = writeTextFrameHeader(frame, 0, length);
  head.copy(frame, headerLength);
  tail.copy(frame, headerLength + head.length);
  return frame;
}

/** The header's size for a text frame of `length` payload bytes: 7-, 16- or 64-bit length. */
export function textFrameHeaderLength(length: number): number {
  return length < 126 ? 2 : length < 65_536 ? 4 : 10;
}

/** Writes an unmasked text frame's header (FIN + opcode 1, then the length) into `frame` at `at`; returns its size. */
export function writeTextFrameHeader(frame: Buffer, at: number, length: number): number {
  const headerLength = textFrameHeaderLength(length);
  frame[at] = 0x81; // FIN + opcode 1 (text)
  if (headerLength === 2) frame[at + 1] = length;
  else if (headerLength === 4) {
    frame[at + 1] = 126;
    frame.writeUInt16BE(length, at + 2);
  } else {
    // Frames over 4 GB are not a subscription payload; the 64-bit length is written as two 32-bit halves.
    frame[at + 1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), at + 2);
    frame.writeUInt32BE(length >>> 0, at + 6);
  }
  return headerLength;
}

/** What of ws's internals the direct write relies on (ws 8): the TCP socket, and the sender's queue (used only while compressing or reading a Blob). */
interface WsInternals {
  _socket?: Duplex;
  _sender?: { _queue?: unknown[]; _state?: number };
  extensions?: string;
}

/** ws has nothing of its own queued: a frame written to the socket now cannot interleave with one of ws's. */
const senderIdle = (ws: WsInternals) => ws._sender?._state === 0 && ws._sender._queue?.length === 0;

/**
 * A writer of pre-framed text messages for one socket. Each frame is written
 * straight to the TCP socket when ws has nothing of its own queued and no
 * extension (compression) was negotiated, so frames cannot interleave with
 * ws's own; through ws.send otherwise. Nothing is sent unless the socket is
 * OPEN (never after a close frame).
 */
export function framedWriter(socket: WebSocket): (frame: Buffer) => void {
  const ws = socket as unknown as WsInternals;
  // Fixed once the handshake is done: with permessage-deflate, ws must do the framing.
  const plain = !ws.extensions;
  return (frame) => {
    if (socket.readyState !== 1) return;
    if (plain && ws._socket && senderIdle(ws)) {
      ws._socket.write(frame);
      return;
    }
    // Unmasked: the second byte is the length code (126: 16-bit length follows, 127: 64-bit).
    const headerLength = frame[1] === 126 ? 4 : frame[1] === 127 ? 10 : 2;
    socket.send(frame.subarray(headerLength), { binary: false });
  };
}

/** What of node's socket the direct target reads: libuv's handle (its descriptor and write queue). */
interface SocketInternals {
  _handle?: { fd?: number; writeQueueSize?: number } | null;
  encrypted?: boolean;
}

/**
 * The socket under a WebSocket as a target for writes through its file
 * descriptor (frame-write-pool.ts): `fd()` is the descriptor only while a
 * frame written there cannot overtake or split anything — the WebSocket is
 * OPEN without extensions, ws's sender is idle, node's stream and libuv's
 * write queue are empty, and the socket is plain TCP (TLS must go through
 * node); -1 otherwise.
 */
export function directWriteTarget(socket: WebSocket): DirectTarget {
  const ws = socket as unknown as WsInternals;
  const plain = !ws.extensions;
  return {
    fd: () => {
      if (!plain || socket.readyState !== 1) return -1;
      const tcp = ws._socket as (Duplex & SocketInternals) | undefined;
      if (!tcp || !senderIdle(ws)) return -1;
      const handle = tcp._handle;
      if (!handle || tcp.encrypted || tcp.writableLength !== 0 || handle.writeQueueSize !== 0) return -1;
      return typeof handle.fd === 'number' && handle.fd >= 0 ? handle.fd : -1;
    },
    writeQueued: (bytes) => {
      ws._socket?.write(bytes);
    },
  };
}
