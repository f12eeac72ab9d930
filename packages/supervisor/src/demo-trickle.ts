import { readFile } from 'node:fs/promises';
import { createLogger } from '@tandem/platform';

const log = createLogger('demo-trickle');

export interface DemoApplication {
  externalId: string;
  [k: string]: unknown;
}

/** The demo applications: real rows of the shared credit data, converted by the training pipeline. */
export async function readDemoApplications(path: string): Promise<DemoApplication[]> {
  return JSON.parse(await readFile(path, 'utf8')) as DemoApplication[];
}

export async function clientToken(baseUrl: string, clientId: string, clientSecret: string): Promise<string> {
  const res = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
  });
  if (!res.ok) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

const SUBMIT = `mutation Submit($input: SubmitApplicationInput!) { submitApplication(input: $input) { application { id status } created } }`;

/**
 * Keeps the demo alive: submits applications as the demo partner would, a
 * first batch at once and then one every `everyMs`. It goes through the
 * public gateway like any partner, so the demo exercises the real path.
 */
export function startDemoTrickle(opts: { baseUrl: string; applications: DemoApplication[]; initialBatch: number; everyMs: number; runId: string }) {
  let token: { value: string; at: number } | undefined;
  let index = 0;
  let stopped = false;
  const submitNext = async () => {
    if (!token || Date.now() - token.at > 10 * 60_000) token = { value: await clientToken(opts.baseUrl, 'demo-partner', 'tandem-demo-secret'), at: Date.now() };
    const row = opts.applications[index % opts.applications.length];
    const input = { ...row, externalId: `${row.externalId}-${opts.runId}-${index}` };
    index++;
    const res = await fetch(`${opts.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token.value}` },
      body: JSON.stringify({ query: SUBMIT, variables: { input } }),
    });
    const body = (await res.json()) as { errors?: unknown[] };
    if (body.errors) log.warn({ errors: body.errors }, 'demo submission refused');
  };
  const run = async () => {
    for (let i = 0; i < opts.initialBatch && !stopped; i++) await submitNext().catch((err) => log.warn({ err }, 'demo submission failed'));
  };
  const first = run();
  const timer = setInterval(() => {
    if (!stopped) submitNext().catch((err) => log.warn({ err }, 'demo submission failed'));
  }, opts.everyMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await first;
    },
  };
}
