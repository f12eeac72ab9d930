import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runFanoutBench } from './fanout-bench.js';
import { runFederatedBench, seedReviewCases } from './federated-bench.js';
import { formatResults } from './load-runner.js';
import { processTreeCpu } from './process-cpu.js';
import { runScoringBench } from './scoring-bench.js';
import { runSecurityBench } from './security-bench.js';
import { tandemPorts } from './server-ports.js';
import { runWorkflowBench } from './workflow-bench.js';

// npm run bench: starts Tandem (embedded, in-process bus) as its own process
// on a loopback port with a throwaway database, drives it with bounded,
// closed-loop load from this process, prints throughput and latency, stops.
const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const seconds = Number(process.env.BENCH_SECONDS ?? 15);
// `npm run bench -- scoring security` runs only those phases; no argument runs them all.
const PHASES = ['workflow', 'federated', 'fanout', 'scoring', 'security'] as const;
const asked = process.argv.slice(2).filter((a) => (PHASES as readonly string[]).includes(a));
const runs = (phase: (typeof PHASES)[number]) => asked.length === 0 || asked.includes(phase);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);

// BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it stops (open it in Chrome DevTools, or sum self time per function).
const profileArgs = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_CPU_PROF)}`] : [];
const { port, env: ports } = await tandemPorts();
const base = `http://127.0.0.1:${port}`;
const dataDir = await mkdtemp(join(tmpdir(), 'tandem-bench-'));
await chmod(dataDir, 0o755);
// Own secrets: the workflow phase issues its bench analysts' tokens with them.
const jwtSecret = randomBytes(32).toString('hex');
const internalSecret = randomBytes(32).toString('hex');
// Scoring and security run in this process: Tandem is started only for the phases that drive it.
const needsServer = runs('workflow') || runs('federated') || runs('fanout');
const server = needsServer
  ? spawn(process.execPath, [...profileArgs, join(ROOT, 'packages/supervisor/dist/embedded-main.js')], {
      env: {
        ...process.env,
        ...ports,
        TANDEM_DATA_DIR: dataDir,
        TANDEM_DEMO_TRICKLE: 'off',
        LOG_LEVEL: 'warn',
        JWT_SECRET: jwtSecret,
        INTERNAL_SECRET: internalSecret,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    })
  : undefined;
const stop = async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGINT');
    await new Promise((r) => server.once('exit', r));
  }
  await rm(dataDir, { recursive: true, force: true });
};
process.once('SIGINT', () => void stop().then(() => process.exit(130)));

try {
  for (let i = 0; needsServer && i < 240; i++) {
    if (
      await fetch(`${base}/health`)
        .then((r) => r.ok)
        .catch(() => false)
    )
      break;
    await new Promise((r) => setTimeout(r, 500));
  }
  if (runs('workflow')) {
    const workflow = await runWorkflowBench({
      baseUrl: base,
      queueUrl: `http://127.0.0.1:${ports.QUEUE_PORT}/graphql`,
      jwtSecret,
      internalSecret,
      seconds,
      concurrency,
      openCases: Number(process.env.BENCH_OPEN_CASES ?? 10_000),
      decisionAnalysts: Number(process.env.BENCH_DECISION_ANALYSTS ?? 100),
      decisionRate: Number(process.env.BENCH_DECISION_RATE ?? 300),
      log: (line) => console.log(`  ${line}`),
      // The profile's clock is the system's monotonic clock: print where each window lies on it, in µs.
      mark: profileArgs.length ? (label) => console.log(`  mark ${label} ${process.hrtime.bigint() / 1000n}`) : undefined,
      serverCpu: server?.pid ? () => processTreeCpu(server.pid!) : undefined,
    });
    console.log(`\nTandem bench — loopback, ${concurrency} concurrent clients, ${seconds}s per phase, embedded mode`);
    console.log(`Queue listing over ${workflow.openCasesListed} open cases (the workbench's query, a page of 25)\n`);
    console.log(formatResults(workflow.results));
    const codes = Object.entries(workflow.decisionErrorCodes);
    if (codes.length) console.log(`submitDecision errors by code: ${codes.map(([c, n]) => `${c} ${n}`).join(', ')}`);
    // The two cores are shared by Tandem, its PostgreSQL and this process: how busy the server was explains the latency.
    for (const c of workflow.decisionCpu) {
      console.log(
        `${c.row}: server CPU per decision ${(c.tandemMs / c.decisions).toFixed(2)} ms Tandem + ${(c.postgresMs / c.decisions).toFixed(2)} ms PostgreSQL; Tandem's process busy ${((c.tandemMs / (c.seconds * 1000)) * 100).toFixed(0)}% of one core, PostgreSQL ${((c.postgresMs / (c.seconds * 1000)) * 100).toFixed(0)}%; PostgreSQL backends started meanwhile ${c.backendsStarted}; this bench's callers ${(c.benchMs / c.decisions).toFixed(2)} ms per decision${c.machine ? `; the machine's cores ${((1 - c.machine.idleMs / c.machine.totalMs) * 100).toFixed(0)}% busy, ${((c.machine.stealMs / c.machine.totalMs) * 100).toFixed(0)}% stolen` : ''}`,
      );
    }
  }

  if (runs('federated')) {
    const graphqlUrl = `${base}/graphql`;
    const tokenRes = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=demo-partner&client_secret=tandem-demo-secret',
    });
    const partner = ((await tokenRes.json()) as { access_token: string }).access_token;
    const signIn = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { login(email: "analyst@demo.test", password: "tandem-demo") { accessToken } }' }),
    });
    const analyst = ((await signIn.json()) as { data: { login: { accessToken: string } } }).data.login.accessToken;
    // The workflow phase leaves thousands of cases; alone, this phase seeds a few pages' worth.
    if (!runs('workflow')) await seedReviewCases(graphqlUrl, partner, analyst, 60);
    const federated = await runFederatedBench({
      env: { ...process.env, ...ports, JWT_SECRET: jwtSecret, INTERNAL_SECRET: internalSecret },
      distDir: join(ROOT, 'bench/dist'),
      token: analyst,
      secondsPerRun: Math.min(seconds, 10),
      concurrency,
    });
    console.log(
      '\nFederated query over four subgraphs (queue → applications → scoring, decisions), each gateway its own process, same subgraphs, alternating rounds',
    );
    console.log('(the peer verifies the token and signs the internal context as ours does; it has none of our armor, rate limits or trusted documents)\n');
    console.log(formatResults(federated.runs));
    const ratio = federated.tandem.throughput / federated.hive.throughput;
    console.log(
      `best: @tandem/gateway ${federated.tandem.throughput.toFixed(1)}/s p95 ${federated.tandem.p95.toFixed(1)} ms, hive ${federated.hive.throughput.toFixed(1)}/s p95 ${federated.hive.p95.toFixed(1)} ms — ours ${(ratio * 100).toFixed(0)}% of the peer's throughput (target >= 100%, p95 no worse)`,
    );
  }

  if (runs('fanout')) {
    // BENCH_FANOUT_EVENTS=1: the fan-out's own log too (every event's first and last delivery, the slowest events).
    const fanoutLog = process.env.BENCH_FANOUT_EVENTS ? (line: string) => console.log(`  ${line}`) : () => {};
    const fanout = await runFanoutBench({ baseUrl: base, clients: Number(process.env.BENCH_WS_CLIENTS ?? 5000), log: fanoutLog });
    console.log(
      `\nSubscription fan-out: ${fanout.connected}/${fanout.clients} graphql-ws clients, ${fanout.events} events, ${fanout.deliveries}/${fanout.expectedDeliveries} deliveries; event-to-client p50 ${fanout.p50.toFixed(1)} ms, p95 ${fanout.p95.toFixed(1)} ms, p99 ${fanout.p99.toFixed(1)} ms (target p99 < 100 ms); server-side fan-out mean ${fanout.serverFanoutMsMean?.toFixed(1) ?? 'n/a'} ms per event and group, the helper thread wrote ${fanout.helperShare === null ? 'none' : `${(fanout.helperShare * 100).toFixed(0)}%`} of the frames`,
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
