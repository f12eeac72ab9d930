import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubgraphFetcher } from './subgraph-fetcher.js';

describe('the subgraph fetcher', () => {
  const seen: { method?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method, headers: req.headers, body });
      if (req.url === '/slow') return; // never answers
      if (req.url === '/refuse') {
        res.writeHead(400, 'Bad Request', { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
        return res.end('{"errors":[{"message":"bad","extensions":{"code":"BAD_USER_INPUT"}}]}');
      }
      res.writeHead(200, { 'content-type': 'application/graphql-response+json; charset=utf-8' });
      res.end(JSON.stringify({ data: { echo: body.length, ünïcode: 'ok' } }));
    });
  });
  let base = '';
  const fetcher = createSubgraphFetcher({ timeoutMs: 300 });

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    fetcher.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('posts the body with its length and headers, and hands back status, headers and JSON', async () => {
    const body = JSON.stringify({ query: '{ ünïcode }' });
    const res = await fetcher(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-tandem-context': 'ctx' }, body });
    expect(res.ok).toBe(true);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/graphql-response+json; charset=utf-8');
    expect(await res.json()).toEqual({ data: { echo: body.length, ünïcode: 'ok' } });
    expect(res.bodyUsed).toBe(true);
    const request = seen.at(-1)!;
    expect(request).toMatchObject({ method: 'POST', body });
    expect(request.headers).toMatchObject({ 'content-length': String(Buffer.byteLength(body)), 'x-tandem-context': 'ctx' });
  });

  it('reuses its sockets between requests (keep-alive)', async () => {
    const ports = new Set<number>();
    server.on('connection', (socket) => ports.add(socket.remotePort!));
    for (let i = 0; i < 5; i++) await (await fetcher(`${base}/graphql`, { method: 'POST', body: '{}' })).text();
    expect(ports.size).toBeLessThanOrEqual(1);
  });

  it('gives a non-2xx answer as it came (ok false, body readable, repeated headers kept), and a clone reads it again', async () => {
    const res = await fetcher(`${base}/refuse`, { method: 'POST', body: '{}' });
    expect(res).toMatchObject({ ok: false, status: 400, statusText: 'Bad Request' });
    expect(res.headers.get('set-cookie')).toBe('a=1, b=2');
    const copy = res.clone();
    expect((await res.json()).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(await copy.text()).toContain('BAD_USER_INPUT');
  });

  it('fails on a subgraph that does not answer in time, or is not there', async () => {
    await expect(fetcher(`${base}/slow`, { method: 'POST', body: '{}' })).rejects.toThrow(/did not answer within 300 ms/);
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await expect(fetcher(`http://127.0.0.1:${port}/graphql`, { method: 'POST', body: '{}' })).rejects.toThrow(/ECONNREFUSED/);
    await expect(fetcher('ftp://127.0.0.1/graphql')).rejects.toThrow(/unsupported/);
  });
});
