import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Topic, type EventEnvelope } from '@tandem/platform';
import { startSubgraphForTest, testCaller } from '@tandem/platform/testing';
import { applicationsSubgraph } from '../src/server.js';

const SUBMIT = /* GraphQL */ `
  mutation Submit($input: SubmitApplicationInput!) {
    submitApplication(input: $input) {
      created
      application { id externalId status loan { amount termMonths purpose currency } ratios { debtToIncome loanToIncome paymentToIncome monthlyInstalment } }
    }
  }`;

const input = (externalId: string, overrides: Record<string, unknown> = {}) => ({
  externalId,
  applicant: { firstName: 'Ana', lastName: 'Ruiz', email: 'ana@example.com', dateOfBirth: '1990-05-01', maritalStatus: 'SINGLE', housing: 'RENT', employment: { type: 'FIXED', yearsEmployed: 4 } },
  financials: { monthlyIncome: '2500.00', monthlyExpenses: 900, debt: 1000, pastArrears: false },
  loan: { amount: '10000', termMonths: 36, purpose: 'CAR' },
  ...overrides,
});

describe('applications subgraph: submitApplication', () => {
  let sg: Awaited<ReturnType<typeof startSubgraphForTest>>;
  const partner = testCaller('api_consumer', 'tenant-a', 'partner-a');

  beforeAll(async () => {
    sg = await startSubgraphForTest(applicationsSubgraph, inject('databaseUrl'));
  });
  afterAll(async () => sg?.close());

  it('stores the application with derived ratios and publishes application.submitted without PII', async () => {
    const { body } = await sg.call(partner, SUBMIT, { input: input('ext-1') });
    expect(body.errors).toBeUndefined();
    const payload = (body.data as any).submitApplication;
    expect(payload.created).toBe(true);
    expect(payload.application).toMatchObject({ externalId: 'ext-1', status: 'PENDING', loan: { amount: '10000.00', termMonths: 36, purpose: 'CAR', currency: 'EUR' } });
    expect(payload.application.ratios).toMatchObject({ debtToIncome: 0.4, loanToIncome: 4, monthlyInstalment: '332.14' });

    await expect.poll(() => sg.published.find((e) => e.type === Topic.ApplicationSubmitted)).toBeTruthy();
    const event = sg.published.find((e) => e.type === Topic.ApplicationSubmitted) as EventEnvelope<any>;
    expect(event.tenantId).toBe('tenant-a');
    expect(event.payload.applicationId).toBe(payload.application.id);
    expect(event.payload.input).toMatchObject({ monthlyIncome: 2500, loanAmount: 10000, termMonths: 36, housing: 'RENT' });
    expect(JSON.stringify(event)).not.toMatch(/Ruiz|ana@example/);
  });

  it('is idempotent on externalId: a retry returns the same application and publishes nothing new', async () => {
    const first = await sg.call(partner, SUBMIT, { input: input('ext-2') });
    const submittedFor = () => sg.published.filter((e) => e.type === Topic.ApplicationSubmitted && (e.payload as any).externalId === 'ext-2');
    await expect.poll(() => submittedFor().length).toBe(1);
    const again = await sg.call(partner, SUBMIT, { input: input('ext-2') });
    expect((again.body.data as any).submitApplication.created).toBe(false);
    expect((again.body.data as any).submitApplication.application.id).toBe((first.body.data as any).submitApplication.application.id);
    // Give a wrongly staged second event time to be relayed before concluding there is none.
    await new Promise((r) => setTimeout(r, 1500));
    expect(submittedFor()).toHaveLength(1);
  });

  it('answers CONFLICT when an externalId is reused for different content', async () => {
    await sg.call(partner, SUBMIT, { input: input('ext-3') });
    const { body } = await sg.call(partner, SUBMIT, { input: input('ext-3', { loan: { amount: 999, termMonths: 12 } }) });
    expect(body.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('concurrent retries of one submission create exactly one application', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => sg.call(partner, SUBMIT, { input: input('ext-race') })));
    const ids = new Set(results.map((r) => (r.body.data as any)?.submitApplication.application.id));
    expect(results.every((r) => !r.body.errors)).toBe(true);
    expect(ids.size).toBe(1);
    expect(results.filter((r) => (r.body.data as any).submitApplication.created).length).toBe(1);
  });

  it('rejects bad input with BAD_USER_INPUT and stores nothing', async () => {
    const bad = await sg.call(partner, SUBMIT, { input: input('ext-bad', { applicant: { ...input('x').applicant, dateOfBirth: '2020-01-01' } }) });
    expect(bad.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.body.errors?.[0].message).toContain('applicant.dateOfBirth');
    const money = await sg.call(partner, SUBMIT, { input: input('ext-bad2', { loan: { amount: '12.345', termMonths: 12 } }) });
    expect(money.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const lookup = await sg.call(testCaller('analyst'), `{ applications(filter: { externalId: "ext-bad" }) { totalCount } }`);
    expect((lookup.body.data as any).applications.totalCount).toBe(0);
  });

  it('keeps tenants apart and enforces permissions', async () => {
    const { body } = await sg.call(partner, SUBMIT, { input: input('ext-4') });
    const id = (body.data as any).submitApplication.application.id;
    const own = await sg.call(testCaller('analyst', 'tenant-a'), `query($id: ID!) { application(id: $id) { id } }`, { id });
    expect((own.body.data as any).application.id).toBe(id);
    const other = await sg.call(testCaller('analyst', 'tenant-b'), `query($id: ID!) { application(id: $id) { id } }`, { id });
    expect((other.body.data as any).application).toBeNull();
    const list = await sg.call(testCaller('analyst', 'tenant-b'), `{ applications { totalCount } }`);
    expect((list.body.data as any).applications.totalCount).toBe(0);
    const readonlySubmit = await sg.call(testCaller('readonly', 'tenant-a'), SUBMIT, { input: input('ext-5') });
    expect(readonlySubmit.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses calls that did not come through the gateway', async () => {
    const res = await sg.call(null, `{ applications { totalCount } }`);
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
