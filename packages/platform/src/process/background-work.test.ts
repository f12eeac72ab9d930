import { describe, expect, it } from 'vitest';
import { inBackground, inTurn, runAsBackground, runAsForeground } from './background-work.js';

/** Counts turns of the event loop: one per check phase, for as long as `stop` is not called. */
const loopTurns = () => {
  let turns = 0;
  let on = true;
  const tick = () => {
    turns++;
    if (on) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    get turns() {
      return turns;
    },
    stop: () => {
      on = false;
    },
  };
};

describe('background work', () => {
  it('is what runAsBackground starts, with everything it awaits, and not what runAsForeground starts inside it', async () => {
    expect(inBackground()).toBe(false);
    const seen = await runAsBackground(async () => {
      const before = inBackground();
      await new Promise((r) => setTimeout(r, 1));
      return [before, inBackground(), runAsForeground(() => inBackground())];
    });
    expect(seen).toEqual([true, true, false]);
    expect(inBackground()).toBe(false);
  });

  it('hands a request its answer as it is, and background work its answer on its own turn', async () => {
    const answer = Promise.resolve('rows');
    expect(inTurn(answer)).toBe(answer);
    const got = await runAsBackground(() => inTurn(Promise.resolve('rows')));
    expect(got).toBe('rows');
    await expect(runAsBackground(() => inTurn(Promise.reject(new Error('deadlock detected'))))).rejects.toThrow('deadlock detected');
  });

  it('lets what a request has ready run before a background continuation', async () => {
    const order: string[] = [];
    const background = runAsBackground(async () => {
      await inTurn(Promise.resolve());
      order.push('background');
    });
    // A request's chain of continuations, all ready now: none waits for the background one.
    const request = (async () => {
      for (let i = 0; i < 20; i++) await Promise.resolve();
      order.push('request');
    })();
    await Promise.all([background, request]);
    expect(order).toEqual(['request', 'background']);
  });

  it('releases one background continuation per turn of the event loop, in the order they became ready', async () => {
    const loop = loopTurns();
    const seen: { task: number; step: number; turn: number }[] = [];
    const task = (n: number) =>
      runAsBackground(async () => {
        for (let step = 0; step < 3; step++) {
          await inTurn(Promise.resolve());
          seen.push({ task: n, step, turn: loop.turns });
        }
      });
    await Promise.all([task(1), task(2), task(3)]);
    loop.stop();
    expect(seen).toHaveLength(9);
    // Every continuation in a turn of its own.
    expect(new Set(seen.map((s) => s.turn)).size).toBe(9);
    // First come, first released: the three tasks take turns.
    expect(seen.map((s) => s.task)).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3]);
  });
});
