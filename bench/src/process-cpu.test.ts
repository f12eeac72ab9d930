import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  descendantsWaitedMs,
  machineCpu,
  machineCpuSpent,
  parseMachineCpu,
  parseProcStat,
  parseSchedstatWait,
  processTreeCpu,
  treeCpu,
} from './process-cpu.js';

describe('process tree CPU', () => {
  it('reads parent and utime + stime from a stat line whose command holds spaces and parentheses', () => {
    const line = '4242 (postgres: a (b) c) S 17 4242 4242 0 -1 4194304 100 0 0 0 250 40 0 0 20 0 1 0 100 0 0';
    expect(parseProcStat(line)).toEqual({ ppid: 17, cpuMs: 2900 });
    expect(parseProcStat('garbage')).toBeNull();
  });

  it('sums the descendants apart from the root, at any depth, and nothing outside the tree', () => {
    const stats = new Map([
      [10, { ppid: 1, cpuMs: 500 }], // root
      [11, { ppid: 10, cpuMs: 100 }], // postmaster
      [12, { ppid: 11, cpuMs: 30 }], // backend
      [13, { ppid: 11, cpuMs: 20 }], // backend
      [20, { ppid: 1, cpuMs: 999 }], // elsewhere
    ]);
    expect(treeCpu(10, stats)).toEqual({ rootMs: 500, descendantsMs: 150, descendantPids: [11, 12, 13], runQueueWaitMs: null });
    expect(treeCpu(99, stats)).toBeNull();
  });

  it("counts a real child's CPU under the descendants", async () => {
    const child = spawn(process.execPath, ['-e', 'const end = Date.now() + 300; while (Date.now() < end);'], { stdio: 'ignore' });
    try {
      // Sampled while the child still spins: an exited child leaves the tree.
      await new Promise((r) => setTimeout(r, 250));
      const cpu = await processTreeCpu(process.pid);
      expect(cpu).not.toBeNull();
      expect(cpu!.rootMs).toBeGreaterThan(0);
      expect(cpu!.descendantsMs).toBeGreaterThan(50);
      expect(cpu!.descendantPids).toContain(child.pid);
    } finally {
      await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
    }
  });

  it('reads the time a thread waited for a core from its schedstat line', () => {
    expect(parseSchedstatWait('123456789 2500000 42\n')).toBe(2.5);
    expect(parseSchedstatWait('')).toBeNull();
  });

  it('sums the waits of the processes present at both readings only', () => {
    const before = new Map([
      [11, 100],
      [12, 50],
      [13, 70],
    ]); // 13 ends
    const after = new Map([
      [11, 130],
      [12, 55],
      [14, 400],
    ]); // 14 is new: its whole life would read as this window
    expect(descendantsWaitedMs(before, after)).toBe(35);
  });

  it('counts the time children spinning on more threads than there are cores waited for one', async () => {
    // One spinner more than the cores: at any moment one of them is runnable and not running.
    const spin = 'const end = Date.now() + 400; while (Date.now() < end);';
    const children = Array.from({ length: availableParallelism() + 1 }, () => spawn(process.execPath, ['-e', spin], { stdio: 'ignore' }));
    try {
      await new Promise((r) => setTimeout(r, 300));
      const cpu = await processTreeCpu(process.pid);
      expect(cpu?.runQueueWaitMs).not.toBeNull();
      expect(cpu!.runQueueWaitMs!.rootMain).toBeGreaterThanOrEqual(0);
      const waits = cpu!.runQueueWaitMs!.descendants;
      expect(children.every((c) => waits.has(c.pid!))).toBe(true);
      expect(descendantsWaitedMs(new Map(children.map((c) => [c.pid!, 0])), waits)).toBeGreaterThan(20);
    } finally {
      await Promise.all(children.map((c) => new Promise((r) => (c.exitCode === null ? c.once('exit', r) : r(null)))));
    }
  });

  it("reads the machine's total, idle (with I/O wait) and stolen time from /proc/stat's cpu line", () => {
    const stat = 'cpu  100 5 50 800 20 1 4 10 0 0\ncpu0 50 2 25 400 10 0 2 5 0 0\nintr 1 2 3\n';
    expect(parseMachineCpu(stat)).toEqual({ totalMs: 9900, idleMs: 8200, stealMs: 100 });
    expect(parseMachineCpu('intr 1 2 3\n')).toBeNull();
    expect(parseMachineCpu('cpu  1 2 x 4 5 6 7 8\n')).toBeNull();
  });

  it("counts this process's own spinning as the machine's busy time", async () => {
    const before = await machineCpu();
    const end = Date.now() + 300;
    while (Date.now() < end);
    const after = await machineCpu();
    expect(before).not.toBeNull();
    const spent = machineCpuSpent(before, after)!;
    const busy = spent.totalMs - spent.idleMs;
    // At least most of the 300 ms this thread spun (the tick counts are coarse: 10 ms).
    expect(busy).toBeGreaterThan(200);
  });
});
