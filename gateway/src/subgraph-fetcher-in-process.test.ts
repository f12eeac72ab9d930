import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { closeServer, createHttpHost, createInProcessGraphQL, formatError, type HttpHostOptions, type RequestHeaders } from '@tandem/platform';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubgraphFetcher } from './subgraph-fetcher.js';

interface Ctx {
  who: string;
}

/**
 * One Apollo host served both ways, as the embedded process serves each
 * subgraph: the gateway's fetcher must get the same answer in process as
 * over HTTP, whatever the request does.
 */
describe('the subgraph fetcher, in process', () => {
  const apollo = new ApolloServer<Ctx>({
    typeDefs: 'type Query { whoami: String!  fails: String  slow: String }',
    resolvers: {
      Query: {
        whoami: (_: unknown, __: unknown, ctx: Ctx) => ctx.who,
        fails: () => {
          throw new GraphQLError('not yours', { extensions: { code: 'FORBIDDEN' } });
        },
        slow: () => new Promise(() => {}),
      },
    },
    formatError,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
  });
  const options: HttpHostOptions<Ctx, RequestHeaders> = {
    apollo,
    context: async (req) => {
      const who = req.headers['x-who'];
      if (typeof who !== 'string') throw new GraphQLError('who are you?', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
      return { who };
    },
  };
  const server = createHttpHost(options);
  let url = '';
  let overHttp: ReturnType<typeof createSubgraphFetcher>;
  let inProcess: ReturnType<typeof createSubgraphFetcher>;

  beforeAll(async () => {
    await apollo.start();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    overHttp = createSubgraphFetcher();
    inProcess = createSubgraphFetcher({ inProcess: { [url]: createInProcessGraphQL(options) }, timeoutMs: 300 });
  });
  afterAll(async () => {
    overHttp.close();
    inProcess.close();
    await closeServer(server);
    await apollo.stop();
  });

  const both = async (body: string, headers: Record<string, string> = { 'content-type': 'application/json', 'X-Who': 'analyst-1' }) => {
    const answers = [];
    for (const fetcher of [overHttp, inProcess]) {
      const res = await fetcher(url, { method: 'POST', headers, body });
      answers.push({ status: res.status, ok: res.ok, type: res.headers.get('content-type'), body: await res.text() });
    }
    return answers;
  };

  it('answers a query the same way, with the headers (any case) reaching the context', async () => {
    const [http, local] = await both(JSON.stringify({ query: '{ whoami }' }));
    expect(local).toEqual(http);
    expect(JSON.parse(local!.body)).toEqual({ data: { whoami: 'analyst-1' } });
  });

  it('answers a resolver error, a refused context, a bad body and a bad query the same way', async () => {
    for (const [body, headers, status, code] of [
      [JSON.stringify({ query: '{ fails }' }), undefined, 200, 'FORBIDDEN'],
      [JSON.stringify({ query: '{ whoami }' }), { 'content-type': 'application/json' }, 401, 'UNAUTHENTICATED'],
      ['{not json', undefined, 400, 'BAD_REQUEST'],
      [JSON.stringify({ query: '{ nope }' }), undefined, 400, 'GRAPHQL_VALIDATION_FAILED'],
    ] as const) {
      const [http, local] = await both(body, headers);
      expect(local).toEqual(http);
      expect(local!.status).toBe(status);
      expect(JSON.parse(local!.body).errors[0].extensions.code).toBe(code);
    }
  });

  it('gives up on a subgraph that does not answer in time', async () => {
    await expect(
      inProcess(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-who': 'a' }, body: '{"query":"{ slow }"}' }),
    ).rejects.toThrow(/did not answer within 300 ms/);
  });

  it('leaves other URLs, and other methods, to HTTP', async () => {
    const res = await inProcess(url.replace('/graphql', '/health'), { method: 'GET' });
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});
