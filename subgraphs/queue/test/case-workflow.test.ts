import { randomUUID } from 'node:crypto';
import {
  type ApplicationScored,
  type AuditRecorded,
  AuditTopic,
  type Caller,
  CaseTopic,
  type DecisionContested,
  type DecisionMade,
  DecisionTopic,
  type DocumentsSubmitted,
  type EventEnvelope,
  type NotificationCreated,
  NotificationTopic,
  newEnvelope,
  type OverrideRejected,
  type QueueEntryChanged,
  type SlaWarning,
  Topic,
} from '@tandem/platform';
import { startSubgraphForTest, testCaller } from '@tandem/platform/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SlaPolicyRepository } from '../src/data/sla-policy.repository.js';
import { addWorkingSeconds } from '../src/domain/business-calendar.js';
import { runAutoAssign } from '../src/jobs/auto-assign.js';
import { runSlaWatcher } from '../src/jobs/sla-watcher.js';
import { queueSubgraph } from '../src/server.js';
import { decisionEvent, scoredEvent, scoredPayload } from './fixtures.js';

const ENTRY = `id status priority priorityBand slaDeadline slaWarningAt slaState slaPausedAt waitingOnApplicant awaitingOverrideApproval
  createdAt assignedAt startedAt completedAt assignee { id } application { id }`;
const ASSIGN = `mutation($entryId: ID!, $analystId: ID) { assignCase(entryId: $entryId, analystId: $analystId) { ${ENTRY} } }`;
const START = `mutation($entryId: ID!) { startReview(entryId: $entryId) { ${ENTRY} } }`;
const REASSIGN = `mutation($entryId: ID!, $analystId: ID!, $reason: String!) { reassignCase(entryId: $entryId, analystId: $analystId, reason: $reason) { ${ENTRY} } }`;
const ENTRY_BY_ID = `query($id: ID!) { queueEntry(id: $id) { ${ENTRY} history { action actorId fromStatus toStatus fromAssigneeId toAssigneeId reason at } } }`;
const BY_APPLICATION = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Application { id queueEntry { ${ENTRY} } } } }`;
const POLICY = 'reviewSlaSeconds warningSecondsBefore escalateSecondsAfter timeZone workingDays workingHours { start end } holidays updatedAt';
const SET_POLICY = `mutation($input: SlaPolicyInput!) { setSlaPolicy(input: $input) { ${POLICY} } }`;
const GET_POLICY = `{ slaPolicy { ${POLICY} } }`;
const NOTIFICATIONS = `query($unreadOnly: Boolean, $first: Int, $after: String) {
  notifications(unreadOnly: $unreadOnly, first: $first, after: $after) { totalCount edges { node { id kind message createdAt readAt entry { id } application { id } } } }
  unreadNotificationCount }`;
const NOTIFICATION = 'query($id: ID!) { notification(id: $id) { id kind readAt } }';
const MARK_READ = 'mutation($id: ID!) { markNotificationRead(id: $id) { id readAt } }';
const AVAILABILITY = 'mutation($available: Boolean!) { setAvailability(available: $available) { analystId available } }';
const SUMMARY = '{ queueSummary { pending assigned inProgress approachingSla breached waitingOnApplicant total byPriorityBand { band count } } }';
const LIST = `query($filter: QueueFilter) { reviewQueue(filter: $filter) { totalCount edges { node { id priority priorityBand } } } }`;

type Any = any;

describe('queue subgraph: SLA policy, pauses, overrides, reassignment, notifications', () => {
  let sg: Awaited<ReturnType<typeof startSubgraphForTest>>;
  /** When each event reached the bus (the relay's publish), for latency checks. */
  const receivedAt = new Map<string, number>();

  beforeAll(async () => {
    sg = await startSubgraphForTest(queueSubgraph, inject('databaseUrl'));
    sg.bus.listen((e) => receivedAt.set(e.id, Date.now()));
  });
  afterAll(async () => sg?.close());

  const analyst = (tenant: string, id: string): Caller => testCaller('analyst', tenant, id);
  const senior = (tenant: string, id = 'senior-1'): Caller => testCaller('senior_analyst', tenant, id);
  const admin = (tenant: string): Caller => testCaller('admin', tenant, 'admin-1');
  const codeOf = (res: { body: { errors?: { extensions?: { code?: string } }[] } }) => res.body.errors?.[0]?.extensions?.code;
  const data = (res: { body: { data?: unknown; errors?: unknown } }) => {
    expect(res.body.errors).toBeUndefined();
    return res.body.data as Any;
  };

  const deliver = (event: EventEnvelope<object>) => sg.bus.publish(event as unknown as EventEnvelope);

  const queueCase = async (tenant: string, over: Partial<ApplicationScored> = {}) => {
    const applicationId = randomUUID();
    await deliver(scoredEvent(tenant, applicationId, over));
    const { body } = await sg.call(analyst(tenant, 'reader'), BY_APPLICATION, { reps: [{ __typename: 'Application', id: applicationId }] });
    const entry = (body.data as Any)._entities[0].queueEntry;
    expect(entry).toBeTruthy();
    return { ...entry, applicationId };
  };
  const read = async (tenant: string, id: string) => data(await sg.call(analyst(tenant, 'reader'), ENTRY_BY_ID, { id })).queueEntry;
  const kindsOf = (entryId: string) =>
    sg.published
      .filter((e) => e.type === Topic.QueueEntryChanged && (e.payload as unknown as QueueEntryChanged).entryId === entryId)
      .map((e) => (e.payload as unknown as QueueEntryChanged).kind as string);
  const notificationsOf = async (caller: Caller, unreadOnly = false) => data(await sg.call(caller, NOTIFICATIONS, { unreadOnly })).notifications;

  it('setSlaPolicy needs config:manage, validates, returns the policy, and new cases follow its calendar', async () => {
    const tenant = 'tenant-policy';
    const fresh = data(await sg.call(analyst(tenant, 'ana'), GET_POLICY)).slaPolicy;
    expect(fresh).toMatchObject({ reviewSlaSeconds: 14_400, timeZone: 'UTC', workingHours: { start: '00:00', end: '24:00' }, holidays: [], updatedAt: null });
    expect(fresh.workingDays).toHaveLength(7);

    const input = {
      reviewSlaSeconds: 7200,
      warningSecondsBefore: 600,
      escalateSecondsAfter: 1800,
      timeZone: 'Europe/Berlin',
      workingDays: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'],
      workingHours: { start: '09:00', end: '17:00' },
      holidays: ['2026-12-25', '2026-12-24'],
    };
    expect(codeOf(await sg.call(analyst(tenant, 'ana'), SET_POLICY, { input }))).toBe('FORBIDDEN');
    expect(codeOf(await sg.call(senior(tenant), SET_POLICY, { input }))).toBe('FORBIDDEN');
    const bad = await sg.call(admin(tenant), SET_POLICY, {
      input: { ...input, warningSecondsBefore: 9000, timeZone: 'Mars/Base', workingHours: { start: '18:00', end: '08:00' } },
    });
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(bad.body.errors?.[0].message).toMatch(/warningSecondsBefore.*timeZone.*workingHours/);
    expect(codeOf(await sg.call(admin(tenant), SET_POLICY, { input: { ...input, holidays: ['2026-13-01'] } }))).toBe('BAD_USER_INPUT');
    const policyAudits = () =>
      sg.published.filter((e) => e.type === AuditTopic.AuditRecorded && e.tenantId === tenant).map((e) => e.payload as unknown as AuditRecorded);
    expect(policyAudits()).toEqual([]); // refused: nothing recorded

    const saved = data(await sg.call(admin(tenant), SET_POLICY, { input })).setSlaPolicy;
    expect(saved).toMatchObject({ ...input, holidays: ['2026-12-24', '2026-12-25'] });
    expect(saved.updatedAt).toBeTruthy();
    await expect.poll(() => policyAudits().map((a) => a.action)).toEqual(['SLA_POLICY_SET']);
    expect(policyAudits()[0]).toMatchObject({
      entityType: 'SlaPolicy',
      entityId: tenant,
      actor: { kind: 'user' },
      oldValue: null,
      newValue: { reviewSlaSeconds: 7200, calendar: { timeZone: 'Europe/Berlin', workingDays: [1, 2, 3, 4, 5], holidays: ['2026-12-24', '2026-12-25'] } },
    });
    expect(data(await sg.call(analyst(tenant, 'ana'), GET_POLICY)).slaPolicy).toEqual(saved);
    // another tenant is untouched
    expect(data(await sg.call(analyst('tenant-policy-other', 'olga'), GET_POLICY)).slaPolicy.timeZone).toBe('UTC');
    await sg.call(admin(tenant), SET_POLICY, { input: { ...input, reviewSlaSeconds: 3600 } });
    await expect.poll(() => policyAudits().map((a) => a.action)).toEqual(['SLA_POLICY_SET', 'SLA_POLICY_CHANGED']);
    expect(policyAudits()[1].changes).toEqual([{ path: 'reviewSlaSeconds', kind: 'CHANGED', from: 7200, to: 3600 }]);
    await sg.call(admin(tenant), SET_POLICY, { input });

    const entry = await queueCase(tenant);
    const calendar = {
      timeZone: 'Europe/Berlin',
      workingDays: [1, 2, 3, 4, 5],
      workingHours: { start: '09:00', end: '17:00' },
      holidays: ['2026-12-24', '2026-12-25'],
    };
    const createdAt = new Date(entry.createdAt);
    expect(entry.slaDeadline).toBe(addWorkingSeconds(createdAt, 7200, calendar).toISOString());
    expect(entry.slaWarningAt).toBe(addWorkingSeconds(createdAt, 6600, calendar).toISOString());
  });

  it('documents requested pauses the clock (the case stays open with its analyst); documents submitted resumes it, deadline pushed out', async () => {
    const tenant = 'tenant-pause';
    const ana = analyst(tenant, 'ana');
    const { id, applicationId } = await queueCase(tenant);
    data(await sg.call(ana, ASSIGN, { entryId: id }));
    const started = data(await sg.call(ana, START, { entryId: id })).startReview;

    await deliver(decisionEvent(tenant, applicationId, { outcome: 'DOCUMENTS_REQUESTED' }));
    const paused = await read(tenant, id);
    expect(paused).toMatchObject({ status: 'IN_PROGRESS', assignee: { id: 'ana' }, waitingOnApplicant: true, completedAt: null, slaState: 'ON_TRACK' });
    expect(paused.slaPausedAt).toBeTruthy();
    expect(paused.slaDeadline).toBe(started.slaDeadline);
    expect(data(await sg.call(ana, SUMMARY)).queueSummary).toMatchObject({ waitingOnApplicant: 1, inProgress: 1, total: 1 });
    expect(data(await sg.call(ana, LIST, { filter: { waitingOnApplicant: true } })).reviewQueue.totalCount).toBe(1);
    expect(data(await sg.call(ana, LIST, { filter: { waitingOnApplicant: false } })).reviewQueue.totalCount).toBe(0);
    // a paused clock raises no alerts, however late it gets
    await runSlaWatcher(sg.orm, new Date(Date.now() + 10 * 3_600_000));
    expect(sg.published.some((e) => e.type === Topic.SlaWarning && (e.payload as unknown as SlaWarning).entryId === id)).toBe(false);
    // a second request while paused changes nothing
    await deliver(decisionEvent(tenant, applicationId, { outcome: 'DOCUMENTS_REQUESTED' }));

    await new Promise((r) => setTimeout(r, 300));
    const submitted: DocumentsSubmitted = { applicationId, documents: [{ name: 'payslip.pdf', kind: 'INCOME_PROOF' }], submittedAt: new Date().toISOString() };
    await deliver(newEnvelope('decisions', CaseTopic.DocumentsSubmitted, tenant, submitted));
    const resumed = await read(tenant, id);
    expect(resumed).toMatchObject({ status: 'IN_PROGRESS', assignee: { id: 'ana' }, waitingOnApplicant: false, slaPausedAt: null });
    const pausedFor = Date.parse(resumed.history.at(-1).at) - Date.parse(paused.slaPausedAt);
    expect(pausedFor).toBeGreaterThanOrEqual(300);
    expect(Date.parse(resumed.slaDeadline) - Date.parse(started.slaDeadline)).toBe(pausedFor);
    expect(Date.parse(resumed.slaWarningAt) - Date.parse(started.slaWarningAt)).toBe(pausedFor);
    await expect.poll(() => kindsOf(id)).toEqual(['CREATED', 'ASSIGNED', 'STARTED', 'PAUSED', 'RESUMED']);
    expect(resumed.history.map((h: Any) => [h.action, h.actorId])).toEqual([
      ['ASSIGNED', 'ana'],
      ['STARTED', 'ana'],
      ['PAUSED', 'system:decision'],
      ['RESUMED', 'system:documents'],
    ]);
    const [note] = (await notificationsOf(ana)).edges.map((e: Any) => e.node);
    expect(note).toMatchObject({ kind: 'DOCUMENTS_SUBMITTED', entry: { id }, application: { id: applicationId }, readAt: null });

    // and the final decision completes it
    await deliver(decisionEvent(tenant, applicationId, { outcome: 'APPROVED' }));
    expect(await read(tenant, id)).toMatchObject({ status: 'COMPLETED', waitingOnApplicant: false });
  });

  it('a case decided while waiting on the applicant does not count the pause against its SLA', async () => {
    const tenant = 'tenant-pause-decided';
    const ana = analyst(tenant, 'ana');
    const { id, applicationId } = await queueCase(tenant);
    const assigned = data(await sg.call(ana, ASSIGN, { entryId: id })).assignCase;
    await deliver(decisionEvent(tenant, applicationId, { outcome: 'DOCUMENTS_REQUESTED' }));
    const paused = await read(tenant, id);
    await new Promise((r) => setTimeout(r, 300));
    await deliver(decisionEvent(tenant, applicationId, { outcome: 'DECLINED' }));
    const done = await read(tenant, id);
    expect(done).toMatchObject({ status: 'COMPLETED', slaPausedAt: null, waitingOnApplicant: false });
    const pausedFor = Date.parse(done.completedAt) - Date.parse(paused.slaPausedAt);
    expect(pausedFor).toBeGreaterThanOrEqual(300);
    expect(Date.parse(done.slaDeadline) - Date.parse(assigned.slaDeadline)).toBe(pausedFor);
    await expect.poll(() => kindsOf(id)).toEqual(['CREATED', 'ASSIGNED', 'PAUSED', 'COMPLETED']);
  });

  it('two leads assigning cases to each other at once never deadlock', async () => {
    const tenant = 'tenant-cross';
    const lea = senior(tenant, 'lea');
    const sam = senior(tenant, 'sam');
    const cases = [];
    for (let i = 0; i < 8; i++) cases.push((await queueCase(tenant)).id);
    const results = await Promise.all(
      cases.map((entryId, i) => (i % 2 ? sg.call(lea, ASSIGN, { entryId, analystId: 'sam' }) : sg.call(sam, ASSIGN, { entryId, analystId: 'lea' }))),
    );
    expect(results.map(codeOf)).toEqual(Array(8).fill(undefined));
  });

  it('a pending override keeps the case with its analyst; rejected it reopens (analyst notified with the reason); approved it completes', async () => {
    const tenant = 'tenant-override';
    const ana = analyst(tenant, 'ana');
    const { id, applicationId } = await queueCase(tenant);
    data(await sg.call(ana, ASSIGN, { entryId: id }));
    data(await sg.call(ana, START, { entryId: id }));

    const first = decisionEvent(tenant, applicationId, { outcome: 'DECLINED', isOverride: true, overrideStatus: 'PENDING' });
    await deliver(first);
    expect(await read(tenant, id)).toMatchObject({ status: 'IN_PROGRESS', assignee: { id: 'ana' }, awaitingOverrideApproval: true, completedAt: null });

    await deliver(newEnvelope<DecisionMade>('decisions', Topic.DecisionMade, tenant, { ...first.payload, overrideStatus: 'REJECTED' }));
    const rejection: OverrideRejected = {
      decisionId: first.payload.decisionId,
      applicationId,
      analystId: 'ana',
      rejectedBy: 'senior-1',
      reason: 'The income evidence does not support a decline',
      rejectedAt: new Date().toISOString(),
    };
    await deliver(newEnvelope('decisions', DecisionTopic.OverrideRejected, tenant, rejection));
    expect(await read(tenant, id)).toMatchObject({ status: 'IN_PROGRESS', assignee: { id: 'ana' }, awaitingOverrideApproval: false });
    const note = (await notificationsOf(ana)).edges[0].node;
    expect(note).toMatchObject({ kind: 'OVERRIDE_REJECTED', entry: { id } });
    expect(note.message).toContain('The income evidence does not support a decline');

    const second = decisionEvent(tenant, applicationId, { outcome: 'DECLINED', isOverride: true, overrideStatus: 'PENDING' });
    await deliver(second);
    expect((await read(tenant, id)).awaitingOverrideApproval).toBe(true);
    await deliver(newEnvelope<DecisionMade>('decisions', Topic.DecisionMade, tenant, { ...second.payload, overrideStatus: 'APPROVED' }));
    expect(await read(tenant, id)).toMatchObject({ status: 'COMPLETED', assignee: { id: 'ana' }, awaitingOverrideApproval: false });
    await expect.poll(() => kindsOf(id)).toEqual(['CREATED', 'ASSIGNED', 'STARTED', 'REOPENED', 'COMPLETED']);
  });

  it('tells every senior but its author, at once, that an override waits for approval', async () => {
    const tenant = 'tenant-override-notify';
    const lea = senior(tenant, 'lea');
    const sam = senior(tenant, 'sam');
    // The queue knows its seniors from their calls (with queue:assign).
    for (const caller of [lea, sam]) data(await sg.call(caller, AVAILABILITY, { available: true }));
    const ana = analyst(tenant, 'ana');
    const mine = await queueCase(tenant);
    data(await sg.call(ana, ASSIGN, { entryId: mine.id }));
    data(await sg.call(ana, START, { entryId: mine.id }));
    await deliver(decisionEvent(tenant, mine.applicationId, { outcome: 'DECLINED', isOverride: true, overrideStatus: 'PENDING', decidedBy: 'ana' }));
    for (const caller of [lea, sam]) {
      const [note] = (await notificationsOf(caller)).edges.map((e: Any) => e.node);
      expect(note).toMatchObject({ kind: 'OVERRIDE_PENDING', entry: { id: mine.id } });
      expect(note.message).toMatch(/decided declined against the model's recommendation/);
    }
    // A senior's own override goes to the other seniors only; a plain decision tells nobody.
    const leas = await queueCase(tenant);
    data(await sg.call(lea, ASSIGN, { entryId: leas.id }));
    data(await sg.call(lea, START, { entryId: leas.id }));
    await deliver(decisionEvent(tenant, leas.applicationId, { outcome: 'APPROVED', isOverride: true, overrideStatus: 'PENDING', decidedBy: 'lea' }));
    await deliver(decisionEvent(tenant, (await queueCase(tenant)).applicationId, { outcome: 'APPROVED' }));
    const kinds = async (caller: Caller) => (await notificationsOf(caller)).edges.map((e: Any) => `${e.node.kind}:${e.node.entry?.id}`);
    expect(await kinds(lea)).toEqual([`OVERRIDE_PENDING:${mine.id}`]);
    expect((await kinds(sam)).sort()).toEqual([`OVERRIDE_PENDING:${leas.id}`, `OVERRIDE_PENDING:${mine.id}`].sort());
    expect(await kinds(ana)).toEqual([]);
  });

  it('reassignCase: queue:assign, a reason, a held case, room under the cap; logged and the new analyst notified', async () => {
    const tenant = 'tenant-reassign';
    const ana = analyst(tenant, 'ana');
    const lead = senior(tenant, 'lea');
    const { id } = await queueCase(tenant);
    const reason = 'Ana is out for the rest of the week';

    expect(codeOf(await sg.call(lead, REASSIGN, { entryId: id, analystId: 'bob', reason }))).toBe('CONFLICT'); // pending: assign it
    data(await sg.call(ana, ASSIGN, { entryId: id }));
    data(await sg.call(ana, START, { entryId: id }));
    expect(codeOf(await sg.call(ana, REASSIGN, { entryId: id, analystId: 'bob', reason }))).toBe('FORBIDDEN');
    expect(codeOf(await sg.call(lead, REASSIGN, { entryId: id, analystId: 'bob', reason: 'no' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await sg.call(lead, REASSIGN, { entryId: id, analystId: 'ana', reason }))).toBe('CONFLICT');
    expect(codeOf(await sg.call(lead, REASSIGN, { entryId: id, analystId: ' ', reason }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await sg.call(lead, REASSIGN, { entryId: randomUUID(), analystId: 'bob', reason }))).toBe('NOT_FOUND');
    // bob at the cap
    for (let i = 0; i < 5; i++) data(await sg.call(lead, ASSIGN, { entryId: (await queueCase(tenant)).id, analystId: 'bob' }));
    expect(codeOf(await sg.call(lead, REASSIGN, { entryId: id, analystId: 'bob', reason }))).toBe('CONFLICT');

    const moved = data(await sg.call(lead, REASSIGN, { entryId: id, analystId: 'cem', reason })).reassignCase;
    expect(moved).toMatchObject({ status: 'ASSIGNED', assignee: { id: 'cem' }, startedAt: null });
    const entry = await read(tenant, id);
    expect(entry.history.at(-1)).toMatchObject({
      action: 'REASSIGNED',
      actorId: 'lea',
      fromStatus: 'IN_PROGRESS',
      toStatus: 'ASSIGNED',
      fromAssigneeId: 'ana',
      toAssigneeId: 'cem',
      reason,
    });
    await expect.poll(() => kindsOf(id)).toEqual(['CREATED', 'ASSIGNED', 'STARTED', 'REASSIGNED']);
    const note = (await notificationsOf(analyst(tenant, 'cem'))).edges[0].node;
    expect(note).toMatchObject({ kind: 'CASE_ASSIGNED', entry: { id } });
    expect(note.message).toContain(reason);
    // the one who took a case themselves is not notified of it
    expect((await notificationsOf(ana)).totalCount).toBe(0);
  });

  it('notifications are the recipient’s alone: list, unread count, read once, published for the live subscription', async () => {
    const tenant = 'tenant-notes';
    const lead = senior(tenant, 'lea');
    const bob = analyst(tenant, 'bob');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { id } = await queueCase(tenant);
      ids.push(id);
      data(await sg.call(lead, ASSIGN, { entryId: id, analystId: 'bob' }));
    }
    const all = await notificationsOf(bob);
    expect(all.totalCount).toBe(3);
    expect(data(await sg.call(bob, NOTIFICATIONS, {})).unreadNotificationCount).toBe(3);
    const newest = all.edges[0].node;
    expect(newest.entry.id).toBe(ids[2]);

    // each notification went out on the bus for its recipient (what notificationReceived serves); the outbox relays after commit
    const notices = () => sg.published.filter((e) => e.type === NotificationTopic.NotificationCreated && e.tenantId === tenant);
    await expect.poll(() => notices().map((e) => (e.payload as unknown as NotificationCreated).recipientId)).toEqual(['bob', 'bob', 'bob']);
    const published = notices();
    expect((published[2].payload as unknown as NotificationCreated).notificationId).toBe(newest.id);

    // nobody else can see or mark it
    const other = analyst(tenant, 'eve');
    expect(data(await sg.call(other, NOTIFICATION, { id: newest.id })).notification).toBeNull();
    expect(data(await sg.call(analyst('tenant-elsewhere', 'bob'), NOTIFICATION, { id: newest.id })).notification).toBeNull();
    expect(codeOf(await sg.call(other, MARK_READ, { id: newest.id }))).toBe('NOT_FOUND');
    expect(codeOf(await sg.call(other, MARK_READ, { id: 'not-a-uuid' }))).toBe('NOT_FOUND');
    expect((await notificationsOf(other)).totalCount).toBe(0);
    expect(data(await sg.call(bob, NOTIFICATION, { id: newest.id })).notification).toMatchObject({ id: newest.id, kind: 'CASE_ASSIGNED' });

    const marked = data(await sg.call(bob, MARK_READ, { id: newest.id })).markNotificationRead;
    expect(marked.readAt).toBeTruthy();
    const again = data(await sg.call(bob, MARK_READ, { id: newest.id })).markNotificationRead;
    expect(again.readAt).toBe(marked.readAt);
    const unread = await notificationsOf(bob, true);
    expect(unread.totalCount).toBe(2);
    expect(unread.edges.map((e: Any) => e.node.id)).not.toContain(newest.id);
    const page = data(await sg.call(bob, NOTIFICATIONS, { first: 2 })).notifications;
    expect(page.edges).toHaveLength(2);
    expect(codeOf(await sg.call(testCaller('api_consumer', tenant), NOTIFICATIONS, {}))).toBe('FORBIDDEN');
  });

  it('SLA on a short policy: WARNING, BREACHED within 5 s of the deadline, ESCALATED to seniors, each as notifications', async () => {
    const tenant = 'tenant-sla-live';
    await new SlaPolicyRepository(sg.orm.em.fork()).save(
      tenant,
      { reviewSlaSeconds: 4, warningSecondsBefore: 2, escalateSecondsAfter: 2 },
      { kind: 'system', id: 'test' },
    );
    // lea is a senior the queue knows (she set her availability)
    data(await sg.call(senior(tenant, 'lea'), AVAILABILITY, { available: false }));
    const ana = analyst(tenant, 'ana');
    const { id } = await queueCase(tenant);
    data(await sg.call(ana, ASSIGN, { entryId: id }));
    const entry = await read(tenant, id);
    const deadline = Date.parse(entry.slaDeadline);
    const warningAt = Date.parse(entry.slaWarningAt);
    const alerts = () => sg.published.filter((e) => e.type === Topic.SlaWarning && (e.payload as unknown as SlaWarning).entryId === id);

    // the watcher running in the background (every second) does the work; nothing is called here
    await expect
      .poll(() => alerts().map((e) => (e.payload as unknown as SlaWarning).kind), { timeout: 15_000, interval: 100 })
      .toEqual(['WARNING', 'BREACHED', 'ESCALATED']);
    const [warning, breach, escalation] = alerts();
    const lateness = (e: EventEnvelope, due: number) => (receivedAt.get(e.id) ?? Number.NaN) - due;
    expect(lateness(warning, warningAt)).toBeGreaterThanOrEqual(0);
    expect(lateness(warning, warningAt)).toBeLessThanOrEqual(5_000);
    expect(lateness(breach, deadline)).toBeGreaterThanOrEqual(0);
    expect(lateness(breach, deadline)).toBeLessThanOrEqual(5_000);
    expect(lateness(escalation, deadline + 2_000)).toBeLessThanOrEqual(5_000);

    const anaKinds = (await notificationsOf(ana)).edges.map((e: Any) => e.node.kind);
    expect(anaKinds).toEqual(['SLA_BREACHED', 'SLA_WARNING']);
    const leaNotes = (await notificationsOf(senior(tenant, 'lea'))).edges.map((e: Any) => e.node);
    expect(leaNotes).toHaveLength(1);
    expect(leaNotes[0]).toMatchObject({ kind: 'SLA_ESCALATED', entry: { id } });
  });

  it('auto-assign hands cases near their deadline to the least-loaded available analysts, up to the cap', async () => {
    const tenant = 'tenant-auto';
    // the whole SLA is the warning window: every case is near its deadline at once
    await new SlaPolicyRepository(sg.orm.em.fork()).save(
      tenant,
      { reviewSlaSeconds: 3600, warningSecondsBefore: 3600, escalateSecondsAfter: 3600 },
      { kind: 'system', id: 'test' },
    );
    const lead = senior(tenant, 'lea');
    data(await sg.call(analyst(tenant, 'bob'), AVAILABILITY, { available: true }));
    data(await sg.call(analyst(tenant, 'cem'), AVAILABILITY, { available: true }));
    data(await sg.call(analyst(tenant, 'dan'), AVAILABILITY, { available: false }));
    expect(codeOf(await sg.call(testCaller('readonly', tenant, 'rita'), AVAILABILITY, { available: true }))).toBe('FORBIDDEN');
    // cem already holds two
    for (let i = 0; i < 2; i++) data(await sg.call(lead, ASSIGN, { entryId: (await queueCase(tenant)).id, analystId: 'cem' }));
    const waiting = [];
    for (let i = 0; i < 3; i++) waiting.push((await queueCase(tenant)).id);

    await runAutoAssign(sg.orm);
    const holders = await Promise.all(waiting.map(async (id) => (await read(tenant, id)).assignee?.id));
    expect(holders.every(Boolean)).toBe(true);
    expect(holders.filter((h) => h === 'bob')).toHaveLength(2);
    expect(holders.filter((h) => h === 'cem')).toHaveLength(1);
    expect(holders).not.toContain('dan');
    const history = (await read(tenant, waiting[0])).history;
    expect(history.at(-1)).toMatchObject({ action: 'ASSIGNED', actorId: 'system:auto-assign' });
    const given = (await notificationsOf(analyst(tenant, 'bob'))).edges.map((e: Any) => e.node).filter((n: Any) => n.kind === 'CASE_ASSIGNED');
    expect(given).toHaveLength(2);
    expect(given[0].message).toMatch(/automatically/);

    // nobody beyond the cap: 7 more cases, bob 2→5 and cem 3→5 take 5, two stay pending
    for (let i = 0; i < 7; i++) await queueCase(tenant);
    await runAutoAssign(sg.orm);
    const summary = data(await sg.call(lead, SUMMARY)).queueSummary;
    expect(summary).toMatchObject({ pending: 2, assigned: 10, total: 12 });
    expect(summary.byPriorityBand.map((b: Any) => b.band)).toEqual(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']);
    expect(summary.byPriorityBand.reduce((n: number, b: Any) => n + b.count, 0)).toBe(12);
    const list = data(await sg.call(lead, LIST, { filter: { priorityBand: ['LOW', 'MEDIUM'] } })).reviewQueue;
    expect(list.edges.every((e: Any) => ['LOW', 'MEDIUM'].includes(e.node.priorityBand))).toBe(true);
    const floor = Math.max(...list.edges.map((e: Any) => e.node.priority));
    const atLeast = data(await sg.call(lead, LIST, { filter: { minPriority: floor } })).reviewQueue;
    expect(atLeast.totalCount).toBeGreaterThan(0);
    expect(atLeast.edges.every((e: Any) => e.node.priority >= floor)).toBe(true);
    expect(codeOf(await sg.call(lead, LIST, { filter: { minPriority: 101 } }))).toBe('BAD_USER_INPUT');
  });

  it('a contested automated decision opens a human re-review case with the original evidence', async () => {
    const tenant = 'tenant-contest';
    const applicationId = randomUUID();
    const evidence = {
      ...scoredPayload(applicationId, { route: 'AUTO_DECLINE', modelRecommendation: 'DECLINE', probabilityOfDefault: 0.8 }),
    } as Partial<ApplicationScored>;
    delete evidence.submittedAt;
    const contested: DecisionContested = {
      contestId: randomUUID(),
      applicationId,
      decisionId: randomUUID(),
      statement: 'My income was misread',
      contestedBy: 'partner-1',
      contestedAt: new Date().toISOString(),
      evidence: evidence as DecisionContested['evidence'],
    };
    await deliver(newEnvelope('decisions', DecisionTopic.DecisionContested, tenant, contested));
    const { body } = await sg.call(analyst(tenant, 'ana'), BY_APPLICATION, { reps: [{ __typename: 'Application', id: applicationId }] });
    expect((body.data as Any)._entities[0].queueEntry).toMatchObject({ status: 'PENDING', application: { id: applicationId } });
  });
});
