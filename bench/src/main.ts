import { spawn } from 'node:child_process';
import { mkdtemp, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@tandem/platform';
import { runFanoutBench } from './fanout-bench.js';
import { formatResults, runLoad, type LoadResult } from './load-runner.js';
import { runScoringBench } from './scoring-bench.js';
import { runSecurityBench } from './security-bench.js';

// npm run bench: starts Tandem (embedded, in-process bus) as its own process
// on a loopback port with a throwaway database, drives it with bounded,
// closed-loop load from this process, prints throughput and latency, stops.
const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const seconds = Number(process.env.BENCH_SECONDS ?? 15);
// `npm run bench -- scoring security` runs only those phases; no argument runs them all.
const PHASES = ['workflow', 'fanout', 'scoring', 'security'] as const;
const asked = process.argv.slice(2).filter((a) => (PHASES as readonly string[]).includes(a));
const runs = (phase: (typeof PHASES)[number]) => asked.length === 0 || asked.includes(phase);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);

const port = await freePort();
// Every port free at start, so two benches (or a bench beside `npm start`) never collide.
const ports: Record<string, string> = { PORT: String(port), EMBEDDED_POSTGRES_PORT: String(await freePort()) };
for (const name of ['IDENTITY', 'APPLICATIONS', 'SCORING', 'QUEUE', 'DECISIONS', 'ANALYTICS']) ports[`${name}_PORT`] = String(await freePort());
const base = `http://127.0.0.1:${port}`;
const url = `${base}/graphql`;
const dataDir = await mkdtemp(join(tmpdir(), 'tandem-bench-'));
await chmod(dataDir, 0o755);
const server = spawn(process.execPath, [join(ROOT, 'packages/supervisor/dist/embedded-main.js')], {
  env: { ...process.env, ...ports, TANDEM_DATA_DIR: dataDir, TANDEM_DEMO_TRICKLE: 'off', LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const stop = async () => {
  server.kill('SIGINT');
  await new Promise((r) => server.once('exit', r));
  await rm(dataDir, { recursive: true, force: true });
};
process.once('SIGINT', () => void stop().then(() => process.exit(130)));

async function post(query: string, variables: Record<string, unknown>, token?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
}

try {
  for (let i = 0; i < 240; i++) {
    if (
      await fetch(`${base}/health`)
        .then((r) => r.ok)
        .catch(() => false)
    )
      break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const tokenRes = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=demo-partner&client_secret=tandem-demo-secret',
  });
  const partner = ((await tokenRes.json()) as { access_token: string }).access_token;
  const login = async (email: string, password = 'tandem-demo') =>
    (await post('mutation($e:String!,$p:String!){login(email:$e,password:$p){accessToken}}', { e: email, p: password })).data.login.accessToken as string;
  const admin = await login('admin@demo.test');

  const runId = Date.now().toString(36);
  if (runs('workflow')) {
    const application = (i: number, amount: number) => ({
      externalId: `bench-${runId}-${i}`,
      applicant: { firstName: 'Bench', lastName: `Applicant${i}`, dateOfBirth: '1985-06-01', housing: 'RENT', employment: { type: 'FIXED', yearsEmployed: 5 } },
      financials: { monthlyIncome: 3000, monthlyExpenses: 1200, assets: 4000, debt: 1500, pastArrears: false },
      loan: { amount, termMonths: 36, purpose: 'CAR', goodsPrice: amount + 2000 },
    });
    const SUBMIT = 'mutation($i: SubmitApplicationInput!) { submitApplication(input: $i) { application { id } } }';
    const results: LoadResult[] = [];

    // 1. Partners submitting: above 20,000 goes to review, so the next phases have a queue.
    results.push(
      await runLoad(
        'submitApplication',
        { concurrency, durationMs: seconds * 1000, maxRequests: 20_000, target: 'target >= 100/s sustained' },
        async (_w, i) => {
          const r = await post(SUBMIT, { i: application(i, i % 2 ? 25_000 : 5_000) }, partner);
          return !!r.data?.submitApplication;
        },
      ),
    );

    // 2. Analysts listing the queue.
    const analyst = await login('analyst@demo.test');
    results.push(
      await runLoad('reviewQueue (first: 50)', { concurrency, durationMs: seconds * 1000, maxRequests: 50_000, target: 'target >= 200/s' }, async () => {
        const r = await post(
          '{ reviewQueue(first: 50, orderBy: PRIORITY_DESC) { totalCount edges { node { id priority slaDeadline status application { id loan { amount } scoring { score riskBand } } } } } }',
          {},
          analyst,
        );
        return !!r.data?.reviewQueue;
      }),
    );

    // 3. Analysts deciding: each worker is its own analyst (the 5-case cap is per analyst).
    const workers = Math.min(concurrency, 12);
    const tokens: string[] = [];
    for (let w = 0; w < workers; w++) {
      const email = `bench-${runId}-${w}@demo.test`;
      await post(
        'mutation($in: CreateUserInput!) { createUser(input: $in) { id } }',
        { in: { email, name: `Bench Analyst ${w}`, role: 'analyst', password: 'bench-password-123' } },
        admin,
      );
      tokens.push(await login(email, 'bench-password-123'));
    }
    const timings: number[] = [];
    let decisionErrors = 0;
    const deadline = performance.now() + seconds * 1000;
    const t0 = performance.now();
    await Promise.all(
      tokens.map(async (token) => {
        while (performance.now() < deadline) {
          const picked = await post('mutation { pickNextCase { id application { id scoring { modelRecommendation } } } }', {}, token);
          const entry = picked.data?.pickNextCase;
          if (!entry) break;
          await post('mutation($id: ID!) { startReview(entryId: $id) { id } }', { id: entry.id }, token);
          const outcome = entry.application.scoring?.modelRecommendation === 'DECLINE' ? 'DECLINED' : 'APPROVED';
          for (let attempt = 0; attempt < 50; attempt++) {
            const s = performance.now();
            const r = await post(
              'mutation($in: SubmitDecisionInput!) { submitDecision(input: $in) { decision { id } } }',
              {
                in: {
                  applicationId: entry.application.id,
                  outcome,
                  reasoning: 'Benchmark decision with adequate reasoning text.' /* approved terms default to those requested */,
                },
              },
              token,
            );
            if (r.data?.submitDecision) {
              timings.push(performance.now() - s);
              break;
            }
            if (r.errors?.[0]?.extensions?.code !== 'CONFLICT') {
            if (process.env.BENCH_DEBUG) console.error(JSON.stringify(r.errors));
              decisionErrors++;
              break;
            }
            await new Promise((res) => setTimeout(res, 20)); // the decisions projection has not seen the start yet
          }
        }
      }),
    );
    const elapsed = (performance.now() - t0) / 1000;
    timings.sort((a, b) => a - b);
    const pct = (p: number) => timings[Math.min(timings.length - 1, Math.ceil((p / 100) * timings.length) - 1)] ?? Number.NaN;
    results.push({
      name: 'submitDecision (pick+start+decide)',
      requests: timings.length,
      errors: decisionErrors,
      seconds: elapsed,
      throughput: timings.length / elapsed,
      p50: pct(50),
      p95: pct(95),
      p99: pct(99),
      target: 'target >= 30/s (latency: submitDecision alone)',
    });

    console.log(`\nTandem bench — loopback, ${concurrency} concurrent clients, ${seconds}s per phase, embedded mode\n`);
    console.log(formatResults(results));
  }

  if (runs('fanout')) {
    const fanout = await runFanoutBench({ baseUrl: base, clients: Number(process.env.BENCH_WS_CLIENTS ?? 5000), log: () => {} });
    console.log(
      `\nSubscription fan-out: ${fanout.connected}/${fanout.clients} graphql-ws clients, ${fanout.events} events, ${fanout.deliveries}/${fanout.expectedDeliveries} deliveries; event-to-client p50 ${fanout.p50.toFixed(1)} ms, p95 ${fanout.p95.toFixed(1)} ms, p99 ${fanout.p99.toFixed(1)} ms (target p99 < 100 ms)`,
    );
  }
} finally {
  await stop();
}

if (runs('scoring')) {
  console.log('\nScoring kernel, in process (credit-default default model: ONNX + TreeSHAP)\n');
  console.log(formatResults(await runScoringBench({ seconds: Math.min(seconds, 10) })));
}
if (runs('security')) {
  const security = await runSecurityBench();
  console.log(
    `\nSecurity layers: ${security.withoutLayers.toFixed(0)}/s without, ${security.withLayers.toFixed(0)}/s with — cost ${(security.overhead * 100).toFixed(1)}% (${security.target})`,
  );
}
