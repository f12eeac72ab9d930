import { Writable } from 'node:stream';
import { HeaderMap } from '@apollo/server';
import { loggerTo } from '@tandem/platform';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { requestIdOf, requestIdPlugin } from './request-id.js';

describe('request ids', () => {
  it('keeps a caller’s plausible id and replaces anything else', () => {
    expect(requestIdOf('4bf92f3577b34da6a3ce929d0e0e4736')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(requestIdOf(['trace-1234', 'other'])).toBe('trace-1234');
    for (const bad of [undefined, '', 'short', 'a'.repeat(129), 'line\nbreak-forged', '{"json":1}']) {
      const id = requestIdOf(bad);
      expect(id).not.toBe(bad);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });

  it('logs internal failures with the request id, and answers with it', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const plugin = requestIdPlugin(loggerTo(sink, 'info'));
    const contextValue = { requestId: 'trace-abcdef12', caller: { kind: 'anonymous' as const, permissions: [] } };
    const hooks = await plugin.requestDidStart!({ contextValue } as never);
    await hooks!.didEncounterErrors!({
      operationName: 'Queue',
      errors: [
        new GraphQLError('Internal error: the request could not be completed', {
          path: ['reviewQueue'],
          extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'queue' },
        }),
        new GraphQLError('Requires queue:view', { extensions: { code: 'FORBIDDEN' } }),
      ],
    } as never);
    const response = { http: { headers: new HeaderMap() } };
    await hooks!.willSendResponse!({ response } as never);
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 50,
      requestId: 'trace-abcdef12',
      operation: 'Queue',
      path: ['reviewQueue'],
      subgraph: 'queue',
      msg: 'operation failed',
    });
    expect(response.http.headers.get('x-request-id')).toBe('trace-abcdef12');
  });
});
