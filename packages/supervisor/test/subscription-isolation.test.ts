import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import type { RunningTandem } from '../src/tandem.js';
import { gql, login, partnerToken, until, wsClient } from './graph-client.js';
import { startTestTandem } from './test-tandem.js';

type QueueChanged = { queueChanged: { kind: string; entry: { id: string; application: { id: string } } } };
const QUERY = 'subscription { queueChanged { kind entry { id application { id } } } }';

const application = (externalId: string, amount: number) => ({
  externalId,
  applicant: { firstName: 'Noa', lastName: 'Vidal', dateOfBirth: '1984-02-11', housing: 'RENT', employment: { type: 'FIXED', yearsEmployed: 7 } },
  financials: { monthlyIncome: 5200, monthlyExpenses: 1800, pastArrears: false },
  loan: { amount, termMonths: 48, purpose: 'CAR' },
});

/** Every payload a subscriber receives, with its extensions, and how the subscription ended. */
function watch(client: Client) {
  const payloads: { data?: QueueChanged; extensions?: Record<string, unknown> }[] = [];
  const errors: { extensions?: { code?: string } }[] = [];
  client.subscribe<QueueChanged>(
    { query: QUERY },
    {
      // A refused subscription arrives as one result carrying errors, then completes.
      next: (v) => void (v.errors ? errors.push(...(v.errors as never[])) : payloads.push(v as never)),
      error: (e) => void errors.push(...(Array.isArray(e) ? e : [e as never])),
      complete: () => {},
    },
  );
  const applicationIds = () => payloads.map((p) => p.data?.queueChanged.entry.application.id);
  return { payloads, errors, applicationIds };
}

/**
 * Subscriptions across the real gateway: every event is filtered by tenant and
 * by permission before it leaves. A readonly user of one tenant sees its own
 * tenant's queue live; another tenant's analyst sees only theirs; a partner
 * without queue:view is refused.
 */
describe('live subscriptions are tenant- and permission-isolated', () => {
  let tandem: RunningTandem;
  let url: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    tandem = await startTestTandem();
    url = tandem.graphqlUrl;
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await tandem?.stop();
  });
  const open = (token: string) => {
    const c = wsClient(url, token);
    clients.push(c);
    return c;
  };

  it('delivers each tenant its own queue changes only, to readonly users too, and refuses callers without queue:view', async () => {
    const base = url.replace(/\/graphql$/, '');
    const demoReadonly = watch(open(await login(url, 'readonly@demo.test')));
    const acmeAnalyst = watch(open(await login(url, 'analyst@acme.test')));
    const demoPartner = watch(open(await partnerToken(base)));
    await until(async () => demoPartner.errors.length > 0);
    expect(demoPartner.errors[0].extensions?.code).toBe('FORBIDDEN');
    await new Promise((r) => setTimeout(r, 300)); // the subscriptions are registered before the first event

    const submit = async (token: string, externalId: string, amount: number) =>
      (
        await gql(
          url,
          'mutation($i: SubmitApplicationInput!) { submitApplication(input: $i) { application { id } } }',
          { i: application(externalId, amount) },
          token,
        )
      ).body.data.submitApplication.application.id as string;
    const runId = Date.now().toString(36);
    // Above each tenant's automatic-decision limit (demo 20,000, acme 50,000): both go to human review.
    const demoApp = await submit(await partnerToken(base), `iso-demo-${runId}`, 25_000);
    const acmeApp = await submit(await partnerToken(base, 'acme-partner'), `iso-acme-${runId}`, 60_000);

    await until(async () => demoReadonly.applicationIds().includes(demoApp));
    await until(async () => acmeAnalyst.applicationIds().includes(acmeApp));
    // Another burst on the demo side, so a leak to acme would have had time to arrive.
    const demoApp2 = await submit(await partnerToken(base), `iso-demo2-${runId}`, 26_000);
    await until(async () => demoReadonly.applicationIds().includes(demoApp2));
    await new Promise((r) => setTimeout(r, 300));

    expect(demoReadonly.applicationIds()).not.toContain(acmeApp);
    expect(acmeAnalyst.applicationIds()).not.toContain(demoApp);
    expect(acmeAnalyst.applicationIds()).not.toContain(demoApp2);
    // Each payload names the event it came from, for the resync protocol.
    for (const p of [...demoReadonly.payloads, ...acmeAnalyst.payloads]) {
      expect(p.extensions).toMatchObject({ eventId: expect.any(String), occurredAt: expect.any(String) });
    }
    expect(demoPartner.payloads).toHaveLength(0);
  });
});
