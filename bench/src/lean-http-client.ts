import { connect, type Socket } from 'node:net';

/**
 * A minimal HTTP/1.1 client for the bench's request rows: the measuring
 * process shares the two cores with the server it measures, and every
 * microsecond it spends is one the server waits for a core. node:http's
 * client (agent, ClientRequest, IncomingMessage, header objects, events per
 * request) cost the decision rounds 0.5-0.6 ms of CPU per call, this one
 * about 0.2 ms: it writes each request as one string on a kept-alive socket
 * and reads the answer's status line, headers and body.
 *
 * What it understands of an answer: the status, `content-length` or
 * `transfer-encoding: chunked` bodies, and `connection: close`. Not supported,
 * as the bench needs none of it: TLS, 1xx answers, pipelining (one request
 * per socket at a time), redirects.
 */
export interface LeanAnswer {
  status: number;
  /** the answer's headers, names lower-cased (a repeated header keeps its last value) */
  headers: Record<string, string>;
  text: string;
}

export type LeanPost = (url: string, body: string, headers: Record<string, string>) => Promise<LeanAnswer>;

interface Pending {
  request: string;
  resolve(answer: LeanAnswer): void;
  reject(err: Error): void;
}

interface Connection {
  socket: Socket;
  /** the request this socket is answering; undefined while idle */
  current?: Pending;
  /** bytes read of the current answer so far */
  received?: Buffer;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * Answers POSTs to one origin over at most `maxConnections` kept-alive
 * sockets; calls beyond that wait, in order, for a free one. `close()` ends
 * the sockets and fails whatever is still waiting.
 */
export function leanHttpPoster(origin: string, maxConnections: number): LeanPost & { close(): void } {
  const { hostname, port, host } = new URL(origin);
  const idle: Connection[] = [];
  const waiting: Pending[] = [];
  let open = 0;
  let closed = false;
  /** Each URL's request line, made once: the rows post to one or two URLs all along. */
  const requestLines = new Map<string, string>();

  const release = (conn: Connection, keep: boolean) => {
    conn.current = undefined;
    conn.received = undefined;
    if (!keep || closed) {
      conn.socket.destroy();
      return;
    }
    const next = waiting.shift();
    if (next) send(conn, next);
    else idle.push(conn);
  };

  const send = (conn: Connection, pending: Pending) => {
    conn.current = pending;
    conn.socket.write(pending.request);
  };

  const onData = (conn: Connection, chunk: Buffer) => {
    const pending = conn.current;
    if (!pending) {
      conn.socket.destroy(); // bytes nobody asked for: this socket can no longer be trusted
      return;
    }
    const bytes = conn.received ? Buffer.concat([conn.received, chunk]) : chunk;
    conn.received = bytes;
    const parsed = parseAnswer(bytes);
    if (parsed === 'incomplete') return;
    if (parsed instanceof Error) {
      pending.reject(parsed);
      release(conn, false);
      return;
    }
    pending.resolve(parsed.answer);
    release(conn, !parsed.close);
  };

  const connectOne = () => {
    open++;
    const socket = connect({ host: hostname, port: Number(port || 80), noDelay: true });
    const conn: Connection = { socket };
    socket.on('data', (chunk: Buffer) => onData(conn, chunk));
    socket.once('connect', () => {
      const next = waiting.shift();
      if (next) send(conn, next);
      else idle.push(conn);
    });
    socket.on('error', () => {}); // 'close' follows and says what failed
    socket.once('close', () => {
      open--;
      const at = idle.indexOf(conn);
      if (at >= 0) idle.splice(at, 1);
      conn.current?.reject(new Error('the connection closed before the answer was complete'));
      conn.current = undefined;
      // Requests that were waiting for this socket's place take a new one.
      if (!closed && waiting.length > 0 && open < maxConnections) connectOne();
    });
  };

  const post = (url: string, body: string, headers: Record<string, string>): Promise<LeanAnswer> => {
    if (closed) return Promise.reject(new Error('the poster is closed'));
    let line = requestLines.get(url);
    if (line === undefined) {
      const { pathname, search } = new URL(url, origin);
      line = `POST ${pathname}${search} HTTP/1.1\r\nhost: ${host}\r\ncontent-type: application/json\r\n`;
      requestLines.set(url, line);
    }
    let head = `${line}content-length: ${Buffer.byteLength(body)}\r\n`;
    for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
    return new Promise<LeanAnswer>((resolve, reject) => {
      const pending: Pending = { request: `${head}\r\n${body}`, resolve, reject };
      const conn = idle.pop();
      if (conn) send(conn, pending);
      else {
        waiting.push(pending);
        if (open < maxConnections) connectOne();
      }
    });
  };

  return Object.assign(post, {
    close() {
      closed = true;
      for (const pending of waiting.splice(0)) pending.reject(new Error('the poster is closed'));
      for (const conn of idle.splice(0)) conn.socket.destroy();
    },
  });
}

/**
 * One HTTP/1.1 answer from the start of `bytes`: 'incomplete' until all of it
 * has arrived, an Error for what this client does not read, else the answer
 * and whether the server will close the connection after it.
 */
export function parseAnswer(bytes: Buffer): 'incomplete' | Error | { answer: LeanAnswer; close: boolean } {
  const headerEnd = bytes.indexOf(HEADER_END);
  if (headerEnd < 0) return 'incomplete';
  const lines = bytes.toString('latin1', 0, headerEnd).split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!status) return new Error(`not an HTTP/1.1 status line: ${JSON.stringify(lines[0]?.slice(0, 80))}`);
  const headers: Record<string, string> = {};
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const close = headers.connection?.toLowerCase() === 'close';
  const bodyStart = headerEnd + HEADER_END.length;
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
    const body = dechunk(bytes, bodyStart);
    if (body === 'incomplete' || body instanceof Error) return body;
    return { answer: { status: Number(status[1]), headers, text: body }, close };
  }
  const length = headers['content-length'] === undefined ? 0 : Number(headers['content-length']);
  if (!Number.isSafeInteger(length) || length < 0) return new Error(`an unreadable content-length: ${headers['content-length']}`);
  if (bytes.length < bodyStart + length) return 'incomplete';
  if (bytes.length > bodyStart + length) return new Error('more bytes than the answer holds: this client sends one request at a time');
  return { answer: { status: Number(status[1]), headers, text: bytes.toString('utf8', bodyStart, bodyStart + length) }, close };
}

/** A chunked body starting at `from`: its text once the last (empty) chunk and the trailer's end have arrived. */
function dechunk(bytes: Buffer, from: number): 'incomplete' | Error | string {
  const parts: Buffer[] = [];
  let at = from;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd < 0) return 'incomplete';
    const size = Number.parseInt(bytes.toString('latin1', at, lineEnd).split(';')[0]!, 16);
    if (!Number.isSafeInteger(size) || size < 0) return new Error('an unreadable chunk size');
    at = lineEnd + 2;
    if (size === 0) {
      // Trailers (none are sent to the bench) end with an empty line.
      const end = bytes.indexOf(HEADER_END, at - 2);
      if (end < 0) return 'incomplete';
      return Buffer.concat(parts).toString('utf8');
    }
    if (bytes.length < at + size + 2) return 'incomplete';
    parts.push(bytes.subarray(at, at + size));
    at += size + 2;
  }
}
