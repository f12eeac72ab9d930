import { randomUUID } from 'node:crypto';
import { type ApplicationStatus, type AuditRecorded, AuditTopic, DecisionTopic, type EventEnvelope, MASK, type ScoringStarted, Topic } from '@tandem/platform';
import { startSubgraphForTest, testCaller } from '@tandem/platform/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ApplicationRecord } from '../src/data/application.entity.js';
import { ApplicationRepository } from '../src/data/application.repository.js';
import { statusesThatMayBecome } from '../src/domain/application-status.js';
import { applicationsSubgraph } from '../src/server.js';

const SUBMIT = /* GraphQL */ `
  mutation Submit($input: SubmitApplicationInput!) { submitApplication(input: $input) { created application { id } } }`;

const input = (externalId: string) => ({
  externalId,
  applicant: {
    firstName: 'Ana',
    lastName: 'Ruiz',
    email: 'ana@example.com',
    phone: '+34 600 000 000',
    nationalId: 'X1234567L',
    address: 'Calle Mayor 1, Madrid',
    dateOfBirth: '1990-05-01',
    housing: 'RENT',
    employment: { type: 'FIXED', yearsEmployed: 4 },
  },
  financials: { monthlyIncome: '2500.00', monthlyExpenses: 900, debt: 1000, pastArrears: false },
  loan: { amount: '10000', termMonths: 36, purpose: 'CAR' },
});

describe('applications subgraph: audit', () => {
  let sg: Awaited<ReturnType<typeof startSubgraphForTest>>;
  const partner = testCaller('api_consumer', 'tenant-a', 'partner-a');
  const audits = (applicationId: string) =>
    (sg.published as EventEnvelope<unknown>[] as EventEnvelope<AuditRecorded>[]).filter(
      (e) => e.type === AuditTopic.AuditRecorded && e.payload.entityId === applicationId,
    );

  beforeAll(async () => {
    sg = await startSubgraphForTest(applicationsSubgraph, inject('databaseUrl'));
  });
  afterAll(async () => sg?.close());

  it('audits a submission by its partner, with the applicant masked, once (not again on an idempotent retry)', async () => {
    const { body } = await sg.call<{ submitApplication: { application: { id: string } } }>(partner, SUBMIT, { input: input('audit-1') });
    expect(body.errors).toBeUndefined();
    const id = body.data!.submitApplication.application.id;
    await expect.poll(() => audits(id).length).toBe(1);
    const [audit] = audits(id);
    expect(audit).toMatchObject({ tenantId: 'tenant-a', source: 'applications' });
    expect(audit.payload).toMatchObject({
      entityType: 'Application',
      entityId: id,
      action: 'SUBMITTED',
      actor: { kind: 'client', id: 'partner-a' },
      oldValue: null,
      newValue: {
        externalId: 'audit-1',
        status: 'PENDING',
        applicant: { firstName: MASK, lastName: MASK, email: MASK, phone: MASK, nationalId: MASK, address: MASK, dateOfBirth: MASK, housing: 'RENT' },
        loanAmount: '10000.00',
        submittedBy: 'partner-a',
      },
    });
    expect(audit.payload.changes).toContainEqual({ path: 'status', kind: 'ADDED', to: 'PENDING' });
    expect(JSON.stringify(audit)).not.toMatch(/Ana|Ruiz|ana@example|600 000|X1234567L|Calle Mayor|1990-05-01/);

    await sg.call(partner, SUBMIT, { input: input('audit-1') });
    await new Promise((r) => setTimeout(r, 1000));
    expect(audits(id)).toHaveLength(1);
  });

  it('moves a status only from the statuses the lifecycle allows, one mover at a time, per tenant', async () => {
    const { body } = await sg.call<{ submitApplication: { application: { id: string } } }>(partner, SUBMIT, { input: input(`transition-${randomUUID()}`) });
    const id = body.data!.submitApplication.application.id;
    const repo = () => new ApplicationRepository(sg.orm.em.fork());
    const status = async () => (await sg.orm.em.fork().findOne(ApplicationRecord, { id }))!.status;
    const move = (to: ApplicationStatus, tenantId = 'tenant-a') =>
      sg.orm.em.fork().transactional((em) => new ApplicationRepository(em).transition(tenantId, id, to, statusesThatMayBecome(to)));

    // Another tenant cannot move it; a status the lifecycle does not allow from PENDING is refused.
    expect(await move('SCORING', 'tenant-b')).toBeNull();
    expect(await repo().transition('tenant-a', id, 'SCORING', [])).toBeNull();
    expect(await status()).toBe('PENDING');
    const scoring = await move('SCORING');
    expect(scoring).toMatchObject({ id, tenantId: 'tenant-a', status: 'SCORING', from: 'PENDING' });
    expect(scoring!.submittedAt).toBeInstanceOf(Date);
    // A late SCORING again, or a move back to PENDING: nothing.
    expect(await move('SCORING')).toBeNull();
    expect(await move('PENDING')).toBeNull();
    // Two consumers moving it at once (each move is allowed after the other): the second sees the first's status.
    const [review, approved] = await Promise.all([move('REVIEW'), move('APPROVED')]);
    expect(review && approved).toBeTruthy();
    const [first, second] = review!.from === 'SCORING' ? [review!, approved!] : [approved!, review!];
    expect(first.from).toBe('SCORING');
    expect(second.from).toBe(first.status);
    expect(await status()).toBe(second.status);
  });

  it('audits a status change made in reaction to another subgraph, in the same transaction as the change', async () => {
    const { body } = await sg.call<{ submitApplication: { application: { id: string } } }>(partner, SUBMIT, { input: input('audit-2') });
    const id = body.data!.submitApplication.application.id;
    const started: EventEnvelope<ScoringStarted> = {
      id: randomUUID(),
      type: Topic.ScoringStarted,
      tenantId: 'tenant-a',
      source: 'scoring',
      occurredAt: new Date().toISOString(),
      payload: { applicationId: id },
      requestId: 'req-77',
    };
    await sg.bus.publish(started);
    await sg.bus.publish(started); // a redelivery changes nothing and audits nothing
    await expect.poll(() => audits(id).filter((e) => e.payload.action === 'STATUS_CHANGED').length).toBe(1);
    const change = audits(id).find((e) => e.payload.action === 'STATUS_CHANGED')!;
    expect(change.requestId).toBe('req-77');
    expect(change.payload).toMatchObject({
      actor: { kind: 'system', id: Topic.ScoringStarted },
      oldValue: { status: 'PENDING' },
      newValue: { status: 'SCORING' },
      changes: [{ path: 'status', kind: 'CHANGED', from: 'PENDING', to: 'SCORING' }],
    });
    // Another tenant's event for the same id changes (and audits) nothing.
    await sg.bus.publish({ ...started, id: randomUUID(), tenantId: 'tenant-b' });
    await new Promise((r) => setTimeout(r, 500));
    expect(audits(id).filter((e) => e.payload.action === 'STATUS_CHANGED')).toHaveLength(1);
  });

  it('follows a batch of decisions as one at a time: a contest between two keeps its place', async () => {
    const submit = async (externalId: string) =>
      (await sg.call<{ submitApplication: { application: { id: string } } }>(partner, SUBMIT, { input: input(externalId) })).body.data!.submitApplication
        .application.id;
    const [overridden, contested] = [await submit('batch-1'), await submit('batch-2')];
    const event = <T>(type: string, payload: T): EventEnvelope<T> => ({
      id: randomUUID(),
      type,
      tenantId: 'tenant-a',
      source: 'decisions',
      occurredAt: new Date().toISOString(),
      payload,
      requestId: `req-${type}`,
    });
    const decided = (applicationId: string, outcome: string, overrideStatus: string | null) =>
      event(Topic.DecisionMade, {
        decisionId: randomUUID(),
        applicationId,
        outcome,
        automated: overrideStatus === null,
        isOverride: overrideStatus !== null,
        overrideStatus,
        decidedBy: null,
        reviewSeconds: null,
        decidedAt: new Date().toISOString(),
        withinSla: null,
      });
    for (const id of [overridden, contested]) await sg.bus.publish(event(Topic.ScoringStarted, { applicationId: id }));
    const { error } = await sg.bus.publishBatch([
      decided(overridden, 'APPROVED', 'PENDING'), // the application goes to review: a senior must approve
      decided(contested, 'DECLINED', null), // automated, then contested: back to review, where a person approves it
      decided(overridden, 'APPROVED', 'APPROVED'),
      event(DecisionTopic.DecisionContested, { applicationId: contested }),
      { ...decided(contested, 'APPROVED', null), payload: { ...decided(contested, 'APPROVED', null).payload, automated: false } },
    ] as EventEnvelope[]);
    expect(error).toBeUndefined();
    const statusOf = async (id: string) => (await sg.orm.em.fork().findOneOrFail(ApplicationRecord, { id })).status;
    expect([await statusOf(overridden), await statusOf(contested)]).toEqual(['APPROVED', 'APPROVED']);
    const moves = (id: string) =>
      audits(id)
        .filter((e) => e.payload.action === 'STATUS_CHANGED')
        .map((e) => `${(e.payload.oldValue as { status: string }).status}>${(e.payload.newValue as { status: string }).status}`);
    // The audit events reach the bus when the relay publishes the batch's commit.
    await expect.poll(() => moves(overridden)).toEqual(['PENDING>SCORING', 'SCORING>REVIEW', 'REVIEW>APPROVED']);
    await expect.poll(() => moves(contested)).toEqual(['PENDING>SCORING', 'SCORING>DECLINED', 'DECLINED>REVIEW', 'REVIEW>APPROVED']);
  });
});
