import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/**
 * One unmasked, unfragmented WebSocket text frame (RFC 6455 §5.2) holding
 * `head` then `tail`, in a single buffer: the server's side of the protocol,
 * so no mask. A fan-out writes one of these per client instead of asking ws
 * to frame (and a graphql-ws emitter to stringify) the same payload again.
 */
export function textFrame(head: Buffer, tail: Buffer): Buffer {
  const length = head.length + tail.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  // Frames over 4 GB are not a subscription payload; the 64-bit length is written as two 32-bit halves.
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81; // FIN + opcode 1 (text)
  if (headerLength === 2) frame[1] = length;
  else if (headerLength === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  head.copy(frame, headerLength);
  tail.copy(frame, headerLength + head.length);
  return frame;
}

/** What of ws's internals the direct write relies on (ws 8): the TCP socket, and the sender's queue (used only while compressing or reading a Blob). */
interface WsInternals {
  _socket?: Duplex;
  _sender?: { _queue?: unknown[]; _state?: number };
  extensions?: string;
}

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
    const sender = ws._sender;
    if (plain && ws._socket && sender && sender._state === 0 && sender._queue?.length === 0) {
      ws._socket.write(frame);
      return;
    }
    // Unmasked: the second byte is the length code (126: 16-bit length follows, 127: 64-bit).
    const headerLength = frame[1] === 126 ? 4 : frame[1] === 127 ? 10 : 2;
    socket.send(frame.subarray(headerLength), { binary: false });
  };
}
