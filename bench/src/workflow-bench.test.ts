import { describe, expect, it } from 'vitest';
import { drainWork, paceWork, summarise } from './workflow-bench.js';

describe('drainWork', () => {
  it('does each item once, never more than `concurrency` at a time, and counts refusals and throws as errors', async () => {
    const seen: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const outcome = await drainWork([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      seen.push(n);
      if (n === 7) throw new Error('boom');
      return n % 2 === 0;
    });
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(maxInFlight).toBe(3);
    expect(outcome.latencies).toHaveLength(3);
    expect(outcome.errors).toBe(4);
  });
});

describe('summarise', () => {
  it('adds windows: throughput over the measured time only, percentiles over every success', () => {
    const row = summarise('x', [
      { latencies: [1, 2, 3], errors: 1, seconds: 1 },
      { latencies: [4, 5, 6, 7, 8, 9, 10], errors: 0, seconds: 1.5 },
    ]);
    expect(row.requests).toBe(10);
    expect(row.errors).toBe(1);
    expect(row.throughput).toBe(4);
    expect(row.p50).toBe(5);
    expect(row.p95).toBe(10);
  });
});

describe('paceWork', () => {
  it('starts calls on schedule whether or not earlier ones answered, and a server that keeps up gets the offered rate', async () => {
    const startedAt: number[] = [];
    const t0 = performance.now();
    // Each call takes 30 ms, offered every 5 ms: a closed loop of one caller would manage ~33/s.
    const outcome = await paceWork([...Array(40).keys()], 200, 64, async () => {
      startedAt.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 30));
      return true;
    });
    expect(outcome.errors).toBe(0);
    expect(outcome.latencies).toHaveLength(40);
    expect(outcome.maxInFlight).toBeGreaterThan(4); // calls overlapped: nobody waited for an answer to send the next
    expect(startedAt[39]).toBeLessThan(600); // the last started near its slot (195 ms), not after 40 answers (1.2 s)
    expect(40 / outcome.seconds).toBeGreaterThan(100); // offered 200/s; one caller waiting for each answer gets ~33/s
    expect(Math.min(...outcome.latencies)).toBeGreaterThanOrEqual(25); // each call's own 30 ms (timers may fire a little early)
  });

  it('holds calls at the cap, counts the wait in their latency and stretches the window: an overloaded server gets less than offered', async () => {
    const outcome = await paceWork([...Array(12).keys()], 1000, 2, async (n) => {
      await new Promise((r) => setTimeout(r, 20));
      return n !== 11;
    });
    expect(outcome.maxInFlight).toBe(2);
    expect(outcome.errors).toBe(1);
    // Two at a time, 20 ms each: the last calls waited ~100 ms for a slot, and that is in their latency.
    expect(Math.max(...outcome.latencies)).toBeGreaterThan(80);
    expect(11 / outcome.seconds).toBeLessThan(200); // offered 1000/s
  });
});
