import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpHost } from './apollo-http.js';
import { metricsRegistry } from './metrics.js';

const count = async (answeredBy: string) => {
  const metric = await metricsRegistry.getSingleMetric('tandem_http_request_seconds')!.get();
  const values = metric.values as { metricName?: string; labels: Record<string, string | number>; value: number }[];
  return (
    values.find((v) => v.metricName === 'tandem_http_request_seconds_count' && v.labels.service === 'timed-host' && v.labels.answered_by === answeredBy)
      ?.value ?? 0
  );
};

describe('the HTTP host times each /graphql request by what answered it', () => {
  const apollo = new ApolloServer({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'hi' } } });
  let base: string;
  let server: ReturnType<typeof createHttpHost>;

  beforeAll(async () => {
    await apollo.start();
    server = createHttpHost({
      apollo,
      service: 'timed-host',
      maxBodyBytes: 1024,
      context: async () => ({}),
      admit: async (req, body) =>
        req.headers['x-refuse'] ? { kind: 'refuse', status: 429, body: { errors: [{ message: 'slow down' }] } } : { kind: 'pass', body },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await apollo.stop();
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('counts the pipeline, an admission refusal and a body refused by the host apart, and nothing else', async () => {
    const before = { graphql: await count('graphql'), admission: await count('admission'), host: await count('host') };
    const answer = (await (await post(JSON.stringify({ query: '{ hello }' }))).json()) as { data: { hello: string } };
    expect(answer.data.hello).toBe('hi');
    expect((await post(JSON.stringify({ query: '{ hello }' }), { 'x-refuse': '1' })).status).toBe(429);
    expect((await post(JSON.stringify({ query: `{ hello } # ${'x'.repeat(2000)}` }))).status).toBe(413);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    // 'finish' may follow the client's read by a tick.
    for (let i = 0; i < 50 && (await count('host')) === before.host; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await count('graphql')).toBe(before.graphql + 1);
    expect(await count('admission')).toBe(before.admission + 1);
    expect(await count('host')).toBe(before.host + 1);
  });
});
