import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startSubgraphForTest, testCaller } from '@tandem/platform/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DecisionRepository, toScoreSnapshot } from '../src/data/decision.repository.js';
import { ReviewCaseRecord } from '../src/data/review-case.entity.js';
import { ScoreSnapshotRecord } from '../src/data/score-snapshot.entity.js';
import { WebhookRepository } from '../src/data/webhook.repository.js';
import { decisionsSubgraph } from '../src/server.js';
import { harness, REASONING, SUBMIT, type TestSubgraph } from './fixtures.js';

const TENANT = 'tenant-facts';

// lockDecisionFacts reads in one statement what decideWithEvents once read with four: it must read the same.
describe('decisions subgraph: the facts a decision is judged on, read in one statement', () => {
  let sg: TestSubgraph;
  const h = harness(() => sg);
  const em = () => sg.orm.em.fork() as EntityManager;

  beforeAll(async () => {
    sg = await startSubgraphForTest(decisionsSubgraph, inject('databaseUrl'));
  });
  afterAll(async () => sg?.close());

  /** What the entity reads (each its own query) say of the application. */
  const readOneByOne = async (applicationId: string) => {
    const fork = em();
    const score = await fork.findOne(ScoreSnapshotRecord, { tenantId: TENANT, applicationId });
    const reviewCase = await fork.findOne(ReviewCaseRecord, { tenantId: TENANT, applicationId });
    return {
      score: score && toScoreSnapshot(score),
      reviewCase: reviewCase && {
        entryId: reviewCase.entryId,
        status: reviewCase.status,
        assigneeId: reviewCase.assigneeId ?? null,
        startedAt: reviewCase.startedAt ?? null,
        slaDeadline: reviewCase.slaDeadline,
      },
      alreadyDecided: await new DecisionRepository(fork).hasFinalDecision(TENANT, applicationId),
    };
  };
  const lockedFacts = (applicationId: string) => em().transactional((tx) => new DecisionRepository(tx).lockDecisionFacts(TENANT, applicationId));

  it('match the entity reads for a case in progress, then see the final decision', async () => {
    const applicationId = await h.caseInProgress(TENANT, 'analyst-1');
    const facts = await lockedFacts(applicationId);
    expect(facts.score).not.toBeNull();
    expect(facts.reviewCase).toMatchObject({ status: 'IN_PROGRESS', assigneeId: 'analyst-1' });
    expect(facts).toEqual({ ...(await readOneByOne(applicationId)), webhookClientIds: [] });

    await h.ok(testCaller('analyst', TENANT, 'analyst-1'), SUBMIT, { input: { applicationId, outcome: 'APPROVED', reasoning: REASONING } });
    expect((await lockedFacts(applicationId)).alreadyDecided).toBe(true);
  });

  it('are empty for an application this subgraph has not heard of', async () => {
    expect(await lockedFacts(randomUUID())).toEqual({ score: null, reviewCase: null, alreadyDecided: false, webhookClientIds: [] });
  });

  it('name the API clients of the tenant with a webhook, and only those', async () => {
    const webhooks = new WebhookRepository(em());
    for (const clientId of ['partner-b', 'partner-a', 'partner-no-hook']) await webhooks.registerClient(TENANT, clientId, clientId);
    await webhooks.setEndpoint(TENANT, 'partner-b', 'http://127.0.0.1:9/b', 'secret-b-0123456789abcdef', new Date());
    await new WebhookRepository(em()).setEndpoint(TENANT, 'partner-a', 'http://127.0.0.1:9/a', 'secret-a-0123456789abcdef', new Date());
    const applicationId = await h.caseInProgress(TENANT, 'analyst-1');
    expect((await lockedFacts(applicationId)).webhookClientIds).toEqual(['partner-a', 'partner-b']);
  });

  it('hold the score row: a second reader waits until the first transaction ends', async () => {
    const applicationId = await h.caseInProgress(TENANT, 'analyst-1');
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const first = em().transactional(async (tx) => {
      await new DecisionRepository(tx).lockDecisionFacts(TENANT, applicationId);
      order.push('first locked');
      await held;
      order.push('first ends');
    });
    while (!order.length) await new Promise((r) => setTimeout(r, 10));
    const second = lockedFacts(applicationId).then(() => order.push('second read'));
    await new Promise((r) => setTimeout(r, 200));
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first locked', 'first ends', 'second read']);
  });
});
