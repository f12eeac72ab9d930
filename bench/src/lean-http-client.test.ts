import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { leanHttpPoster, parseAnswer } from './lean-http-client.js';

let server: Server | undefined;
let connections = 0;

async function serve(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<string> {
  connections = 0;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  const running = server;
  server = undefined;
  if (!running) return;
  running.closeAllConnections();
  await new Promise((r) => running.close(r));
});

describe('lean HTTP client', () => {
  it('posts the body with its headers and reads status, headers and body, reusing one socket', async () => {
    const origin = await serve((req, body, res) => {
      const text = JSON.stringify({ body, path: req.url, auth: req.headers.authorization, type: req.headers['content-type'] });
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'X-Tandem-Cache': 'hit' });
      res.end(text);
    });
    const post = leanHttpPoster(origin, 4);
    try {
      for (const word of ['één', 'two', 'three']) {
        const answer = await post(`${origin}/graphql?x=1`, JSON.stringify({ word }), { authorization: 'Bearer t' });
        expect(answer.status).toBe(201);
        expect(answer.headers['x-tandem-cache']).toBe('hit');
        expect(JSON.parse(answer.text)).toEqual({ body: JSON.stringify({ word }), path: '/graphql?x=1', auth: 'Bearer t', type: 'application/json' });
      }
      expect(connections).toBe(1);
    } finally {
      post.close();
    }
  });

  it('answers every call of a burst over at most its sockets, each with its own answer', async () => {
    const origin = await serve((_req, body, res) => setTimeout(() => res.end(`echo ${body}`), 5));
    const post = leanHttpPoster(origin, 3);
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => post(origin, String(i), {})));
      expect(answers.map((a) => a.text)).toEqual(Array.from({ length: 20 }, (_, i) => `echo ${i}`));
      expect(connections).toBe(3);
    } finally {
      post.close();
    }
  });

  it('reads a chunked answer, and takes a new socket after connection: close', async () => {
    let calls = 0;
    const origin = await serve((_req, _body, res) => {
      calls++;
      if (calls === 1) {
        res.writeHead(200, { connection: 'close' });
        res.end('closing');
        return;
      }
      res.write('part one, ');
      setTimeout(() => res.end('part two'), 5);
    });
    const post = leanHttpPoster(origin, 1);
    try {
      expect((await post(origin, '{}', {})).text).toBe('closing');
      const chunked = await post(origin, '{}', {});
      expect(chunked.headers['transfer-encoding']).toBe('chunked');
      expect(chunked.text).toBe('part one, part two');
      expect(connections).toBe(2);
    } finally {
      post.close();
    }
  });

  it('fails a call whose connection dies mid-answer, and the next call gets through', async () => {
    let calls = 0;
    const origin = await serve((req, _body, res) => {
      calls++;
      if (calls === 1) {
        res.writeHead(200, { 'content-length': 100 });
        res.write('only part of it');
        setTimeout(() => req.socket.destroy(), 5);
        return;
      }
      res.end('fine');
    });
    const post = leanHttpPoster(origin, 1);
    try {
      await expect(post(origin, '{}', {})).rejects.toThrow('closed before the answer was complete');
      expect((await post(origin, '{}', {})).text).toBe('fine');
    } finally {
      post.close();
    }
  });

  it('parses only complete answers and refuses what it cannot read', () => {
    const whole = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello');
    expect(parseAnswer(whole)).toEqual({ answer: { status: 200, headers: { 'content-length': '5' }, text: 'hello' }, close: false });
    expect(parseAnswer(whole.subarray(0, whole.length - 1))).toBe('incomplete');
    expect(parseAnswer(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n'))).toBe('incomplete');
    expect(parseAnswer(Buffer.from('SSH-2.0-OpenSSH\r\n\r\n'))).toBeInstanceOf(Error);
    expect(parseAnswer(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhello'))).toBeInstanceOf(Error);
    expect(parseAnswer(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n'))).toBe('incomplete');
    expect(parseAnswer(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n'))).toMatchObject({
      answer: { text: 'hello' },
    });
  });
});
