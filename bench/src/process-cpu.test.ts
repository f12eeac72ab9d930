import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseProcStat, processTreeCpu, treeCpu } from './process-cpu.js';

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
    expect(treeCpu(10, stats)).toEqual({ rootMs: 500, descendantsMs: 150, descendantPids: [11, 12, 13] });
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
});
