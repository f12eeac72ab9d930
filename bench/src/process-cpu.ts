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
  return { rootMs: root.cpuMs, descendantsMs, descendantPids: descendantPids.sort((a, b) => a - b) };
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
    return treeCpu(rootPid, stats);
  } catch {
    return null;
  }
}
