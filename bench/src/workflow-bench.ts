import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { INTERNAL_CONTEXT_HEADER, issueAccessToken, type Permission, ROLE_PERMISSIONS, signInternalContext } from '@tandem/platform';
import { leanHttpPoster } from './lean-http-client.js';
import { type LoadResult, percentile, runLoad } from './load-runner.js';
import { descendantsWaitedMs, type MachineCpu, machineCpu, machineCpuSpent, ownRunQueueWaitMs, type ProcessTreeCpu } from './process-cpu.js';
import { describeServerLoop, describeServerPercentiles, operationBuckets, serverLoop, serverPercentiles } from './server-latency.js';

/**
 * The analysts' workflow under load, through the gateway of a running
 * Tandem: partners fill the queue with open cases (the real path:
 * submitApplication → scoring → queue), analysts list it with the
 * workbench's own query, and analysts decide cases they have started.
 * Everything each measured request needs is prepared before its window
 * opens, so a row measures that one operation and nothing else.
 */
export interface WorkflowBenchOptions {
  baseUrl: string;
  /** The queue subgraph's own endpoint, for the listing without the gateway (optional row). */
  queueUrl?: string;
  /** The server's secrets (the bench started it): bench analysts get access tokens without a login each (logins are rate-limited per address). */
  jwtSecret: string;
  internalSecret: string;
  seconds: number;
  concurrency: number;
  /** Open cases the queue must hold before the listing is measured. */
  openCases: number;
  /** Analysts preparing cases for the decision rows (5 active cases each, the cap). */
  decisionAnalysts: number;
  /** The offered rate of the open-loop decision row (decisions/s). */
  decisionRate?: number;
  log: (line: string) => void;
  /** Called as each measured window opens and closes (e.g. to slice a CPU profile of the server by phase). */
  mark?: (label: string) => void;
  /** The server's CPU so far (Tandem's process, and PostgreSQL's under it), read around each decision window. */
  serverCpu?: () => Promise<ProcessTreeCpu | null>;
}

/** What the server spent during a decision row's windows: how busy it was while the latencies were taken. */
export interface DecisionCpu {
  row: string;
  decisions: number;
  seconds: number;
  tandemMs: number;
  postgresMs: number;
  /** PostgreSQL processes that appeared during the windows: connections the pools opened while decisions waited (at least: one that came and went inside a window is missed). */
  backendsStarted: number;
  /** This process's CPU (the callers): on the same cores as the server, so part of what the server competes with. */
  benchMs: number;
  /** The whole machine over the windows, every core: null where /proc/stat is not readable. */
  machine: MachineCpu | null;
}

export interface WorkflowBenchResult {
  results: LoadResult[];
  openCasesListed: number;
  decisionErrorCodes: Record<string, number>;
  decisionCpu: DecisionCpu[];
}

type GraphQLResponse = { data?: any; errors?: { message?: string; extensions?: { code?: string; retryAfterSeconds?: number } }[] };

/** The workbench's queue listing (web/src/graphql/operations.ts, REVIEW_QUEUE with QueueEntryFields), sent as the workbench sends it. */
export const WORKBENCH_REVIEW_QUEUE = `
  query ReviewQueue($filter: QueueFilter, $first: Int, $after: String, $orderBy: QueueOrder) {
    reviewQueue(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
      totalCount
      edges { cursor node { ...QueueEntryFields } }
      pageInfo { hasNextPage endCursor }
    }
  }
  fragment QueueEntryFields on QueueEntry {
    id status priority slaDeadline createdAt
    assignee { id name email }
    application {
      id externalId status
      applicant { firstName lastName }
      loan { amount termMonths currency purpose }
      scoring { probabilityOfDefault score riskBand route modelRecommendation }
    }
  }`;

/** The part of that listing the queue subgraph answers itself (what the gateway asks it for). */
const QUEUE_ONLY_REVIEW_QUEUE = `
  query ($filter: QueueFilter, $first: Int, $orderBy: QueueOrder) {
    reviewQueue(filter: $filter, first: $first, orderBy: $orderBy) {
      totalCount
      edges { cursor node { id status priority slaDeadline createdAt assignee { id } application { id } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

const OPEN_FILTER = { status: ['PENDING', 'ASSIGNED', 'IN_PROGRESS'] };
const LISTING_VARIABLES = { filter: OPEN_FILTER, first: 25, orderBy: 'PRIORITY_DESC' };
const SUBMIT = 'mutation($i: SubmitApplicationInput!) { submitApplication(input: $i) { application { id } } }';
const PICK = 'mutation { pickNextCase { id application { id scoring { modelRecommendation } } } }';
const START = 'mutation($id: ID!) { startReview(entryId: $id) { id status } }';
// Named, so the server's own latency histogram for it can be told apart (see server-latency.ts).
const DECIDE = 'mutation BenchDecide($in: SubmitDecisionInput!) { submitDecision(input: $in) { decision { id } } }';
const ACTIVE_CASE_CAP = 5;
/** Rounds of each decision row (closed loop, then open loop), each deciding every case its analysts started. */
const DECISION_ROUNDS = 3;
/** The open-loop row's cap on calls outstanding: far above what a server keeping up has (rate × latency), so only an overloaded one meets it. */
const PACED_MAX_IN_FLIGHT = 256;

/** A started case and the analyst who may decide it. */
interface StartedCase {
  token: string;
  applicationId: string;
  outcome: 'APPROVED' | 'DECLINED';
}

/**
 * Works through `items` with `concurrency` closed-loop workers, each item
 * once, and times every call. A call answering false (or throwing) is an
 * error, never retried: the figures are what the callers got.
 */
export async function drainWork<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<boolean>,
): Promise<{ latencies: number[]; errors: number; seconds: number }> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      const t0 = performance.now();
      let ok = false;
      try {
        ok = await task(item);
      } catch {
        ok = false;
      }
      if (ok) latencies.push(performance.now() - t0);
      else errors++;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return { latencies, errors, seconds: (performance.now() - started) / 1000 };
}

/**
 * This process's own stalls over a window: its callers' latency counts from each call's slot, so a pause here
 * (a collection of the bench's heap, say) reads as the server's slowness. The longest event-loop delay and the
 * collector's pauses in total.
 */
function watchCallersLoop(): { stop(): { maxDelayMs: number; gcMs: number; runQueueWaitMs: number | null } } {
  const waitedBefore = ownRunQueueWaitMs();
  const delay = monitorEventLoopDelay({ resolution: 5 });
  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  gc.observe({ entryTypes: ['gc'] });
  delay.enable();
  return {
    stop() {
      delay.disable();
      gc.disconnect();
      const waitedAfter = ownRunQueueWaitMs();
      const runQueueWaitMs = waitedBefore !== null && waitedAfter !== null ? waitedAfter - waitedBefore : null;
      return { maxDelayMs: delay.max / 1e6, gcMs, runQueueWaitMs };
    },
  };
}

/**
 * ", waiting for a core: the server's event loop 210 ms, PostgreSQL 480 ms, the callers 90 ms" over a window:
 * time each was runnable and had no core. On two shared cores this is the queue a decision stands in.
 */
function coreWaits(before: ProcessTreeCpu | null | undefined, after: ProcessTreeCpu | null | undefined, callersMs: number | null): string {
  const first = before?.runQueueWaitMs;
  const last = after?.runQueueWaitMs;
  if (!first || !last) return '';
  const ms = (v: number) => `${Math.max(0, v).toFixed(0)} ms`;
  return `, waiting for a core: the server's event loop ${ms(last.rootMain - first.rootMain)}, PostgreSQL ${ms(
    descendantsWaitedMs(first.descendants, last.descendants),
  )}${callersMs === null ? '' : `, the callers ${ms(callersMs)}`}`;
}

/** ", the machine N% idle (M% stolen)" over a window, or nothing where /proc/stat is unreadable. */
function idleShare(spent: MachineCpu | null): string {
  if (!spent || spent.totalMs <= 0) return '';
  const pct = (ms: number) => `${((ms / spent.totalMs) * 100).toFixed(0)}%`;
  return `, the machine ${pct(spent.idleMs)} idle (${pct(spent.stealMs)} stolen)`;
}

/**
 * Sends `items` at a fixed rate, open loop: each call starts on its schedule
 * whether or not the earlier ones have answered, as independent callers
 * arrive (a closed loop of N callers only measures N / latency). At most
 * `maxInFlight` are outstanding, so an overloaded server is not buried; a
 * call held back for a free slot starts late, and its latency counts from
 * its scheduled start, so the wait is the server's (no coordinated
 * omission). Throughput is the rate of answers, from the first to the
 * last: a server that keeps up answers at `rate`; one that falls behind
 * answers the same calls over a longer time, whether or not it reached the
 * cap.
 */
export async function paceWork<T>(
  items: readonly T[],
  ratePerSecond: number,
  maxInFlight: number,
  task: (item: T) => Promise<boolean>,
): Promise<{ latencies: number[]; errors: number; seconds: number; maxInFlight: number }> {
  const latencies: number[] = [];
  let errors = 0;
  let inFlight = 0;
  let highest = 0;
  const freed: (() => void)[] = [];
  const calls: Promise<void>[] = [];
  const interval = 1000 / ratePerSecond;
  const started = performance.now();
  let lastStart = started;
  let firstAnswer = Number.POSITIVE_INFINITY;
  let lastAnswer = started;
  for (let i = 0; i < items.length; i++) {
    const due = started + i * interval;
    const early = due - performance.now();
    if (early >= 1) await sleep(early);
    while (inFlight >= maxInFlight) await new Promise<void>((r) => freed.push(r));
    inFlight++;
    highest = Math.max(highest, inFlight);
    lastStart = performance.now();
    // From its slot when it started late (the wait is the server's); from its start when the timer let it go a little early.
    const origin = Math.min(due, lastStart);
    calls.push(
      (async () => {
        let ok = false;
        try {
          ok = await task(items[i]);
        } catch {
          ok = false;
        }
        const answered = performance.now();
        firstAnswer = Math.min(firstAnswer, answered);
        lastAnswer = Math.max(lastAnswer, answered);
        if (ok) latencies.push(answered - origin);
        else errors++;
        inFlight--;
        freed.shift()?.();
      })(),
    );
  }
  await Promise.all(calls);
  // n answers span n - 1 gaps between the first and the last.
  const n = items.length;
  const seconds = n > 1 ? ((lastAnswer - firstAnswer) * n) / (n - 1) / 1000 : (lastStart - started + interval) / 1000;
  return { latencies, errors, seconds, maxInFlight: highest };
}

/** One row from several measured windows: throughput over the time measured, percentiles over every successful call. */
export function summarise(name: string, windows: { latencies: number[]; errors: number; seconds: number }[], target?: string): LoadResult {
  const latencies = windows.flatMap((w) => w.latencies).sort((a, b) => a - b);
  const seconds = windows.reduce((s, w) => s + w.seconds, 0);
  return {
    name,
    requests: latencies.length,
    errors: windows.reduce((s, w) => s + w.errors, 0),
    seconds,
    throughput: seconds > 0 ? latencies.length / seconds : 0,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    target,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runWorkflowBench(opts: WorkflowBenchOptions): Promise<WorkflowBenchResult> {
  const url = `${opts.baseUrl}/graphql`;
  const post = async (query: string, variables: Record<string, unknown>, token?: string, target = url, headers: Record<string, string> = {}) => {
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GraphQLResponse;
  };
  /** Setup calls: waits out a rate limit, fails loudly on anything else. */
  const setup = async (query: string, variables: Record<string, unknown>, token?: string): Promise<any> => {
    for (;;) {
      const r = await post(query, variables, token);
      const error = r.errors?.[0];
      if (!error) return r.data;
      if (error.extensions?.code !== 'RATE_LIMITED') throw new Error(`bench setup failed: ${JSON.stringify(r.errors)}`);
      await sleep(1000 * (error.extensions.retryAfterSeconds ?? 1));
    }
  };
  const runId = Date.now().toString(36);
  const adminLogin = await setup('mutation { login(email: "admin@demo.test", password: "tandem-demo") { user { id tenant { id } } } }', {});
  const tenantId = adminLogin.login.user.tenant.id as string;
  // Seeding 10,000 cases on a busy machine can outlast a 15-minute access token: the bench's tokens last the run.
  const TOKEN_TTL_SECONDS = 6 * 3600;
  const admin = await issueAccessToken(
    { sub: adminLogin.login.user.id, tenantId, kind: 'user', role: 'admin', permissions: ROLE_PERMISSIONS.admin as Permission[] },
    opts.jwtSecret,
    TOKEN_TTL_SECONDS,
  );

  // Bench analysts are real users of the demo tenant; their tokens are issued here, as identity would.
  const analystPermissions = ROLE_PERMISSIONS.analyst as Permission[];
  const newAnalysts = async (count: number, label: string) => {
    const made: { id: string; token: string }[] = [];
    for (let i = 0; i < count; i++) {
      const data = await setup(
        'mutation($in: CreateUserInput!) { createUser(input: $in) { id } }',
        { in: { email: `bench-${runId}-${label}-${i}@demo.test`, name: `Bench ${label} ${i}`, role: 'analyst', password: 'bench-password-123' } },
        admin,
      );
      const id = data.createUser.id as string;
      made.push({
        id,
        token: await issueAccessToken({ sub: id, tenantId, kind: 'user', role: 'analyst', permissions: analystPermissions }, opts.jwtSecret, TOKEN_TTL_SECONDS),
      });
    }
    return made;
  };

  /**
   * Waits until the event pipelines have drained: every change ends in the
   * audit trail (analytics appends each subgraph's audit.recorded), so when
   * the trail stops growing the consumers have caught up. Outside any
   * measured window, so a row does not pay for the backlog of the phase
   * before it.
   */
  const settle = async (what: string) => {
    const started = Date.now();
    let last = -1;
    for (let quiet = 0; quiet < 3 && Date.now() - started < 10 * 60_000; await sleep(1000)) {
      const total = (await setup('{ auditTrail(first: 1) { totalCount } }', {}, admin)).auditTrail.totalCount as number;
      quiet = total === last ? quiet + 1 : 0;
      last = total;
    }
    opts.log(`settled after ${what} in ${((Date.now() - started) / 1000).toFixed(0)} s (${last} audit entries)`);
  };

  // 1. Partners fill the queue: amounts above 20,000 go to human review in the demo tenant.
  const casesForDecisions = opts.decisionAnalysts * ACTIVE_CASE_CAP * DECISION_ROUNDS * 2;
  const toSubmit = opts.openCases + casesForDecisions;
  const partners: string[] = [];
  for (let p = 0; p < 6; p++) {
    const created = await setup(`mutation { createApiClient(name: "Bench partner ${runId} ${p}") { clientId } }`, {}, admin);
    const clientId = created.createApiClient.clientId as string;
    partners.push(
      await issueAccessToken(
        { sub: clientId, tenantId, kind: 'client', role: 'api_consumer', permissions: ROLE_PERMISSIONS.api_consumer as Permission[] },
        opts.jwtSecret,
        TOKEN_TTL_SECONDS,
      ),
    );
  }
  opts.log(`seeding ${toSubmit} applications for review through submitApplication…`);
  const application = (i: number) => ({
    externalId: `bench-${runId}-${i}`,
    applicant: { firstName: 'Bench', lastName: `Applicant${i}`, dateOfBirth: '1985-06-01', housing: 'RENT', employment: { type: 'FIXED', yearsEmployed: 5 } },
    financials: { monthlyIncome: 3000 + (i % 7) * 400, monthlyExpenses: 1200, assets: 4000, debt: 1500 + (i % 5) * 700, pastArrears: false },
    loan: { amount: 21_000 + (i % 40) * 250, termMonths: 36, purpose: 'CAR', goodsPrice: 25_000 + (i % 40) * 250 },
  });
  const seeding = await runLoad(
    'submitApplication (seeding)',
    { concurrency: opts.concurrency * 2, durationMs: 30 * 60_000, maxRequests: toSubmit, target: 'target >= 100/s sustained' },
    async (_w, i) => {
      for (;;) {
        const r = await post(SUBMIT, { i: application(i) }, partners[i % partners.length]);
        if (r.data?.submitApplication) return true;
        if (r.errors?.[0]?.extensions?.code !== 'RATE_LIMITED') return false;
        await sleep(250);
      }
    },
  );
  const results: LoadResult[] = [seeding];

  // The queue learns of each case from scoring's events: wait until it holds them all (or stops growing).
  let open = 0;
  for (let last = -1, still = 0; open < opts.openCases + casesForDecisions && still < 30; await sleep(1000)) {
    open = (await setup('{ queueSummary { total } }', {}, admin)).queueSummary.total as number;
    still = open === last ? still + 1 : 0;
    last = open;
  }
  opts.log(`queue holds ${open} open cases`);
  if (open < opts.openCases) throw new Error(`the queue holds ${open} open cases, fewer than the ${opts.openCases} the listing row needs`);
  await settle('seeding');

  // 2. Analysts listing the queue. One analyst's budget is 1,200 requests a minute (RATE_LIMIT_PER_USER), and the
  // cached row has answered up to 8,600 a second for 15 s (129,000): 200 analysts have room for 240,000.
  const listers = await newAnalysts(200, 'lister');
  let listed = 0;
  const cacheAnswers = { hit: 0, miss: 0 };
  // The listing rows send thousands of requests a second from this process: a client lighter than node:http's.
  const postListing = leanHttpPoster(opts.baseUrl, opts.concurrency);
  const listingBody = JSON.stringify({ query: WORKBENCH_REVIEW_QUEUE, variables: LISTING_VARIABLES });
  const listing = async (i: number, headers: Record<string, string> = {}) => {
    const res = await postListing(url, listingBody, { authorization: `Bearer ${listers[i % listers.length].token}`, ...headers });
    const r = JSON.parse(res.text) as GraphQLResponse;
    const page = r.data?.reviewQueue;
    if (res.status !== 200 || r.errors || page?.edges?.length !== 25 || !page.edges[0].node.application?.scoring) return false;
    const answer = res.headers['x-tandem-cache'];
    if (answer === 'hit' || answer === 'miss') cacheAnswers[answer]++;
    listed = page.totalCount;
    return true;
  };
  const hitRatio = () => {
    const ratio = cacheAnswers.hit / Math.max(1, cacheAnswers.hit + cacheAnswers.miss);
    cacheAnswers.hit = cacheAnswers.miss = 0;
    return `${(ratio * 100).toFixed(1)}% from the gateway's cache`;
  };
  const listingLoad = { concurrency: opts.concurrency, durationMs: opts.seconds * 1000, maxRequests: 200_000 };
  // As the workbench sends it: repeated reads come from the gateway's response cache until the tenant changes.
  opts.mark?.('listing:start');
  results.push(await runLoad('reviewQueue (workbench, page of 25)', { ...listingLoad, target: 'target >= 2000/s, p95 < 20 ms' }, (_w, i) => listing(i)));
  opts.mark?.('listing:end');
  opts.log(`listing as the workbench sends it: ${hitRatio()}`);
  // Every read executed: the federated join across queue, applications, scoring and identity.
  opts.mark?.('listing-uncached:start');
  results.push(
    await runLoad('reviewQueue (no-cache: executed)', { ...listingLoad, target: '(informative: every read planned and executed)' }, (_w, i) =>
      listing(i, { 'cache-control': 'no-cache' }),
    ),
  );
  opts.mark?.('listing-uncached:end');
  // The queue changing while it is read: a partner submits 10 applications a second, each one ending the tenant's cached answers.
  let submitting = true;
  let submittedAlongside = 0;
  const alongside = (async () => {
    for (let i = 0; submitting; i++) {
      const r = await post(SUBMIT, { i: application(toSubmit + i) }, partners[i % partners.length]);
      if (r.data?.submitApplication) submittedAlongside++;
      await sleep(100);
    }
  })();
  opts.mark?.('listing-changing:start');
  results.push(
    await runLoad('reviewQueue (10 new cases/s meanwhile)', { ...listingLoad, target: '(informative: the cache ended by every change)' }, (_w, i) =>
      listing(i),
    ),
  );
  opts.mark?.('listing-changing:end');
  submitting = false;
  await alongside;
  opts.log(`listing while ${submittedAlongside} applications arrived: ${hitRatio()}`);
  if (opts.queueUrl) {
    const queueUrl = opts.queueUrl;
    const contexts = await Promise.all(
      listers.map((l) =>
        signInternalContext({ kind: 'user', id: l.id, tenantId, role: 'analyst', permissions: analystPermissions }, opts.internalSecret, randomUUID()),
      ),
    );
    opts.mark?.('queue-alone:start');
    results.push(
      await runLoad(
        'reviewQueue (queue subgraph alone)',
        { concurrency: opts.concurrency, durationMs: opts.seconds * 1000, maxRequests: 400_000, target: '(informative: without gateway and joins)' },
        async (_w, i) => {
          const r = await post(QUEUE_ONLY_REVIEW_QUEUE, LISTING_VARIABLES, undefined, queueUrl, { [INTERNAL_CONTEXT_HEADER]: contexts[i % contexts.length] });
          return !r.errors && r.data?.reviewQueue?.edges?.length === 25;
        },
      ),
    );
    opts.mark?.('queue-alone:end');
  }

  postListing.close();

  // 3. Analysts deciding. Outside the window: each analyst picks and starts up to 5 cases. Inside: submitDecision alone.
  const deciders = await newAnalysts(opts.decisionAnalysts, 'decider');
  const errorCodes: Record<string, number> = {};
  const startCases = async (): Promise<StartedCase[]> => {
    const started: StartedCase[] = [];
    await drainWork(deciders, opts.concurrency, async (analyst) => {
      for (let n = 0, attempts = 0; n < ACTIVE_CASE_CAP && attempts < 200; attempts++) {
        const picked = await post(PICK, {}, analyst.token);
        const entry = picked.data?.pickNextCase;
        if (!entry) {
          // CONFLICT: the previous round's decisions have not closed this analyst's cases in the queue yet.
          if (picked.errors?.[0]?.extensions?.code === 'CONFLICT' || picked.errors?.[0]?.extensions?.code === 'RATE_LIMITED') {
            await sleep(100);
            continue;
          }
          return picked.data?.pickNextCase === null;
        }
        const s = await post(START, { id: entry.id }, analyst.token);
        if (s.data?.startReview?.status !== 'IN_PROGRESS') throw new Error(`startReview failed: ${JSON.stringify(s.errors)}`);
        started.push({
          token: analyst.token,
          applicationId: entry.application.id,
          outcome: entry.application.scoring?.modelRecommendation === 'DECLINE' ? 'DECLINED' : 'APPROVED',
        });
        n++;
      }
      return true;
    });
    return started;
  };
  // As the listing rows: the lean client, so the bench's own share of the two cores stays small.
  // Sockets for as many calls as the open loop may have outstanding: a call never queues behind another.
  const postDecision = leanHttpPoster(opts.baseUrl, PACED_MAX_IN_FLIGHT);
  const decide = async (c: StartedCase) => {
    const body = JSON.stringify({
      query: DECIDE,
      variables: { in: { applicationId: c.applicationId, outcome: c.outcome, reasoning: 'Benchmark decision with adequate reasoning text.' } },
    });
    const r = JSON.parse((await postDecision(url, body, { authorization: `Bearer ${c.token}` })).text) as GraphQLResponse;
    if (r.data?.submitDecision) return true;
    const code = r.errors?.[0]?.extensions?.code ?? 'NO_DATA';
    errorCodes[code] = (errorCodes[code] ?? 0) + 1;
    return false;
  };
  const decisionCpu: DecisionCpu[] = [];
  // The server's own histogram of the decisions, per service, and its event loop and GC (null when /metrics does not answer).
  const serverScrape = () =>
    fetch(`${opts.baseUrl}/metrics`)
      .then(async (r) => {
        if (!r.ok) return null;
        const text = await r.text();
        return { operations: operationBuckets(text, 'BenchDecide'), loop: serverLoop(text) };
      })
      .catch(() => null);
  const decisionRounds = async (
    label: string,
    row: string,
    run: (started: StartedCase[]) => Promise<{ latencies: number[]; errors: number; seconds: number }>,
  ) => {
    const windows: { latencies: number[]; errors: number; seconds: number }[] = [];
    const cpu: DecisionCpu = { row, decisions: 0, seconds: 0, tandemMs: 0, postgresMs: 0, backendsStarted: 0, benchMs: 0, machine: null };
    for (let round = 0; round < DECISION_ROUNDS && windows.reduce((s, w) => s + w.seconds, 0) < opts.seconds; round++) {
      const started = await startCases();
      if (!started.length) break;
      await settle(`preparing ${label} round ${round + 1}`);
      opts.log(`${label} decision round ${round + 1}: ${started.length} cases started by ${deciders.length} analysts`);
      const before = await opts.serverCpu?.();
      const machineBefore = await machineCpu();
      const serverBefore = await serverScrape();
      const callersLoop = watchCallersLoop();
      const benchBefore = process.cpuUsage();
      opts.mark?.(`decisions-${label}-${round + 1}:start`);
      const window = await run(started);
      windows.push(window);
      opts.mark?.(`decisions-${label}-${round + 1}:end`);
      const bench = process.cpuUsage(benchBefore);
      const callers = callersLoop.stop();
      const machine = machineCpuSpent(machineBefore, await machineCpu());
      const serverAfter = await serverScrape();
      const inServer =
        serverBefore && serverAfter
          ? describeServerPercentiles(serverPercentiles(serverBefore.operations, serverAfter.operations, 95), 95) +
            describeServerLoop(serverBefore.loop, serverAfter.loop)
          : '';
      // Each window on its own, so a miss in the row can be laid against what else happened then (autovacuum, the machine).
      const sorted = [...window.latencies].sort((a, b) => a - b);
      const after = await opts.serverCpu?.();
      opts.log(
        `${label} decision round ${round + 1}: p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms, max ${(sorted.at(-1) ?? Number.NaN).toFixed(1)} ms over ${sorted.length} decisions in ${window.seconds.toFixed(1)} s, ended ${new Date().toISOString()}${inServer}, the callers' own event loop delayed up to ${callers.maxDelayMs.toFixed(0)} ms (${callers.gcMs.toFixed(0)} ms of GC pauses)${idleShare(machine)}${coreWaits(before, after, callers.runQueueWaitMs)}`,
      );
      cpu.benchMs += (bench.user + bench.system) / 1000;
      if (machine) {
        cpu.machine ??= { totalMs: 0, idleMs: 0, stealMs: 0 };
        cpu.machine.totalMs += machine.totalMs;
        cpu.machine.idleMs += machine.idleMs;
        cpu.machine.stealMs += machine.stealMs;
      }
      if (before && after) {
        cpu.decisions += window.latencies.length;
        cpu.seconds += window.seconds;
        cpu.tandemMs += after.rootMs - before.rootMs;
        // A backend that ended within the window takes its time with it: the figure is at most an undercount.
        cpu.postgresMs += Math.max(0, after.descendantsMs - before.descendantsMs);
        const running = new Set(before.descendantPids);
        cpu.backendsStarted += after.descendantPids.filter((pid) => !running.has(pid)).length;
      }
      // The queue closes the decided cases from the decisions' events: the next round's analysts need their places back.
      await settle(`${label} decision round ${round + 1}`);
    }
    if (cpu.decisions > 0) decisionCpu.push(cpu);
    return windows;
  };
  // Closed loop: `concurrency` callers back to back, the most the graph answers; each call's latency is then concurrency / throughput.
  const closedRow = `submitDecision (${opts.concurrency} callers back to back)`;
  const closed = await decisionRounds('closed-loop', closedRow, (started) => drainWork(started, opts.concurrency, decide));
  results.push(summarise(closedRow, closed, '(informative: the most it answers; latency = callers / throughput)'));
  // Open loop at the target rate: the latency a decision gets while the graph is taking that many per second.
  const rate = opts.decisionRate ?? 300;
  const pacedRow = `submitDecision (${rate}/s offered)`;
  const paced = await decisionRounds('open-loop', pacedRow, (started) => paceWork(started, rate, PACED_MAX_IN_FLIGHT, decide));
  results.push(summarise(pacedRow, paced, 'target >= 300/s, p95 < 30 ms'));
  postDecision.close();
  return { results, openCasesListed: listed, decisionErrorCodes: errorCodes, decisionCpu };
}
