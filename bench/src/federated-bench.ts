import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '@tandem/platform';
import { formatResults, type LoadResult, runLoad } from './load-runner.js';

/**
 * Tandem's gateway against @graphql-hive/gateway-runtime, side by side on the
 * same subgraphs of a running Tandem, with a query that touches four of them
 * (queue → applications → scoring, decisions). Each gateway runs in its own
 * process, with the same token and the same query; rounds alternate so
 * neither gets a quieter machine. Target: our throughput ≥ the peer's, p95
 * no worse.
 */
export const FEDERATED_QUERY = `query FederatedQueue {
  reviewQueue(first: 10, orderBy: PRIORITY_DESC) {
    edges { node { id priority status slaDeadline
      application { id status loan { amount termMonths purpose }
        scoring { score riskBand probabilityOfDefault route }
        decisions { id outcome } } } }
  }
}`;

export interface FederatedBenchOptions {
  /** Environment naming the running Tandem's subgraph ports (IDENTITY_PORT…) and secrets. */
  env: NodeJS.ProcessEnv;
  distDir: string;
  token: string;
  secondsPerRun?: number;
  rounds?: number;
  concurrency?: number;
  log?: (line: string) => void;
}

export interface FederatedBenchResult {
  runs: LoadResult[];
  tandem: LoadResult;
  hive: LoadResult;
}

async function startPeer(script: string, env: NodeJS.ProcessEnv): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [script], { env: { ...env, PORT: String(port), LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 60 s`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/graphql`, process: child };
}

const stopPeer = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

/** A response both gateways must give for a call to count: data, no errors, every application resolved with its score. */
export function isCompleteAnswer(json: { data?: any; errors?: unknown[] }): boolean {
  const edges = json.data?.reviewQueue?.edges;
  return (
    !json.errors &&
    Array.isArray(edges) &&
    edges.length > 0 &&
    edges.every((e: any) => e.node.application?.scoring && Array.isArray(e.node.application.decisions))
  );
}

/**
 * Puts at least `cases` scored applications in the review queue through the
 * real path (the demo tenant sends loans above 20,000 to review) and waits
 * until the graph shows them, so the measured query has a full page to join.
 */
export async function seedReviewCases(graphqlUrl: string, partnerToken: string, analystToken: string, cases: number): Promise<void> {
  const post = async (query: string, variables: Record<string, unknown>, token: string) => {
    const res = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: any; errors?: unknown[] };
  };
  const runId = Date.now().toString(36);
  for (let i = 0; i < cases; i++) {
    const r = await post(
      'mutation($i: SubmitApplicationInput!) { submitApplication(input: $i) { application { id } } }',
      {
        i: {
          externalId: `federated-${runId}-${i}`,
          applicant: {
            firstName: 'Federated',
            lastName: `Applicant${i}`,
            dateOfBirth: '1984-03-01',
            housing: 'OWNER',
            employment: { type: 'FIXED', yearsEmployed: 3 + (i % 10) },
          },
          financials: { monthlyIncome: 2500 + (i % 7) * 400, monthlyExpenses: 1100, assets: 3000, debt: 800 + (i % 5) * 700, pastArrears: i % 9 === 0 },
          loan: { amount: 22_000 + (i % 10) * 1_000, termMonths: 48, purpose: 'CAR', goodsPrice: 26_000 },
        },
      },
      partnerToken,
    );
    if (!r.data?.submitApplication) throw new Error(`seeding failed: ${JSON.stringify(r.errors)}`);
  }
  for (let attempt = 0; attempt < 120; attempt++) {
    const r = await post(FEDERATED_QUERY, {}, analystToken);
    if (isCompleteAnswer(r) && r.data.reviewQueue.edges.length >= Math.min(cases, 10)) return;
    await new Promise((res) => setTimeout(res, 500));
  }
  throw new Error('seeded applications did not reach the review queue within 60 s');
}

export async function runFederatedBench(options: FederatedBenchOptions): Promise<FederatedBenchResult> {
  const seconds = options.secondsPerRun ?? 5;
  const rounds = options.rounds ?? 2;
  const concurrency = options.concurrency ?? 16;
  const log = options.log ?? (() => {});
  const peers = {
    tandem: await startPeer(join(options.distDir, 'peer-gateways/tandem-gateway-main.js'), options.env),
    hive: await startPeer(join(options.distDir, 'peer-gateways/hive-gateway-main.js'), options.env),
  };
  const body = JSON.stringify({ query: FEDERATED_QUERY });
  const call = (url: string) => async () => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` }, body });
    const json = (await res.json()) as { data?: any; errors?: unknown[] };
    if (!res.ok || !isCompleteAnswer(json)) {
      if (process.env.BENCH_DEBUG) console.error(url, JSON.stringify(json).slice(0, 500));
      return false;
    }
    return true;
  };
  const runs: LoadResult[] = [];
  try {
    for (const [name, peer] of Object.entries(peers)) {
      const warm = await runLoad(`${name} warm-up`, { concurrency, durationMs: 2_000, maxRequests: 5_000 }, call(peer.url));
      if (warm.requests === 0) throw new Error(`${name} gateway answered no federated query correctly during warm-up`);
    }
    for (let round = 1; round <= rounds; round++) {
      for (const name of ['hive', 'tandem'] as const) {
        const result = await runLoad(
          `${name === 'tandem' ? '@tandem/gateway' : 'hive gateway-runtime'} (round ${round})`,
          { concurrency, durationMs: seconds * 1000, maxRequests: 1_000_000 },
          call(peers[name].url),
        );
        runs.push(result);
        log(formatResults([result]));
      }
    }
  } finally {
    await Promise.all(Object.values(peers).map((p) => stopPeer(p.process)));
  }
  const best = (prefix: string) => runs.filter((r) => r.name.startsWith(prefix)).reduce((a, b) => (b.throughput > a.throughput ? b : a));
  return { runs, tandem: best('@tandem'), hive: best('hive') };
}
