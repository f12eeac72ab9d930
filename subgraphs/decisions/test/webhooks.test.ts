import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newEnvelope, Topic } from '@tandem/platform';
import { startSubgraphForTest, testCaller } from '@tandem/platform/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WebhookRepository } from '../src/data/webhook.repository.js';
import { verifyWebhookSignature } from '../src/domain/webhook-signing.js';
import { DEFAULT_WEBHOOK_DELIVERY, deliverDueWebhooks } from '../src/jobs/deliver-webhooks.js';
import { createDecisionsSubgraph } from '../src/server.js';
import { harness, REASONING, SUBMIT, scored, type TestSubgraph } from './fixtures.js';

const SECRET = 'whsec_test_0123456789abcdefghij';
const SET = `mutation($url: String!, $secret: String!, $clientId: ID) { setWebhook(url: $url, secret: $secret, clientId: $clientId) { clientId url createdAt updatedAt } }`;
const DEAD = `query($clientId: ID) { webhookDeadLetters(clientId: $clientId, first: 50) { totalCount edges { node { id clientId eventType body status attempts lastStatusCode lastError deadAt } } } }`;
const REPLAY = `mutation($id: ID!) { replayWebhook(id: $id) { id status attempts deadAt } }`;

interface Received {
  at: number;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A real HTTP receiver on 127.0.0.1: records every request and answers each
 * path with the next scripted status (the last one repeats).
 */
async function startReceiver() {
  const received: Received[] = [];
  const scripts = new Map<string, number[]>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ at: Date.now(), path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const script = scripts.get(path) ?? [200];
      const status = script.length > 1 ? (script.shift() as number) : script[0];
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    answer: (path: string, statuses: number[]) => scripts.set(path, [...statuses]),
    at: (path: string) => received.filter((r) => r.path === path),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('decisions subgraph: partner webhooks against a real HTTP receiver', () => {
  let sg: TestSubgraph;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const h = harness(() => sg);

  beforeAll(async () => {
    receiver = await startReceiver();
    // Fast retries so the whole schedule runs within the test: 100 ms, 200 ms, then dead after the third attempt.
    const module = createDecisionsSubgraph({
      webhooks: { retry: { baseDelayMs: 100, maxDelayMs: 400, maxAttempts: 3 }, timeoutMs: 2_000, leaseMs: 5_000, batchSize: 50 },
      webhookIntervalMs: 50,
    });
    sg = await startSubgraphForTest(module, inject('databaseUrl'));
  });
  afterAll(async () => {
    await sg?.close();
    await receiver?.close();
  });

  /** A tenant with one partner whose endpoint answers `statuses` in turn. */
  async function partnerWithEndpoint(statuses: number[]) {
    const tenantId = `tenant-${randomUUID().slice(0, 8)}`;
    const partner = testCaller('api_consumer', tenantId, 'demo-partner');
    const path = `/hooks/${tenantId}`;
    receiver.answer(path, statuses);
    await h.ok(partner, SET, { url: receiver.url(path), secret: SECRET });
    return { tenantId, partner, path };
  }

  /** An application the routing policy declines on its own. */
  async function autoDecline(tenantId: string) {
    const applicationId = randomUUID();
    await h.publish(scored(applicationId, tenantId, { route: 'AUTO_DECLINE', modelRecommendation: 'DECLINE', probabilityOfDefault: 0.6 }));
    return applicationId;
  }

  it('who may set an endpoint, and what is a valid one', async () => {
    const partner = testCaller('api_consumer', 'tenant-set', 'demo-partner');
    expect(await h.refused(partner, SET, { url: 'ftp://example.com/x', secret: SECRET })).toBe('BAD_USER_INPUT');
    expect(await h.refused(partner, SET, { url: receiver.url('/x'), secret: 'short' })).toBe('BAD_USER_INPUT');
    expect(await h.refused(partner, SET, { url: receiver.url('/x'), secret: SECRET, clientId: 'someone-else' })).toBe('FORBIDDEN');
    expect(await h.refused(testCaller('analyst', 'tenant-set', 'analyst-1'), SET, { url: receiver.url('/x'), secret: SECRET, clientId: 'demo-partner' })).toBe(
      'FORBIDDEN',
    );
    expect(await h.refused(testCaller('admin', 'tenant-set', 'admin-1'), SET, { url: receiver.url('/x'), secret: SECRET })).toBe('BAD_USER_INPUT');

    const own = await h.ok(partner, SET, { url: receiver.url('/x'), secret: SECRET });
    expect(own.setWebhook).toMatchObject({ clientId: 'demo-partner', url: receiver.url('/x') });
    // A user names a client: only one identity has announced in this tenant. Another tenant's client is as unknown as none.
    const admin = testCaller('admin', 'tenant-set', 'admin-1');
    await h.publish(newEnvelope('identity', Topic.ApiClientRegistered, 'tenant-elsewhere', { clientId: 'elsewhere-partner', name: 'Elsewhere' }));
    expect(await h.refused(admin, SET, { url: receiver.url('/y'), secret: SECRET, clientId: 'elsewhere-partner' })).toBe('NOT_FOUND');
    expect(await h.refused(admin, SET, { url: receiver.url('/y'), secret: SECRET, clientId: 'demo-partner' })).toBe('NOT_FOUND');
    // Announced a moment after the request: the request waits for it.
    const late = h.ok(admin, SET, { url: receiver.url('/y'), secret: SECRET, clientId: 'demo-partner' });
    await new Promise((r) => setTimeout(r, 300));
    const registration = newEnvelope('identity', Topic.ApiClientRegistered, 'tenant-set', { clientId: 'demo-partner', name: 'Demo partner' });
    await h.publish(registration);
    await h.publish(registration); // redelivered: nothing changes
    const byAdmin = await late;
    expect(byAdmin.setWebhook).toMatchObject({ clientId: 'demo-partner', url: receiver.url('/y') });
    // Audited, without the secret.
    await expect
      .poll(() => sg.published.filter((e) => e.type === 'audit.recorded' && e.tenantId === 'tenant-set').map((e) => (e.payload as { action: string }).action))
      .toEqual(['WEBHOOK_SET', 'WEBHOOK_CHANGED']);
    expect(JSON.stringify(sg.published.filter((e) => e.type === 'audit.recorded' && e.tenantId === 'tenant-set'))).not.toContain(SECRET);
  });

  it('delivers an automated decision signed with HMAC-SHA256 over the raw body', async () => {
    const { tenantId, path } = await partnerWithEndpoint([200]);
    const applicationId = await autoDecline(tenantId);
    await expect.poll(() => receiver.at(path).length).toBe(1);

    const [hit] = receiver.at(path);
    expect(hit.headers['x-tandem-event']).toBe('decision.made');
    const signature = String(hit.headers['x-tandem-signature']);
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(SECRET, hit.body, signature, Math.floor(Date.now() / 1000))).toBe(true);
    expect(verifyWebhookSignature('another-secret-of-enough-length', hit.body, signature, Math.floor(Date.now() / 1000))).toBe(false);
    const body = JSON.parse(hit.body);
    expect(body).toMatchObject({
      id: hit.headers['x-tandem-delivery'],
      type: 'decision.made',
      tenantId,
      data: { applicationId, outcome: 'DECLINED', automated: true },
    });
    expect(body.data.reasonCodes.length).toBeGreaterThan(0);
  });

  it('retries after 500s with backoff, then succeeds with the same delivery and body', async () => {
    const { tenantId, path } = await partnerWithEndpoint([500, 503, 200]);
    await autoDecline(tenantId);
    await expect.poll(() => receiver.at(path).length).toBe(3);
    const hits = receiver.at(path);
    expect(new Set(hits.map((x) => x.headers['x-tandem-delivery'])).size).toBe(1);
    expect(new Set(hits.map((x) => x.body)).size).toBe(1);
    // Exponential backoff: at least 100 ms, then at least 200 ms between attempts.
    expect(hits[1].at - hits[0].at).toBeGreaterThanOrEqual(90);
    expect(hits[2].at - hits[1].at).toBeGreaterThanOrEqual(190);
    for (const x of hits) expect(verifyWebhookSignature(SECRET, x.body, String(x.headers['x-tandem-signature']), Math.floor(Date.now() / 1000))).toBe(true);
    // Nothing more once delivered, and nothing dead.
    await new Promise((r) => setTimeout(r, 600));
    expect(receiver.at(path)).toHaveLength(3);
  });

  it('dead-letters after the last failed attempt; the partner sees it and replays it', async () => {
    const { tenantId, partner, path } = await partnerWithEndpoint([500]);
    const applicationId = await autoDecline(tenantId);
    await expect.poll(async () => (await h.ok(partner, DEAD)).webhookDeadLetters.totalCount).toBe(1);
    expect(receiver.at(path)).toHaveLength(3);
    const dead = (await h.ok(partner, DEAD)).webhookDeadLetters.edges[0].node;
    expect(dead).toMatchObject({
      clientId: 'demo-partner',
      eventType: 'decision.made',
      status: 'DEAD',
      attempts: 3,
      lastStatusCode: 500,
      lastError: 'HTTP 500',
    });
    expect(JSON.parse(dead.body).data.applicationId).toBe(applicationId);

    // Another tenant's partner neither sees nor replays it.
    const stranger = testCaller('api_consumer', 'tenant-stranger', 'demo-partner');
    expect((await h.ok(stranger, DEAD)).webhookDeadLetters.totalCount).toBe(0);
    expect(await h.refused(stranger, REPLAY, { id: dead.id })).toBe('NOT_FOUND');

    receiver.answer(path, [200]);
    const { replayWebhook } = await h.ok(partner, REPLAY, { id: dead.id });
    expect(replayWebhook).toMatchObject({ id: dead.id, status: 'PENDING', attempts: 0, deadAt: null });
    await expect.poll(() => receiver.at(path).length).toBe(4);
    await expect.poll(async () => (await h.ok(partner, DEAD)).webhookDeadLetters.totalCount).toBe(0);
    expect(await h.refused(partner, REPLAY, { id: dead.id })).toBe('CONFLICT');
  });

  it('tells the partner of a documents request with its checklist, and not of an override until it is approved', async () => {
    const { tenantId, path } = await partnerWithEndpoint([200]);
    const analyst = testCaller('analyst', tenantId, 'analyst-1');
    const applicationId = await h.caseInProgress(tenantId, 'analyst-1', { modelRecommendation: 'DECLINE' });
    await h.ok(analyst, SUBMIT, {
      input: { applicationId, outcome: 'DOCUMENTS_REQUESTED', reasoning: 'Please send the last three payslips.', documentsChecklist: ['Last three payslips'] },
    });
    await expect.poll(() => receiver.at(path).length).toBe(1);
    const request = JSON.parse(receiver.at(path)[0].body);
    expect(request).toMatchObject({
      type: 'decision.documents_requested',
      data: { applicationId, checklist: ['Last three payslips'], message: 'Please send the last three payslips.' },
    });
    expect(Date.parse(request.data.dueAt)).toBeGreaterThan(Date.now());

    const { submitDecision } = await h.ok(analyst, SUBMIT, {
      input: {
        applicationId,
        outcome: 'APPROVED',
        reasoning: REASONING,
        overrideJustification: 'Payslips received and verified; the arrears the model saw were cleared in 2024.',
      },
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(receiver.at(path)).toHaveLength(1); // a pending override is not yet a decision for the partner
    await h.ok(testCaller('senior_analyst', tenantId, 'senior-1'), `mutation($id: ID!) { approveOverride(decisionId: $id) { id } }`, {
      id: submitDecision.decision.id,
    });
    await expect.poll(() => receiver.at(path).length).toBe(2);
    expect(JSON.parse(receiver.at(path)[1].body)).toMatchObject({
      type: 'decision.made',
      data: { applicationId, outcome: 'APPROVED', overrideStatus: 'APPROVED' },
    });
  });
});

describe('decisions subgraph: a webhook claimed by a sender that died is not lost', () => {
  let sg: TestSubgraph;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const h = harness(() => sg);

  beforeAll(async () => {
    receiver = await startReceiver();
    // The scheduled sender never ticks here: the test plays the senders itself.
    sg = await startSubgraphForTest(createDecisionsSubgraph({ webhookIntervalMs: 3_600_000 }), inject('databaseUrl'));
  });
  afterAll(async () => {
    await sg?.close();
    await receiver?.close();
  });

  it('is invisible to other senders while leased, and sent once the lease runs out', async () => {
    const tenantId = 'tenant-lease';
    const partner = testCaller('api_consumer', tenantId, 'demo-partner');
    await h.ok(partner, SET, { url: receiver.url('/lease'), secret: SECRET });
    await h.publish(scored(randomUUID(), tenantId, { route: 'AUTO_APPROVE', modelRecommendation: 'APPROVE', probabilityOfDefault: 0.02 }));

    const repo = () => new WebhookRepository(sg.orm.em.fork());
    await expect.poll(async () => (await repo().claimDue(10, 300)).length).toBe(1); // claimed by a sender that then "dies"
    expect(await repo().claimDue(10, 300)).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 350));
    expect(await deliverDueWebhooks(sg.orm, DEFAULT_WEBHOOK_DELIVERY)).toBe(1);
    expect(receiver.at('/lease')).toHaveLength(1);
    expect(JSON.parse(receiver.at('/lease')[0].body)).toMatchObject({ type: 'decision.made', data: { outcome: 'APPROVED', monthlyInstalment: '332.14' } });
    expect(await deliverDueWebhooks(sg.orm, DEFAULT_WEBHOOK_DELIVERY)).toBe(0);
  });
});
