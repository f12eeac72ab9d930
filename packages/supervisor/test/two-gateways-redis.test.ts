import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig, RedisStreamBus } from '@tandem/platform';
import { createTestDatabase } from '@tandem/platform/testing';
import { startGateway, type RunningGateway } from '@tandem/gateway';
import { startTandem, type RunningTandem } from '../src/tandem.js';
import { collect, gql, login, partnerToken, until, wsClient } from './graph-client.js';

/**
 * The cluster's promise, on real Redis: a subscription opened on one gateway
 * receives events caused through another, because every process shares the
 * event stream rather than an in-memory bus.
 */
describe('two gateways sharing events through Redis', () => {
  let tandem: RunningTandem;
  let second: RunningGateway;
  let secondBus: RedisStreamBus;

  beforeAll(async () => {
    const redisUrl = inject('redisUrl');
    const config = loadConfig({ TANDEM_MODE: 'demo', REDIS_URL: redisUrl });
    const stream = `tandem:test:${Date.now()}`;
    const databaseUrl = await createTestDatabase(inject('databaseUrl'));
    tandem = await startTandem({ config, databaseUrl, bus: new RedisStreamBus(redisUrl, stream), gatewayPort: 0, subgraphPortsFromZero: true });
    // A second gateway process in all but name: its own bus connection, its own port.
    secondBus = new RedisStreamBus(redisUrl, stream);
    const subgraphUrls = Object.fromEntries(tandem.subgraphs.map((s) => [s.name, s.url]));
    second = await startGateway({ config, bus: secondBus, port: 0, subgraphUrls });
  });
  afterAll(async () => {
    await second?.stop();
    await secondBus?.close();
    await tandem?.stop();
    await tandem?.bus.close();
  });

  it('delivers queueChanged on gateway B for a case created and assigned through gateway A', async () => {
    const a = tandem.graphqlUrl;
    const b = second.url;
    const analystOnB = await login(b, 'analyst2@demo.test');
    const ws = wsClient(b, analystOnB);
    const seen = collect<{ queueChanged: { kind: string; entry: { id: string; assignee: { email: string } | null } } }>(
      ws,
      'subscription { queueChanged { kind entry { id assignee { email } } } }',
    );
    await new Promise((r) => setTimeout(r, 300)); // the subscription is registered before the first event

    const token = await partnerToken(a.replace(/\/graphql$/, ''));
    const submitted = await gql(a, 'mutation($i: SubmitApplicationInput!) { submitApplication(input: $i) { application { id } } }', {
      i: {
        externalId: `two-gw-${Date.now()}`,
        applicant: { firstName: 'Iker', lastName: 'Mora', dateOfBirth: '1979-01-20', housing: 'OWNER', employment: { type: 'FIXED', yearsEmployed: 10 } },
        financials: { monthlyIncome: 4000, monthlyExpenses: 1500, pastArrears: false },
        loan: { amount: 30_000, termMonths: 60, purpose: 'HOME_IMPROVEMENT' },
      },
    }, token);
    const applicationId = submitted.body.data.submitApplication.application.id;
    const analystOnA = await login(a, 'analyst@demo.test');
    const entryId = await until(async () => (await gql(a, 'query($id: ID!) { application(id: $id) { queueEntry { id } } }', { id: applicationId }, analystOnA)).body.data?.application?.queueEntry?.id);
    await gql(a, 'mutation($id: ID!) { assignCase(entryId: $id) { id } }', { id: entryId }, analystOnA);

    const assigned = await until(async () => seen.items.find((e) => e.queueChanged.kind === 'ASSIGNED' && e.queueChanged.entry.id === entryId));
    expect(assigned.queueChanged.entry.assignee?.email).toBe('analyst@demo.test');
    expect(seen.items.some((e) => e.queueChanged.kind === 'CREATED' && e.queueChanged.entry.id === entryId)).toBe(true);
    seen.stop();
    await ws.dispose();
  });
});
