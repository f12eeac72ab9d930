import { randomUUID } from 'node:crypto';
import {
  type ApplicationScored,
  type AuditRecorded,
  AuditTopic,
  type Caller,
  type EventEnvelope,
  type QueueEntryChanged,
  type SlaWarning,
  Topic,
} from '@tandem/platform';
import { startSubgraphForTest, testCaller } from '@tandem/platform/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { QueueEntryRecord } from '../src/data/queue-entry.entity.js';
import { SlaPolicyRepository } from '../src/data/sla-policy.repository.js';
import { runPriorityRefresh } from '../src/jobs/priority-refresh.js';
import { runSlaWatcher } from '../src/jobs/sla-watcher.js';
import { queueSubgraph } from '../src/server.js';
import { decisionEvent, scoredEvent } from './fixtures.js';

const ENTRY = 'id status priority slaDeadline slaState createdAt assignedAt startedAt completedAt assignee { id } application { id }';
const ASSIGN = `mutation($entryId: ID!, $analystId: ID) { assignCase(entryId: $entryId, analystId: $analystId) { ${ENTRY} } }`;
const START = `mutation($entryId: ID!) { startReview(entryId: $entryId) { ${ENTRY} } }`;
const RELEASE = `mutation($entryId: ID!, $reason: String!) { releaseCase(entryId: $entryId, reason: $reason) { ${ENTRY} } }`;
const PICK = `mutation { pickNextCase { ${ENTRY} } }`;
const ENTRY_BY_ID = `query($id: ID!) { queueEntry(id: $id) { ${ENTRY} } }`;
const BY_APPLICATION = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Application { id queueEntry { ${ENTRY} } } } }`;
const LIST = `query($filter: QueueFilter, $first: Int, $after: String, $orderBy: QueueOrder) {
  reviewQueue(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { ${ENTRY} } }
  } }`;
const SUMMARY = '{ queueSummary { pending assigned inProgress approachingSla breached total } }';

type Any = any;

describe('queue subgraph: the review workflow', () => {
  let sg: Awaited<ReturnType<typeof startSubgraphForTest>>;

  beforeAll(async () => {
    sg = await startSubgraphForTest(queueSubgraph, inject('databaseUrl'));
  });
  afterAll(async () => sg?.close());

  const analyst = (tenant: string, id: string): Caller => testCaller('analyst', tenant, id);
  const senior = (tenant: string, id = 'senior-1'): Caller => testCaller('senior_analyst', tenant, id);

  /** Delivers like the bus does; resolves once the consumer's transaction has committed. */
  const deliver = (event: EventEnvelope<object>) => sg.bus.publish(event as unknown as EventEnvelope);

  const entryOfApplication = async (tenant: string, applicationId: string) => {
    const { body } = await sg.call(analyst(tenant, 'reader'), BY_APPLICATION, { reps: [{ __typename: 'Application', id: applicationId }] });
    expect(body.errors).toBeUndefined();
    return (body.data as Any)._entities[0].queueEntry;
  };

  /** Queues a new application in `tenant` and returns its entry. */
  const queueCase = async (tenant: string, over: Partial<ApplicationScored> = {}) => {
    const applicationId = randomUUID();
    await deliver(scoredEvent(tenant, applicationId, over));
    const entry = await entryOfApplication(tenant, applicationId);
    expect(entry).toBeTruthy();
    return { ...entry, applicationId };
  };

  const changesOf = (entryId: string) =>
    sg.published
      .filter((e) => e.type === Topic.QueueEntryChanged && (e.payload as unknown as QueueEntryChanged).entryId === entryId)
      .map((e) => e as unknown as EventEnvelope<QueueEntryChanged>);
  const kindsOf = (entryId: string) => changesOf(entryId).map((e) => e.payload.kind);
  const auditsOf = (entryId: string) =>
    sg.published
      .filter((e) => e.type === AuditTopic.AuditRecorded && (e.payload as unknown as AuditRecorded).entityId === entryId)
      .map((e) => e as unknown as EventEnvelope<AuditRecorded>);
  const codeOf = (res: { body: { errors?: { extensions?: { code?: string } }[] } }) => res.body.errors?.[0]?.extensions?.code;

  it('applies a batch of decisions as one at a time would: each case moves once, in order, under its own request id', async () => {
    const tenant = 'tenant-decision-batch';
    const [overridden, declined, documents] = [await queueCase(tenant), await queueCase(tenant), await queueCase(tenant)];
    const batch = [
      // an override waits for its senior, then the senior approves it: the case completes once
      decisionEvent(tenant, overridden.applicationId, { isOverride: true, overrideStatus: 'PENDING' }),
      decisionEvent(tenant, declined.applicationId, { outcome: 'DECLINED' }),
      decisionEvent(tenant, documents.applicationId, { outcome: 'DOCUMENTS_REQUESTED' }),
      decisionEvent(tenant, overridden.applicationId, { isOverride: true, overrideStatus: 'APPROVED' }),
      // a later decision on a case the batch already closed finds no open case
      decisionEvent(tenant, declined.applicationId, { outcome: 'APPROVED' }),
    ].map((e, i) => ({ ...e, requestId: `request-${i}` }) as unknown as EventEnvelope);
    const { error } = await sg.bus.publishBatch(batch);
    expect(error).toBeUndefined();

    const statusOf = async (entry: { id: string }) =>
      ((await sg.call(analyst(tenant, 'reader'), `query($id: ID!) { queueEntry(id: $id) { status slaPausedAt } }`, { id: entry.id })).body.data as Any)
        .queueEntry;
    expect(await statusOf(overridden)).toMatchObject({ status: 'COMPLETED', slaPausedAt: null });
    expect(await statusOf(declined)).toMatchObject({ status: 'COMPLETED' });
    expect(await statusOf(documents)).toMatchObject({ status: 'PENDING', slaPausedAt: expect.any(String) });
    await expect
      .poll(() => [kindsOf(overridden.id), kindsOf(declined.id), kindsOf(documents.id)])
      .toEqual([
        ['CREATED', 'COMPLETED'],
        ['CREATED', 'COMPLETED'],
        ['CREATED', 'PAUSED'],
      ]);
    expect(changesOf(overridden.id)[1]!.requestId).toBe('request-3');
    expect(changesOf(declined.id)[1]).toMatchObject({ requestId: 'request-1', payload: { reason: 'decision DECLINED by ana' } });
    expect(changesOf(documents.id)[1]!.requestId).toBe('request-2');
  });

  it('queues a HUMAN_REVIEW application once, with a CREATED event, and ignores automatic routes', async () => {
    const tenant = 'tenant-create';
    const applicationId = randomUUID();
    const event = scoredEvent(tenant, applicationId, { probabilityOfDefault: 0.15, loanAmount: 40_000 });
    await deliver(event);
    await deliver(event); // redelivery of the same event
    await deliver(scoredEvent(tenant, applicationId)); // a rescoring while the case is open
    await deliver(scoredEvent(tenant, randomUUID(), { route: 'AUTO_APPROVE', modelRecommendation: 'APPROVE', probabilityOfDefault: 0.05 }));
    await deliver(scoredEvent(tenant, randomUUID(), { route: 'AUTO_DECLINE', modelRecommendation: 'DECLINE', probabilityOfDefault: 0.8 }));
    // a malformed event is logged and acknowledged, not queued (and not retried forever)
    await deliver(scoredEvent(tenant, randomUUID(), { probabilityOfDefault: 1.7 }));
    await deliver(scoredEvent(tenant, 'not-a-uuid'));

    const list = await sg.call(analyst(tenant, 'ana'), LIST, {});
    expect((list.body.data as Any).reviewQueue.totalCount).toBe(1);
    const entry = (list.body.data as Any).reviewQueue.edges[0].node;
    expect(entry).toMatchObject({ status: 'PENDING', slaState: 'ON_TRACK', assignee: null, application: { id: applicationId }, assignedAt: null });
    // PD next to the approve threshold and a sizeable loan: well above the floor
    expect(entry.priority).toBeGreaterThan(40);
    const deadlineHours = (Date.parse(entry.slaDeadline) - Date.parse(entry.createdAt)) / 3_600_000;
    expect(deadlineHours).toBe(4);

    await expect.poll(() => kindsOf(entry.id)).toEqual(['CREATED']);
    const created = changesOf(entry.id)[0];
    expect(created.tenantId).toBe(tenant);
    expect(created.payload).toMatchObject({ applicationId, status: 'PENDING', assigneeId: null, priority: entry.priority, startedAt: null });
    expect(Date.parse(created.payload.slaDeadline)).toBe(Date.parse(entry.slaDeadline));
    await new Promise((r) => setTimeout(r, 200));
    expect(kindsOf(entry.id)).toEqual(['CREATED']);
  });

  it('measures priority against the thresholds the case was routed by', async () => {
    const tenant = 'tenant-thresholds';
    // The same PD and amount: right at a threshold is harder (higher priority) than far from both.
    const atThreshold = await queueCase(tenant, {
      probabilityOfDefault: 0.3,
      loanAmount: 5000,
      routingThresholds: { autoApproveBelow: 0.29, autoDeclineAbove: 0.8 },
    });
    const farFromBoth = await queueCase(tenant, {
      probabilityOfDefault: 0.3,
      loanAmount: 5000,
      routingThresholds: { autoApproveBelow: 0.05, autoDeclineAbove: 0.95 },
    });
    expect(atThreshold.priority).toBeGreaterThan(farFromBoth.priority);
  });

  it('assign → start → release → assign → decision.made completes the case, each with its event', async () => {
    const tenant = 'tenant-flow';
    const { id, applicationId } = await queueCase(tenant);
    const ana = analyst(tenant, 'ana');

    const assigned = await sg.call(ana, ASSIGN, { entryId: id });
    expect(assigned.body.errors).toBeUndefined();
    expect((assigned.body.data as Any).assignCase).toMatchObject({ status: 'ASSIGNED', assignee: { id: 'ana' }, startedAt: null });
    expect((assigned.body.data as Any).assignCase.assignedAt).toBeTruthy();
    // a repeat by the holder changes nothing
    const again = await sg.call(ana, ASSIGN, { entryId: id });
    expect((again.body.data as Any).assignCase.status).toBe('ASSIGNED');

    const started = await sg.call(ana, START, { entryId: id });
    expect((started.body.data as Any).startReview).toMatchObject({ status: 'IN_PROGRESS', assignee: { id: 'ana' } });
    expect((started.body.data as Any).startReview.startedAt).toBeTruthy();

    const released = await sg.call(ana, RELEASE, { entryId: id, reason: 'Need a second opinion on the income' });
    expect((released.body.data as Any).releaseCase).toMatchObject({ status: 'PENDING', assignee: null, assignedAt: null, startedAt: null });

    const lead = senior(tenant);
    const reassigned = await sg.call(lead, ASSIGN, { entryId: id, analystId: 'bea' });
    expect((reassigned.body.data as Any).assignCase).toMatchObject({ status: 'ASSIGNED', assignee: { id: 'bea' } });

    await deliver(decisionEvent(tenant, applicationId));
    const done = await sg.call(ana, ENTRY_BY_ID, { id });
    expect((done.body.data as Any).queueEntry).toMatchObject({ status: 'COMPLETED', assignee: { id: 'bea' } });
    expect((done.body.data as Any).queueEntry.completedAt).toBeTruthy();

    await expect.poll(() => kindsOf(id)).toEqual(['CREATED', 'ASSIGNED', 'STARTED', 'RELEASED', 'ASSIGNED', 'COMPLETED']);
    const [, assignedEv, startedEv, releasedEv, reassignedEv, completedEv] = changesOf(id).map((e) => e.payload);
    expect(assignedEv).toMatchObject({ status: 'ASSIGNED', assigneeId: 'ana' });
    expect(startedEv).toMatchObject({ status: 'IN_PROGRESS', assigneeId: 'ana', startedAt: expect.any(String) });
    expect(releasedEv).toMatchObject({ status: 'PENDING', assigneeId: null, reason: 'Need a second opinion on the income', priority: expect.any(Number) });
    expect(reassignedEv).toMatchObject({ assigneeId: 'bea', reason: 'assigned by senior-1' });
    expect(completedEv).toMatchObject({ status: 'COMPLETED', applicationId, reason: 'decision APPROVED by ana' });

    // each move is in the audit trail, with its actor and only the fields it changed
    await expect.poll(() => auditsOf(id).map((e) => e.payload.action)).toEqual(['CREATED', 'ASSIGNED', 'STARTED', 'RELEASED', 'ASSIGNED', 'COMPLETED']);
    const audits = auditsOf(id);
    expect(audits.every((e) => e.tenantId === tenant && e.payload.entityType === 'QueueEntry')).toBe(true);
    const [createdAu, assignedAu, startedAu, releasedAu, reassignedAu, completedAu] = audits.map((e) => e.payload);
    expect(createdAu).toMatchObject({
      actor: { kind: 'system', id: 'system:scoring' },
      oldValue: null,
      newValue: { applicationId, status: 'PENDING', assigneeId: null },
    });
    expect(assignedAu).toMatchObject({
      actor: { kind: 'user', id: 'ana' },
      oldValue: { status: 'PENDING', assigneeId: null },
      newValue: { status: 'ASSIGNED', assigneeId: 'ana' },
    });
    expect(assignedAu.changes).toEqual(
      expect.arrayContaining([{ path: 'status', kind: 'CHANGED', from: 'PENDING', to: 'ASSIGNED' }, expect.objectContaining({ path: 'assigneeId' })]),
    );
    expect(startedAu).toMatchObject({ actor: { id: 'ana' }, oldValue: { status: 'ASSIGNED' }, newValue: { status: 'IN_PROGRESS' } });
    expect(startedAu.oldValue).not.toHaveProperty('assigneeId'); // unchanged fields stay out
    expect(releasedAu).toMatchObject({
      actor: { id: 'ana' },
      newValue: { status: 'PENDING', assigneeId: null, reason: 'Need a second opinion on the income' },
    });
    expect(reassignedAu).toMatchObject({ actor: { kind: 'user', id: 'senior-1' }, newValue: { assigneeId: 'bea', reason: 'assigned by senior-1' } });
    expect(completedAu).toMatchObject({
      actor: { kind: 'system', id: 'system:decision' },
      oldValue: { status: 'ASSIGNED' },
      newValue: { status: 'COMPLETED' },
    });

    // a second decision (redelivery or a later one) changes nothing
    await deliver(decisionEvent(tenant, applicationId));
    await new Promise((r) => setTimeout(r, 200));
    expect(kindsOf(id)).toHaveLength(6);
    // once completed, the application can be queued again (e.g. after new documents)
    await deliver(scoredEvent(tenant, applicationId));
    const requeued = await entryOfApplication(tenant, applicationId);
    expect(requeued).toMatchObject({ status: 'PENDING' });
    expect(requeued.id).not.toBe(id);
  });

  it('refuses moves that are not allowed, with the right code', async () => {
    const tenant = 'tenant-refuse';
    const { id } = await queueCase(tenant);
    const ana = analyst(tenant, 'ana');
    const bob = analyst(tenant, 'bob');

    expect(codeOf(await sg.call(ana, START, { entryId: id }))).toBe('CONFLICT'); // not assigned yet
    expect(codeOf(await sg.call(ana, RELEASE, { entryId: id, reason: 'nothing to release' }))).toBe('CONFLICT');
    expect(codeOf(await sg.call(ana, ASSIGN, { entryId: id, analystId: 'bob' }))).toBe('FORBIDDEN'); // needs queue:assign
    expect(codeOf(await sg.call(testCaller('readonly', tenant, 'rita'), ASSIGN, { entryId: id }))).toBe('FORBIDDEN'); // needs decision:create
    expect(codeOf(await sg.call(testCaller('readonly', tenant, 'rita'), PICK))).toBe('FORBIDDEN');
    expect(codeOf(await sg.call(testCaller('api_consumer', tenant), ENTRY_BY_ID, { id }))).toBe('FORBIDDEN');

    await sg.call(ana, ASSIGN, { entryId: id });
    const startByOther = await sg.call(bob, START, { entryId: id });
    expect(codeOf(startByOther)).toBe('FORBIDDEN');
    expect(startByOther.body.errors?.[0].message).toMatch(/assigned to/);
    expect(codeOf(await sg.call(bob, ASSIGN, { entryId: id }))).toBe('CONFLICT'); // ana has it
    expect(codeOf(await sg.call(bob, RELEASE, { entryId: id, reason: 'taking it over' }))).toBe('FORBIDDEN');
    const noReason = await sg.call(ana, RELEASE, { entryId: id, reason: '  ' });
    expect(codeOf(noReason)).toBe('BAD_USER_INPUT');
    expect(codeOf(await sg.call(ana, RELEASE, { entryId: id, reason: 'meh' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await sg.call(ana, `mutation($entryId: ID!) { releaseCase(entryId: $entryId) { id } }`, { entryId: id }))).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(codeOf(await sg.call(ana, ASSIGN, { entryId: id, analystId: ' ' }))).toBe('BAD_USER_INPUT');

    expect(codeOf(await sg.call(ana, START, { entryId: randomUUID() }))).toBe('NOT_FOUND');
    expect(codeOf(await sg.call(ana, ASSIGN, { entryId: 'not-a-uuid' }))).toBe('NOT_FOUND');
    expect(((await sg.call(ana, ENTRY_BY_ID, { id: 'not-a-uuid' })).body.data as Any).queueEntry).toBeNull();

    // nothing refused left a trace
    const entry = ((await sg.call(ana, ENTRY_BY_ID, { id })).body.data as Any).queueEntry;
    expect(entry).toMatchObject({ status: 'ASSIGNED', assignee: { id: 'ana' } });
    await expect.poll(() => kindsOf(id)).toEqual(['CREATED', 'ASSIGNED']);
    expect(auditsOf(id).map((e) => e.payload.action)).toEqual(['CREATED', 'ASSIGNED']);
  });

  it('50 analysts assigning one case at once: exactly one gets it', async () => {
    const tenant = 'tenant-race';
    const { id } = await queueCase(tenant);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => sg.call(analyst(tenant, `racer-${i}`), ASSIGN, { entryId: id })));
    const winners = results.filter((r) => !r.body.errors);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => codeOf(r) === 'CONFLICT')).toHaveLength(49);
    const winner = (winners[0].body.data as Any).assignCase.assignee.id;
    const entry = ((await sg.call(analyst(tenant, 'reader'), ENTRY_BY_ID, { id })).body.data as Any).queueEntry;
    expect(entry).toMatchObject({ status: 'ASSIGNED', assignee: { id: winner } });
    await expect.poll(() => kindsOf(id)).toEqual(['CREATED', 'ASSIGNED']);
    await new Promise((r) => setTimeout(r, 200));
    expect(kindsOf(id)).toEqual(['CREATED', 'ASSIGNED']);
  });

  it('20 analysts picking from 10 pending cases at once: each case goes to one of them', async () => {
    const tenant = 'tenant-pick';
    const ids = new Set<string>();
    for (let i = 0; i < 10; i++) ids.add((await queueCase(tenant, { probabilityOfDefault: 0.15 + i * 0.04 })).id);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => sg.call(analyst(tenant, `picker-${i}`), PICK)));
    expect(results.every((r) => !r.body.errors)).toBe(true);
    const picked = results.map((r) => (r.body.data as Any).pickNextCase).filter(Boolean);
    expect(picked).toHaveLength(10);
    expect(new Set(picked.map((p: Any) => p.id))).toEqual(ids);
    for (const p of picked) expect(p).toMatchObject({ status: 'ASSIGNED', assignee: { id: expect.stringMatching(/^picker-/) } });
    expect(new Set(picked.map((p: Any) => p.assignee.id)).size).toBe(10);

    const summary = (await sg.call(analyst(tenant, 'reader'), SUMMARY)).body.data as Any;
    expect(summary.queueSummary).toMatchObject({ pending: 0, assigned: 10, total: 10 });
    expect(((await sg.call(analyst(tenant, 'late'), PICK)).body.data as Any).pickNextCase).toBeNull();
  });

  it('picks the highest priority first', async () => {
    const tenant = 'tenant-order';
    const low = await queueCase(tenant, { probabilityOfDefault: 0.39, loanAmount: 2_000 });
    const high = await queueCase(tenant, { probabilityOfDefault: 0.62, loanAmount: 90_000 });
    expect(high.priority).toBeGreaterThan(low.priority);
    const first = (await sg.call(analyst(tenant, 'ana'), PICK)).body.data as Any;
    expect(first.pickNextCase.id).toBe(high.id);
    const second = (await sg.call(analyst(tenant, 'ana'), PICK)).body.data as Any;
    expect(second.pickNextCase.id).toBe(low.id);
  });

  it('holds the 5-case cap per analyst under concurrency', async () => {
    const tenant = 'tenant-cap';
    const entries = [];
    for (let i = 0; i < 12; i++) entries.push(await queueCase(tenant));
    const ana = analyst(tenant, 'ana');
    const results = await Promise.all([
      ...entries.slice(0, 9).map((e) => sg.call(ana, ASSIGN, { entryId: e.id })),
      ...entries.slice(9).map((e) => sg.call(senior(tenant), ASSIGN, { entryId: e.id, analystId: 'ana' })),
      sg.call(ana, PICK),
      sg.call(ana, PICK),
    ]);
    const ok = results.filter((r) => !r.body.errors);
    expect(ok).toHaveLength(5);
    expect(results.filter((r) => codeOf(r) === 'CONFLICT')).toHaveLength(results.length - 5);
    expect(results.find((r) => codeOf(r) === 'CONFLICT')?.body.errors?.[0].message).toMatch(/limit is 5/);

    const mine = (await sg.call(ana, LIST, { filter: { mine: true } })).body.data as Any;
    expect(mine.reviewQueue.totalCount).toBe(5);

    // releasing one frees a slot
    const held = mine.reviewQueue.edges[0].node.id;
    await sg.call(ana, RELEASE, { entryId: held, reason: 'Too many open cases' });
    const picked = (await sg.call(ana, PICK)).body as Any;
    expect(picked.errors).toBeUndefined();
    expect(picked.data.pickNextCase.assignee.id).toBe('ana');
  });

  it('lists with pagination, filters and orders, and counts the summary', async () => {
    const tenant = 'tenant-list';
    const made = [];
    for (const [pd, amount] of [
      [0.4, 1_500],
      [0.16, 80_000],
      [0.6, 20_000],
      [0.3, 5_000],
      [0.5, 300_000],
    ] as const) {
      made.push(await queueCase(tenant, { probabilityOfDefault: pd, loanAmount: amount }));
    }
    const ana = analyst(tenant, 'ana');
    await sg.call(ana, ASSIGN, { entryId: made[0].id });
    await sg.call(ana, ASSIGN, { entryId: made[1].id });
    await sg.call(ana, START, { entryId: made[1].id });
    await sg.call(senior(tenant), ASSIGN, { entryId: made[2].id, analystId: 'bea' });

    const summary = ((await sg.call(ana, SUMMARY)).body.data as Any).queueSummary;
    expect(summary).toEqual({ pending: 2, assigned: 2, inProgress: 1, approachingSla: 0, breached: 0, total: 5 });

    // pages of 2 in priority order, with no overlap
    const seen: Any[] = [];
    let after: string | undefined;
    for (let page = 0; page < 3; page++) {
      const res = ((await sg.call(ana, LIST, { first: 2, after })).body.data as Any).reviewQueue;
      expect(res.totalCount).toBe(5);
      expect(res.pageInfo.hasNextPage).toBe(page < 2);
      expect(res.pageInfo.hasPreviousPage).toBe(page > 0);
      seen.push(...res.edges.map((e: Any) => e.node));
      after = res.pageInfo.endCursor;
    }
    expect(new Set(seen.map((n) => n.id)).size).toBe(5);
    const priorities = seen.map((n) => n.priority);
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a));

    const created = ((await sg.call(ana, LIST, { orderBy: 'CREATED_ASC' })).body.data as Any).reviewQueue.edges.map((e: Any) => e.node.id);
    expect(created).toEqual(made.map((m) => m.id));
    const bySla = ((await sg.call(ana, LIST, { orderBy: 'SLA_DEADLINE_ASC' })).body.data as Any).reviewQueue.edges.map((e: Any) =>
      Date.parse(e.node.slaDeadline),
    );
    expect(bySla).toEqual([...bySla].sort((a, b) => a - b));

    const count = async (filter: object) => ((await sg.call(ana, LIST, { filter })).body.data as Any).reviewQueue.totalCount;
    expect(await count({ status: ['ASSIGNED'] })).toBe(2);
    expect(await count({ status: ['ASSIGNED', 'IN_PROGRESS'] })).toBe(3);
    expect(await count({ mine: true })).toBe(2);
    expect(await count({ assigneeId: 'bea' })).toBe(1);
    expect(await count({ slaState: ['ON_TRACK'] })).toBe(5);
    expect(await count({ slaState: ['APPROACHING', 'BREACHED'] })).toBe(0);
    const both = await sg.call(ana, LIST, { filter: { mine: true, assigneeId: 'bea' } });
    expect(codeOf(both)).toBe('BAD_USER_INPUT');
    expect(codeOf(await sg.call(ana, LIST, { first: 500 }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await sg.call(ana, LIST, { after: 'garbage' }))).toBe('BAD_USER_INPUT');

    // a decided case leaves the default list and the summary, but can still be listed
    await deliver(decisionEvent(tenant, made[4].applicationId));
    expect(await count({})).toBe(4);
    expect(await count({ status: ['COMPLETED'] })).toBe(1);
    expect(((await sg.call(ana, SUMMARY)).body.data as Any).queueSummary).toMatchObject({ pending: 1, total: 4 });
  });

  it('keeps tenants apart: another tenant sees nothing by id, list, summary or reference', async () => {
    const { id, applicationId } = await queueCase('tenant-own');
    const other = analyst('tenant-other', 'olga');
    expect(((await sg.call(other, ENTRY_BY_ID, { id })).body.data as Any).queueEntry).toBeNull();
    expect(
      ((await sg.call(other, LIST, { filter: { status: ['PENDING', 'ASSIGNED', 'IN_PROGRESS', 'COMPLETED'] } })).body.data as Any).reviewQueue.totalCount,
    ).toBe(0);
    expect(((await sg.call(other, SUMMARY)).body.data as Any).queueSummary.total).toBe(0);
    expect(codeOf(await sg.call(other, ASSIGN, { entryId: id }))).toBe('NOT_FOUND');
    expect(((await sg.call(other, PICK)).body.data as Any).pickNextCase).toBeNull();
    const ref = await sg.call(other, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on QueueEntry { id status } } }`, {
      reps: [{ __typename: 'QueueEntry', id }],
    });
    expect((ref.body.data as Any)._entities).toEqual([null]);
    expect(await entryOfApplication('tenant-other', applicationId)).toBeNull();
    // and the owner still sees it, untouched, also by reference
    expect(((await sg.call(analyst('tenant-own', 'ana'), ENTRY_BY_ID, { id })).body.data as Any).queueEntry.status).toBe('PENDING');
    const own = await sg.call(
      analyst('tenant-own', 'ana'),
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on QueueEntry { id status } } }`,
      {
        reps: [{ __typename: 'QueueEntry', id }],
      },
    );
    expect((own.body.data as Any)._entities).toEqual([{ id, status: 'PENDING' }]);
  });

  it('the SLA watcher emits WARNING, then BREACHED, then ESCALATED, each once', async () => {
    const tenant = 'tenant-sla';
    await new SlaPolicyRepository(sg.orm.em.fork()).save(
      tenant,
      { reviewSlaSeconds: 600, warningSecondsBefore: 120, escalateSecondsAfter: 300 },
      { kind: 'system', id: 'test' },
    );
    const { id, applicationId } = await queueCase(tenant);
    const entry = ((await sg.call(analyst(tenant, 'ana'), ENTRY_BY_ID, { id })).body.data as Any).queueEntry;
    const createdAt = Date.parse(entry.createdAt);
    expect(Date.parse(entry.slaDeadline) - createdAt).toBe(600_000);
    const at = (seconds: number) => new Date(createdAt + seconds * 1000);
    const alerts = () =>
      sg.published
        .filter((e) => e.type === Topic.SlaWarning && (e.payload as unknown as SlaWarning).entryId === id)
        .map((e) => e.payload as unknown as SlaWarning);

    await runSlaWatcher(sg.orm, at(400));
    await runSlaWatcher(sg.orm, at(481));
    await runSlaWatcher(sg.orm, at(500)); // still approaching: nothing new
    await expect.poll(() => alerts().map((a) => a.kind)).toEqual(['WARNING']);
    expect(alerts()[0]).toEqual({ kind: 'WARNING', entryId: id, applicationId, slaDeadline: new Date(Date.parse(entry.slaDeadline)).toISOString() });

    await runSlaWatcher(sg.orm, at(600));
    await runSlaWatcher(sg.orm, at(650));
    await expect.poll(() => alerts().map((a) => a.kind)).toEqual(['WARNING', 'BREACHED']);
    await runSlaWatcher(sg.orm, at(900));
    await runSlaWatcher(sg.orm, at(2000));
    await expect.poll(() => alerts().map((a) => a.kind)).toEqual(['WARNING', 'BREACHED', 'ESCALATED']);
    const event = sg.published.find((e) => e.type === Topic.SlaWarning && (e.payload as unknown as SlaWarning).entryId === id);
    expect(event?.tenantId).toBe(tenant);

    // a completed case gets no more alerts
    const { id: doneId, applicationId: doneApp } = await queueCase(tenant);
    await deliver(decisionEvent(tenant, doneApp));
    await runSlaWatcher(sg.orm, new Date(Date.now() + 3_600_000));
    await new Promise((r) => setTimeout(r, 200));
    expect(sg.published.some((e) => e.type === Topic.SlaWarning && (e.payload as unknown as SlaWarning).entryId === doneId)).toBe(false);
  });

  it('refreshes the priority of waiting cases as time passes', async () => {
    const tenant = 'tenant-refresh';
    const { id, priority } = await queueCase(tenant, { probabilityOfDefault: 0.39, loanAmount: 1_000 });
    const held = await queueCase(tenant, { probabilityOfDefault: 0.39, loanAmount: 1_000 });
    await sg.call(analyst(tenant, 'ana'), ASSIGN, { entryId: held.id });
    await runPriorityRefresh(sg.orm, new Date(Date.now() + 3.5 * 3_600_000));
    const read = async (entryId: string) => ((await sg.call(analyst(tenant, 'ana'), ENTRY_BY_ID, { id: entryId })).body.data as Any).queueEntry.priority;
    expect(priority).toBeLessThan(5);
    // 3.5 h of a 4 h SLA: 30·(0.875)² + 10·(3.5/8) ≈ 27
    expect(await read(id)).toBe(27);
    expect(await read(held.id)).toBe(held.priority); // only pending cases are re-ranked
  });

  it('re-ranks exactly the waiting cases whose priority has risen, each given the instant it rises next', async () => {
    const { id } = await queueCase('tenant-rise', { probabilityOfDefault: 0.39, loanAmount: 1_000 });
    const stored = () => sg.orm.em.fork().findOneOrFail(QueueEntryRecord, { id }, { refresh: true });
    const risen = (at: Date) => sg.orm.em.fork().count(QueueEntryRecord, { status: 'PENDING', priorityRisesAt: { $lte: at } });
    const first = await stored();
    const rises = first.priorityRisesAt!;
    expect(rises.getTime()).toBeGreaterThan(first.createdAt.getTime());

    // a millisecond before its instant a pass leaves it alone: it reads only the cases that had risen by then (every tenant's)
    const before = new Date(rises.getTime() - 1);
    const dueBefore = await risen(before);
    expect(await runPriorityRefresh(sg.orm, before)).toBe(dueBefore);
    expect(await stored()).toMatchObject({ priority: first.priority, priorityRisesAt: rises });

    // at its instant it goes up by one and gets a later instant
    const due = await risen(rises);
    expect(due).toBeGreaterThanOrEqual(1);
    expect(await runPriorityRefresh(sg.orm, rises)).toBe(due);
    expect(await risen(rises)).toBe(0);
    const next = await stored();
    expect(next.priority).toBe(first.priority + 1);
    expect(next.priorityRisesAt!.getTime()).toBeGreaterThan(rises.getTime());
  });

  it('reports SLA state live: approaching at once with a tiny SLA, then breached', async () => {
    const tenant = 'tenant-tiny-sla';
    // the warning window is the whole SLA: APPROACHING from the start, BREACHED after 3 s
    await new SlaPolicyRepository(sg.orm.em.fork()).save(
      tenant,
      { reviewSlaSeconds: 3, warningSecondsBefore: 3, escalateSecondsAfter: 3600 },
      { kind: 'system', id: 'test' },
    );
    const { id } = await queueCase(tenant);
    const ana = analyst(tenant, 'ana');
    const state = async () => ((await sg.call(ana, ENTRY_BY_ID, { id })).body.data as Any).queueEntry.slaState;
    expect(await state()).toBe('APPROACHING');
    expect(((await sg.call(ana, SUMMARY)).body.data as Any).queueSummary).toMatchObject({ approachingSla: 1, breached: 0, total: 1 });
    expect(((await sg.call(ana, LIST, { filter: { slaState: ['APPROACHING'] } })).body.data as Any).reviewQueue.totalCount).toBe(1);
    await expect.poll(state, { timeout: 10_000, interval: 200 }).toBe('BREACHED');
    expect(((await sg.call(ana, SUMMARY)).body.data as Any).queueSummary).toMatchObject({ breached: 1, approachingSla: 0, total: 1 });
    expect(((await sg.call(ana, LIST, { filter: { slaState: ['BREACHED'] } })).body.data as Any).reviewQueue.totalCount).toBe(1);
    expect(((await sg.call(ana, LIST, { filter: { slaState: ['ON_TRACK'] } })).body.data as Any).reviewQueue.totalCount).toBe(0);
  });

  it('refuses calls that did not come through the gateway', async () => {
    const res = await sg.call(null, SUMMARY);
    expect(res.status).toBe(401);
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
  });
});
