import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

/**
 * CPU time (user + system) of a process and of its descendants apart, from
 * /proc: for the embedded server, Tandem's own process and the PostgreSQL it
 * started. Lets a latency row say how busy the server was while it was
 * measured. Linux only: elsewhere (or when /proc is unreadable) null.
 */
export interface ProcessTreeCpu {
  /** the root process, every thread */
  rootMs: number;
  /** every live descendant (PostgreSQL's postmaster and backends) */
  descendantsMs: number;
  /** Their pids: a pid seen after a window and not before it is a backend started within it (a new connection). */
  descendantPids: number[];
  /**
   * Time spent runnable but not running, waiting for a core (/proc/<pid>/schedstat, since each began): the
   * root's main thread (the event loop), and each descendant's (by pid). Null where the kernel keeps no schedstat.
   */
  runQueueWaitMs: { rootMain: number; descendants: Map<number, number> } | null;
}

/** /proc/<pid>/schedstat: "<ns on a core> <ns runnable, waiting for one> <timeslices>"; the wait in ms. */
export function parseSchedstatWait(text: string): number | null {
  const waitNs = Number(text.trim().split(' ')[1]);
  return Number.isFinite(waitNs) ? waitNs / 1e6 : null;
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux the bench runs on (getconf CLK_TCK)

/** One /proc/<pid>/stat line: the parent pid and utime + stime in ms. The command may hold spaces and parentheses. */
export function parseProcStat(line: string): { ppid: number; cpuMs: number } | null {
  const close = line.lastIndexOf(')');
  if (close < 0) return null;
  // After "pid (comm) ": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime …
  const fields = line.slice(close + 2).split(' ');
  const ppid = Number(fields[1]);
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ppid) || !Number.isFinite(ticks)) return null;
  return { ppid, cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_SECOND };
}

/**
 * What the processes present at both readings waited for a core in between, in ms: a backend that started or ended
 * meanwhile would make a difference of sums meaningless, so it is left out (an undercount at most).
 */
export function descendantsWaitedMs(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let waited = 0;
  for (const [pid, ms] of after) {
    const earlier = before.get(pid);
    if (earlier !== undefined) waited += Math.max(0, ms - earlier);
  }
  return waited;
}

/** Sums a process tree's CPU from `stat` lines keyed by pid. */
export function treeCpu(rootPid: number, stats: ReadonlyMap<number, { ppid: number; cpuMs: number }>): ProcessTreeCpu | null {
  const root = stats.get(rootPid);
  if (!root) return null;
  const children = new Map<number, number[]>();
  for (const [pid, s] of stats) {
    const siblings = children.get(s.ppid);
    if (siblings) siblings.push(pid);
    else children.set(s.ppid, [pid]);
  }
  let descendantsMs = 0;
  const descendantPids: number[] = [];
  const todo = [...(children.get(rootPid) ?? [])];
  while (todo.length) {
    const pid = todo.pop()!;
    descendantsMs += stats.get(pid)?.cpuMs ?? 0;
    descendantPids.push(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return { rootMs: root.cpuMs, descendantsMs, descendantPids: descendantPids.sort((a, b) => a - b), runQueueWaitMs: null };
}

/** How long this process's main thread (its event loop) has been runnable without a core, in ms; null off Linux. */
export function ownRunQueueWaitMs(): number | null {
  try {
    return parseSchedstatWait(readFileSync('/proc/self/schedstat', 'utf8'));
  } catch {
    return null;
  }
}

async function schedstatWait(pid: number): Promise<number | null> {
  const text = await readFile(`/proc/${pid}/schedstat`, 'utf8').catch(() => null);
  return text === null ? null : parseSchedstatWait(text);
}

export async function processTreeCpu(rootPid: number): Promise<ProcessTreeCpu | null> {
  try {
    const stats = new Map<number, { ppid: number; cpuMs: number }>();
    for (const name of await readdir('/proc')) {
      const pid = Number(name);
      if (!Number.isInteger(pid)) continue;
      // A process may end between the listing and the read.
      const line = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
      const parsed = line && parseProcStat(line);
      if (parsed) stats.set(pid, parsed);
    }
    const tree = treeCpu(rootPid, stats);
    const rootMain = await schedstatWait(rootPid);
    if (!tree || rootMain === null) return tree;
    const descendants = new Map<number, number>();
    for (const pid of tree.descendantPids) {
      const wait = await schedstatWait(pid); // null: it ended meanwhile
      if (wait !== null) descendants.set(pid, wait);
    }
    return { ...tree, runQueueWaitMs: { rootMain, descendants } };
  } catch {
    return null;
  }
}

/** The whole machine's CPU time since boot, summed over its cores, from /proc/stat's first line (ms). */
export interface MachineCpu {
  /** every core's time, busy or not */
  totalMs: number;
  /** idle and waiting on I/O */
  idleMs: number;
  /** taken by the hypervisor for other guests: time this machine wanted a core and had none */
  stealMs: number;
}

/**
 * Parses /proc/stat's `cpu` line: user nice system idle iowait irq softirq steal (guest time is already in user).
 * The cores are shared by Tandem, its PostgreSQL, this bench and whatever else runs: the share left idle during a
 * window says whether a slow row was the server's own doing or a machine with no CPU to spare.
 */
export function parseMachineCpu(procStat: string): MachineCpu | null {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return null;
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (ticks.length < 8 || ticks.some((t) => !Number.isFinite(t))) return null;
  const ms = (t: number) => (t * 1000) / CLOCK_TICKS_PER_SECOND;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = ticks as [number, number, number, number, number, number, number, number];
  return { totalMs: ms(user + nice + system + idle + iowait + irq + softirq + steal), idleMs: ms(idle + iowait), stealMs: ms(steal) };
}

export async function machineCpu(): Promise<MachineCpu | null> {
  return parseMachineCpu(await readFile('/proc/stat', 'utf8').catch(() => ''));
}

/** What the machine spent between two readings; null when either is missing. */
export function machineCpuSpent(before: MachineCpu | null, after: MachineCpu | null): MachineCpu | null {
  if (!before || !after) return null;
  return { totalMs: after.totalMs - before.totalMs, idleMs: after.idleMs - before.idleMs, stealMs: after.stealMs - before.stealMs };
}
