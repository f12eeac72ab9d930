import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FrameStore } from './frame-store.js';
import { type LeanSocket, leanConnect } from './lean-ws-client.js';
import { percentile } from './load-runner.js';
import { tandemPorts } from './server-ports.js';

/**
 * Subscription fan-out, measured: one Tandem process (embedded, in-process bus)
 * on loopback, `clients` graphql-ws connections subscribed to queueChanged as
 * several demo analysts, `events` queue changes caused through the graph (a
 * senior analyst assigning and releasing one case), and for every payload the
 * time from the event's occurredAt (stamped in the queue subgraph's
 * transaction) to the client reading it. Bounded in clients, events and time;
 * stops the server it started.
 *
 * The clients speak graphql-transport-ws over a minimal WebSocket client
 * (lean-ws-client.ts), all in this one process, on the same two cores as the
 * server. In production 5,000 clients are 5,000 machines, each reading its
 * own socket at once; here one event loop reads them one after the other, so
 * whatever it spends per message delays every socket behind it and counts
 * against the server. The instrument is therefore kept to a socket read and
 * a timestamp while the events run: each `next` frame is stamped when its
 * bytes are read and parsed once the events are over. Every frame is still
 * parsed (JSON.parse) and checked: its operation id (a random UUID per
 * client, as graphql-ws clients use), its event id and its event time.
 * Anything else (acks, pings, errors) is parsed and answered at once.
 *
 * Latency = the client's Date.now() when it reads the frame minus the
 * event's occurredAt carried in the payload's extensions (stamped by the
 * queue subgraph's transaction, PostgreSQL's clock on this same machine):
 * outbox relay, bus, entity resolution through the planner, fan-out and the
 * kernel, all included.
 */
export interface FanoutBenchOptions {
  clients?: number;
  events?: number;
  /** Pause between two queue changes. */
  eventGapMs?: number;
  /** Use a running gateway (e.g. http://127.0.0.1:4000) instead of starting one. */
  baseUrl?: string;
  /** Hard stop for the whole run. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface FanoutBenchResult {
  clients: number;
  connected: number;
  events: number;
  expectedDeliveries: number;
  deliveries: number;
  /** Milliseconds, occurredAt → the client reading the payload. */
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Median over events of the first client's latency: relay + entity resolution through the planner, before fan-out. */
  firstClientP50: number;
  /** The same, slowest events: how far the relay and planner themselves stretch. */
  firstClientP95: number;
  firstClientMax: number;
  /** Per event, the last client's latency (the whole fan-out done): median and slowest events. p99 over all deliveries is about the second slowest event's tail. */
  lastClientP50: number;
  lastClientP95: number;
  /** Each delivery's lag behind its event's first delivery: what fanning out to every client adds. */
  fanoutSpreadP50: number;
  fanoutSpreadP99: number;
  connectSeconds: number;
  /** Resident memory of the server process (MB) before the clients connected and with them all subscribed; null when the gateway was not started here. */
  serverRssMbIdle: number | null;
  serverRssMbSubscribed: number | null;
  /** What the server gives each subscribed client (KB): RSS growth while the second half of the clients connect and subscribe (noisy: the heap grows and shrinks in steps). */
  serverKbPerClient: number | null;
  /** The same from the server's JS heap in use (lowest of a few samples, so garbage counts less): what the gateway's own objects cost per client. */
  serverHeapKbPerClient: number | null;
  /** The server's own measure of the fan-out alone (resolved payload → last write), mean per event and shared resolution, ms. */
  serverFanoutMsMean: number | null;
  /**
   * CPU the whole server process (user + system, so the kernel's share of the writes too) spent per event while the
   * events ran, ms: the least noisy figure on a shared machine (wall-clock latencies stretch with everyone else's load).
   */
  serverCpuMsPerEvent: number | null;
  /** The share of the fan-out's frames the gateway's helper thread wrote (frame-write-pool.ts); null when it wrote none straight. */
  helperShare: number | null;
  clientRssMb: number;
  /** CPU this measuring process spent per event while the events ran (reading every client's frame), ms: it shares the machine with the server. */
  clientCpuMsPerEvent: number;
  /** CPU spent afterwards parsing and checking the frames, per event, ms: what the clients' own parsing would have added to the reads. */
  clientParseMsPerEvent: number;
  closedByServer: number;
  target: string;
}

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const SUBSCRIPTION = 'subscription Fanout { queueChanged { kind entry { id status priority assignee { email } application { id loan { amount } } } } }';
// Several demo analysts (two identical permission sets, one different): resolutions are shared per permission set.
const SUBSCRIBERS = ['analyst@demo.test', 'analyst2@demo.test', 'senior@demo.test'];
const TRIGGER = 'senior@demo.test';
const CONNECT_CONCURRENCY = 250;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

async function startServer(): Promise<{ base: string; child: ChildProcess; stop: () => Promise<void> }> {
  const { port, env: ports } = await tandemPorts();
  const dataDir = await mkdtemp(join(tmpdir(), 'tandem-fanout-'));
  await chmod(dataDir, 0o755);
  // BENCH_CPU_PROF=<dir>: a CPU profile of the server process, written when it stops.
  const profileArgs = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_CPU_PROF)}`] : [];
  const child = spawn(process.execPath, [...profileArgs, join(ROOT, 'packages/supervisor/dist/embedded-main.js')], {
    env: { ...process.env, ...ports, TANDEM_DATA_DIR: dataDir, TANDEM_DEMO_TRICKLE: 'off', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((r) => child.once('exit', r));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGINT');
    await Promise.race([exited, sleep(15_000).then(() => child.kill('SIGKILL'))]);
    await rm(dataDir, { recursive: true, force: true });
  };
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    if (
      await fetch(`${base}/health`)
        .then((r) => r.ok)
        .catch(() => false)
    )
      return { base, child, stop };
    if (child.exitCode !== null) break;
    await sleep(500);
  }
  await stop();
  throw new Error('the Tandem process did not become healthy');
}

export async function runFanoutBench(options: FanoutBenchOptions = {}): Promise<FanoutBenchResult> {
  const clients = options.clients ?? 5_000;
  const events = options.events ?? 100;
  const eventGapMs = options.eventGapMs ?? 250;
  const log = options.log ?? ((line: string) => console.error(line));
  const deadline = Date.now() + (options.timeoutMs ?? 240_000);
  const server = options.baseUrl ? undefined : await startServer();
  const base = options.baseUrl ?? server!.base;
  const url = `${base}/graphql`;
  const sockets: LeanSocket[] = [];
  try {
    const post = async (query: string, variables: Record<string, unknown>, token?: string) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as { data?: any; errors?: { message: string }[] };
    };
    const login = async (email: string) => {
      const r = await post('mutation($e:String!,$p:String!){login(email:$e,password:$p){accessToken}}', { e: email, p: 'tandem-demo' });
      if (!r.data?.login) throw new Error(`login ${email}: ${JSON.stringify(r.errors)}`);
      return r.data.login.accessToken as string;
    };
    const tokens = await Promise.all(SUBSCRIBERS.map(login));
    const trigger = await login(TRIGGER);

    // One case in review to move back and forth: above the demo tenant's 20,000 automatic limit.
    const tokenRes = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=demo-partner&client_secret=tandem-demo-secret',
    });
    const partner = ((await tokenRes.json()) as { access_token: string }).access_token;
    const submitted = await post(
      'mutation($i: SubmitApplicationInput!) { submitApplication(input: $i) { application { id } } }',
      {
        i: {
          externalId: `fanout-${Date.now().toString(36)}`,
          applicant: { firstName: 'Fan', lastName: 'Out', dateOfBirth: '1985-06-01', housing: 'RENT', employment: { type: 'FIXED', yearsEmployed: 5 } },
          financials: { monthlyIncome: 4000, monthlyExpenses: 1200, pastArrears: false },
          loan: { amount: 25_000, termMonths: 36, purpose: 'CAR' },
        },
      },
      partner,
    );
    const applicationId = submitted.data?.submitApplication?.application?.id as string | undefined;
    if (!applicationId) throw new Error(`submitApplication: ${JSON.stringify(submitted.errors)}`);
    let entryId: string | undefined;
    while (!entryId && Date.now() < deadline) {
      entryId = (await post('query($id: ID!) { application(id: $id) { queueEntry { id } } }', { id: applicationId }, trigger)).data?.application?.queueEntry
        ?.id;
      if (!entryId) await sleep(200);
    }
    if (!entryId) throw new Error('the case never reached the queue');

    const metricsText = async () => (await fetch(`${base}/metrics`)).text();
    const metric = (text: string, name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
    // The lowest of a few samples: V8 collects garbage in steps, and what is still referenced is the floor.
    const heapUsedMb = async () => {
      let low = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 6; i++) {
        low = Math.min(low, metric(await metricsText(), 'nodejs_heap_size_used_bytes') / 1024 / 1024);
        await sleep(500);
      }
      return low;
    };
    const serverRssMbIdle = server?.child.pid ? await rssMb(server.child.pid) : null;

    // Connect and subscribe everyone, CONNECT_CONCURRENCY at a time.
    const latencies = new Float64Array(clients * events * 2);
    let deliveries = 0;
    let closedByServer = 0;
    let refused: string | undefined;
    // Per event, the first client's latency (the event's way through the relay and the planner) and everyone's
    // distance from it (the fan-out itself).
    const deliveryEvent: string[] = new Array(latencies.length);
    const firstDelivery = new Map<string, number>();
    const eventTime = new Map<string, string>();
    let stopping = false;
    // While the events run, a frame that starts as the server's `next` does ({"id":…) waits here, stamped, to be parsed afterwards.
    let deferring = false;
    // Room for every expected frame, allocated now so that no allocation (and no collection it would cause) lands in an event.
    const deferred = new FrameStore(clients * events * 2, clients * events * 600);
    const operationIds: string[] = [];
    const ID_FIRST = Buffer.from('{"id"');
    const takeNext = (message: { id?: string; payload?: { extensions?: { eventId?: string; occurredAt?: string } } }, operationId: string, at: number) => {
      const { eventId, occurredAt } = message.payload?.extensions ?? {};
      if (message.id !== operationId || !occurredAt || !eventId || deliveries >= latencies.length) return;
      // Same clock on both ends: the event's occurredAt (stamped in the queue subgraph's transaction) vs this read.
      const latency = at - Date.parse(occurredAt);
      latencies[deliveries] = latency;
      deliveryEvent[deliveries++] = eventId;
      if (!(firstDelivery.get(eventId)! <= latency)) firstDelivery.set(eventId, latency);
      eventTime.set(eventId, occurredAt);
    };
    const wsUrl = url.replace(/^http/, 'ws');
    const connectOne = async (i: number) => {
      // Like graphql-ws clients, each operation id is a random UUID: every client's frames differ.
      const operationId = randomUUID();
      operationIds[i] = operationId;
      let acked: () => void = () => {};
      const ack = new Promise<void>((r) => (acked = r));
      let socket: LeanSocket | undefined;
      socket = await leanConnect(wsUrl, 'graphql-transport-ws', {
        onClose: () => {
          if (!stopping) closedByServer++;
        },
        onText: (bytes, at) => {
          if (deferring && bytes.compare(ID_FIRST, 0, ID_FIRST.length, 0, ID_FIRST.length) === 0) {
            // The bytes are in the client's shared read buffer: a copy waits.
            deferred.push(bytes, at, i);
            return;
          }
          const message = JSON.parse(bytes.toString()) as { type: string; id?: string };
          if (message.type === 'next') takeNext(message, operationId, at);
          else if (message.type === 'error') refused ??= JSON.stringify(message);
          else if (message.type === 'connection_ack') {
            socket!.send(JSON.stringify({ id: operationId, type: 'subscribe', payload: { query: SUBSCRIPTION } }));
            acked();
          } else if (message.type === 'ping') socket!.send('{"type":"pong"}');
        },
      });
      sockets.push(socket);
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${tokens[i % tokens.length]}` } }));
      await ack;
    };
    const openOnServer = async () => Number(/^tandem_subscriptions_open (\d+)/m.exec(await (await fetch(`${base}/metrics`)).text())?.[1] ?? 0);
    const t0 = performance.now();
    let next = 0;
    const connectUpTo = (count: number) =>
      Promise.all(
        Array.from({ length: CONNECT_CONCURRENCY }, async () => {
          while (next < count && Date.now() < deadline) await connectOne(next++);
        }),
      );
    // Memory per client from the second half alone: both samples are taken after a connection storm, long after start-up
    // (whose garbage would otherwise count against the clients).
    const half = Math.floor(clients / 2);
    await connectUpTo(half);
    let connectMs = performance.now() - t0;
    const firstHalf = sockets.filter((s) => s.open).length;
    const halfRegisteredBy = Math.min(deadline, Date.now() + 30_000);
    while ((await openOnServer()) < firstHalf && Date.now() < halfRegisteredBy && !refused) await sleep(200);
    const heapMbHalf = await heapUsedMb();
    const rssMbHalf = server?.child.pid ? await rssMb(server.child.pid) : null;
    const t1 = performance.now();
    await connectUpTo(clients);
    connectMs += performance.now() - t1;
    const connectSeconds = connectMs / 1000;
    const connected = sockets.filter((s) => s.open).length;
    log(`fan-out: ${connected}/${clients} clients connected in ${connectSeconds.toFixed(1)} s`);

    // The last subscribe messages are registered once the gateway counts them all.
    const registeredBy = Math.min(deadline, Date.now() + 30_000);
    while ((await openOnServer()) < connected && Date.now() < registeredBy && !refused) await sleep(200);
    if (refused) throw new Error(`the gateway refused the subscription: ${refused}`);
    const serverRssMbSubscribed = server?.child.pid ? await rssMb(server.child.pid) : null;
    const heapMbSubscribed = await heapUsedMb();
    const fanoutBefore = await metricsText();
    const clientCpuBefore = process.cpuUsage();
    deferring = true;

    // N queue changes, alternately ASSIGNED and RELEASED.
    let caused = 0;
    for (let i = 0; i < events && Date.now() < deadline; i++) {
      const r =
        i % 2 === 0
          ? await post('mutation($id: ID!) { assignCase(entryId: $id) { id } }', { id: entryId }, trigger)
          : await post('mutation($id: ID!) { releaseCase(entryId: $id, reason: "fan-out bench") { id } }', { id: entryId }, trigger);
      if (r.data) caused++;
      else log(`fan-out: a queue change failed: ${JSON.stringify(r.errors)}`);
      await sleep(eventGapMs);
    }
    const expectedDeliveries = caused * connected;
    const settleBy = Math.min(deadline, Date.now() + 10_000);
    while (deliveries + deferred.size < expectedDeliveries && Date.now() < settleBy) await sleep(100);

    const clientCpu = process.cpuUsage(clientCpuBefore);
    deferring = false;
    const parseCpuBefore = process.cpuUsage();
    deferred.forEach((bytes, at, client) => {
      const message = JSON.parse(bytes.toString()) as { type: string; id?: string };
      if (message.type === 'next') takeNext(message, operationIds[client], at);
      else if (message.type === 'error') refused ??= JSON.stringify(message);
    });
    if (deferred.dropped) log(`fan-out: ${deferred.dropped} frames over the store's size were not kept`);
    deferred.clear();
    const parseCpu = process.cpuUsage(parseCpuBefore);
    if (refused) throw new Error(`the gateway answered a subscription with an error: ${refused}`);
    const fanoutAfter = await metricsText();
    // A histogram has no lines before its first observation.
    const counted = (text: string, name: string) => metric(text, name) || 0;
    const cpuSeconds = (text: string) => counted(text, 'process_cpu_user_seconds_total') + counted(text, 'process_cpu_system_seconds_total');
    const fanoutSum = counted(fanoutAfter, 'tandem_subscription_fanout_seconds_sum') - counted(fanoutBefore, 'tandem_subscription_fanout_seconds_sum');
    const fanoutCount = counted(fanoutAfter, 'tandem_subscription_fanout_seconds_count') - counted(fanoutBefore, 'tandem_subscription_fanout_seconds_count');
    const direct = (text: string, writer: string) => counted(text, `tandem_subscription_direct_frames_total\\{writer="${writer}"\\}`);
    const byHelper = direct(fanoutAfter, 'helper') - direct(fanoutBefore, 'helper');
    const byLoop = direct(fanoutAfter, 'event-loop') - direct(fanoutBefore, 'event-loop');
    const sorted = Array.from(latencies.subarray(0, deliveries)).sort((a, b) => a - b);
    const firsts = [...firstDelivery.values()].sort((a, b) => a - b);
    const lastDelivery = new Map<string, number>();
    for (let i = 0; i < deliveries; i++) lastDelivery.set(deliveryEvent[i]!, Math.max(lastDelivery.get(deliveryEvent[i]!) ?? 0, latencies[i]!));
    const lasts = [...lastDelivery.values()].sort((a, b) => a - b);
    if (process.env.BENCH_FANOUT_EVENTS) {
      // Per event, in order: first and last delivery (ms), for a look at which events stretch.
      const order = [...firstDelivery.keys()];
      log(`fan-out per event (first/last ms): ${order.map((e) => `${firstDelivery.get(e)}/${lastDelivery.get(e)}`).join(' ')}`);
      log(
        `fan-out slowest events (last > 120 ms): ${order
          .filter((e) => lastDelivery.get(e)! > 120)
          .map((e) => `${eventTime.get(e)} ${firstDelivery.get(e)}/${lastDelivery.get(e)}`)
          .join(', ')}`,
      );
    }
    const spread = Array.from(latencies.subarray(0, deliveries), (l, i) => l - firstDelivery.get(deliveryEvent[i]!)!).sort((a, b) => a - b);
    const result: FanoutBenchResult = {
      clients,
      connected,
      events: caused,
      expectedDeliveries,
      deliveries,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted.at(-1) ?? Number.NaN,
      firstClientP50: percentile(firsts, 50),
      firstClientP95: percentile(firsts, 95),
      firstClientMax: firsts.at(-1) ?? Number.NaN,
      lastClientP50: percentile(lasts, 50),
      lastClientP95: percentile(lasts, 95),
      fanoutSpreadP50: percentile(spread, 50),
      fanoutSpreadP99: percentile(spread, 99),
      connectSeconds,
      serverRssMbIdle,
      serverRssMbSubscribed,
      serverKbPerClient:
        rssMbHalf !== null && serverRssMbSubscribed !== null && connected > firstHalf
          ? ((serverRssMbSubscribed - rssMbHalf) * 1024) / (connected - firstHalf)
          : null,
      serverHeapKbPerClient:
        connected > firstHalf && Number.isFinite(heapMbHalf) && Number.isFinite(heapMbSubscribed)
          ? ((heapMbSubscribed - heapMbHalf) * 1024) / (connected - firstHalf)
          : null,
      serverFanoutMsMean: fanoutCount > 0 ? (fanoutSum / fanoutCount) * 1000 : null,
      serverCpuMsPerEvent: caused > 0 ? ((cpuSeconds(fanoutAfter) - cpuSeconds(fanoutBefore)) * 1000) / caused : null,
      helperShare: byHelper + byLoop > 0 ? byHelper / (byHelper + byLoop) : null,
      clientRssMb: process.memoryUsage().rss / 1024 / 1024,
      clientCpuMsPerEvent: caused > 0 ? (clientCpu.user + clientCpu.system) / 1000 / caused : Number.NaN,
      clientParseMsPerEvent: caused > 0 ? (parseCpu.user + parseCpu.system) / 1000 / caused : Number.NaN,
      closedByServer,
      target: 'target: event-to-client p99 < 100 ms',
    };
    stopping = true;
    return result;
  } finally {
    for (const s of sockets) s.destroy();
    await server?.stop();
  }
}

export function formatFanout(r: FanoutBenchResult): string {
  const mb = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(0)} MB`);
  return [
    `subscription fan-out — ${r.connected}/${r.clients} graphql-ws clients on one gateway process, ${r.events} queue changes`,
    "  latency: client receive time (Date.now() after reading the frame) minus the event's occurredAt carried in the payload (stamped in the queue transaction); same machine, same clock",
    `  delivered ${r.deliveries}/${r.expectedDeliveries} payloads; event-to-client p50 ${r.p50.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms, max ${r.max.toFixed(0)} ms (${r.target})`,
    `  first client per event p50 ${r.firstClientP50.toFixed(0)} ms, p95 ${r.firstClientP95.toFixed(0)} ms, max ${r.firstClientMax.toFixed(0)} ms (relay + planner); last client per event p50 ${r.lastClientP50.toFixed(0)} ms, p95 ${r.lastClientP95.toFixed(0)} ms; fan-out adds p50 ${r.fanoutSpreadP50.toFixed(0)} ms, p99 ${r.fanoutSpreadP99.toFixed(0)} ms; server-side fan-out (payload → last write) mean ${r.serverFanoutMsMean === null ? 'n/a' : `${r.serverFanoutMsMean.toFixed(1)} ms`} per event and shared resolution; server CPU ${r.serverCpuMsPerEvent === null ? 'n/a' : `${r.serverCpuMsPerEvent.toFixed(0)} ms`} per event (user + system, all of it); helper thread wrote ${r.helperShare === null ? 'none' : `${(r.helperShare * 100).toFixed(0)}%`} of the frames`,
    `  server RSS ${mb(r.serverRssMbIdle)} idle → ${mb(r.serverRssMbSubscribed)} subscribed (${r.serverKbPerClient === null ? 'n/a' : `${r.serverKbPerClient.toFixed(1)} KB`} per client; JS heap ${r.serverHeapKbPerClient === null ? 'n/a' : `${r.serverHeapKbPerClient.toFixed(1)} KB`} per client); bench process ${mb(r.clientRssMb)}, ${r.clientCpuMsPerEvent.toFixed(0)} ms CPU per event reading (+ ${r.clientParseMsPerEvent.toFixed(0)} ms parsing afterwards); connect ${r.connectSeconds.toFixed(1)} s; closed by server ${r.closedByServer}`,
  ].join('\n');
}

// `node dist/fanout-bench.js [clients] [events] [baseUrl|''] [gapMs]` runs it alone.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runFanoutBench({
    clients: Number(process.argv[2] ?? 5_000),
    events: Number(process.argv[3] ?? 100),
    baseUrl: process.argv[4] || undefined,
    eventGapMs: Number(process.argv[5] ?? 250),
  });
  console.log(formatFanout(result));
  console.log(JSON.stringify(result));
}
