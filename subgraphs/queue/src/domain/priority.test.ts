import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ROUTING_THRESHOLDS,
  nextPriorityRiseAt,
  PRIORITY_WEIGHTS,
  type PriorityInputs,
  priorityBandOf,
  priorityOf,
  prioritySignals,
} from './priority.js';

const createdAt = new Date('2026-03-02T09:00:00Z');
const slaDeadline = new Date('2026-03-02T13:00:00Z');
const base: PriorityInputs = {
  probabilityOfDefault: 0.39, // the middle of the default grey zone (0.145 – 0.635)
  thresholds: DEFAULT_ROUTING_THRESHOLDS,
  loanAmount: 1_000,
  createdAt,
  slaDeadline,
  now: createdAt,
};
const after = (minutes: number) => new Date(createdAt.getTime() + minutes * 60_000);

describe('priority', () => {
  it('weights sum to 100 and stay within 0–100 at the extremes', () => {
    expect(Object.values(PRIORITY_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
    expect(priorityOf(base)).toBe(0);
    const worst = { ...base, probabilityOfDefault: 0.145, loanAmount: 5_000_000, now: after(24 * 60) };
    expect(priorityOf(worst)).toBe(100);
  });

  it('ranks a PD near a threshold above one in the middle of the grey zone', () => {
    const nearApprove = priorityOf({ ...base, probabilityOfDefault: 0.15 });
    const nearDecline = priorityOf({ ...base, probabilityOfDefault: 0.62 });
    const middle = priorityOf(base);
    expect(nearApprove).toBeGreaterThan(middle);
    expect(nearDecline).toBeGreaterThan(middle);
    expect(prioritySignals({ ...base, probabilityOfDefault: 0.145 }).closeness).toBe(1);
    expect(prioritySignals({ ...base, probabilityOfDefault: 0.635 }).closeness).toBe(1);
  });

  it('gives little closeness to a clear score sent to review for another reason', () => {
    const closeness = (pd: number) => prioritySignals({ ...base, probabilityOfDefault: pd }).closeness;
    expect(closeness(0.9)).toBe(0);
    expect(closeness(0.02)).toBeCloseTo(1 - 0.125 / 0.245, 6);
    expect(closeness(0.02)).toBeLessThan(closeness(0.13));
  });

  it('scales the amount logarithmically: each tenfold step adds the same', () => {
    const s = (loanAmount: number) => prioritySignals({ ...base, loanAmount }).amount;
    expect(s(1_000)).toBe(0);
    expect(s(10_000)).toBeCloseTo(1 / 3, 6);
    expect(s(100_000)).toBeCloseTo(2 / 3, 6);
    expect(s(1_000_000)).toBe(1);
    expect(s(50)).toBe(0);
    expect(priorityOf({ ...base, loanAmount: 100_000 })).toBeGreaterThan(priorityOf({ ...base, loanAmount: 10_000 }));
  });

  it('rises with time waiting and steeply near the deadline', () => {
    const p = (minutes: number) => priorityOf({ ...base, now: after(minutes) });
    expect(p(60)).toBeGreaterThan(p(0));
    expect(p(210)).toBeGreaterThan(p(120));
    // the SLA signal is quadratic: the last hour adds more than the first two
    const sla = (minutes: number) => prioritySignals({ ...base, now: after(minutes) }).sla;
    expect(sla(240) - sla(180)).toBeGreaterThan(sla(120) - sla(0));
    expect(sla(300)).toBe(1);
  });

  it('treats a deadline at or before creation as breached and ignores a PD that is not a number', () => {
    expect(prioritySignals({ ...base, slaDeadline: createdAt }).sla).toBe(1);
    expect(prioritySignals({ ...base, probabilityOfDefault: Number.NaN }).closeness).toBe(0);
  });

  it('is a whole number', () => {
    expect(Number.isInteger(priorityOf({ ...base, probabilityOfDefault: 0.2, loanAmount: 12_345, now: after(77) }))).toBe(true);
  });
});

describe('priority bands', () => {
  it('cover 0–100 without gaps, each boundary in the higher band', () => {
    expect([0, 24, 25, 49, 50, 74, 75, 100].map(priorityBandOf)).toEqual(['LOW', 'LOW', 'MEDIUM', 'MEDIUM', 'HIGH', 'HIGH', 'CRITICAL', 'CRITICAL']);
  });
});

describe('next priority rise', () => {
  const { now: _now, ...waiting } = base;
  const priorityAt = (at: Date) => priorityOf({ ...base, now: at });

  it('is the first millisecond at which the priority is higher, and the priority holds until then', () => {
    for (const from of [createdAt, after(37), after(200), after(241)]) {
      const rise = nextPriorityRiseAt(waiting, from);
      expect(rise).not.toBeNull();
      expect(rise!.getTime()).toBeGreaterThan(from.getTime());
      expect(priorityAt(rise!)).toBe(priorityAt(from) + 1);
      expect(priorityAt(new Date(rise!.getTime() - 1))).toBe(priorityAt(from));
    }
  });

  it('walks the whole rise of a case in steps of one, from queueing to saturation', () => {
    let steps = 0;
    for (let at: Date | null = createdAt; at; at = nextPriorityRiseAt(waiting, at)) steps++;
    // 0 at creation, 30 (SLA) + 10 (waiting) once both are spent: one stored value per point.
    expect(priorityAt(after(8 * 60))).toBe(40);
    expect(steps).toBe(41);
  });

  it('is null once nothing can change: past the deadline and the waiting saturation', () => {
    expect(nextPriorityRiseAt(waiting, after(8 * 60 + 1))).toBeNull();
    // a case already at 100 has nowhere to go
    const top = { ...waiting, probabilityOfDefault: 0.145, loanAmount: 5_000_000 };
    expect(priorityOf({ ...top, now: after(462) })).toBe(100);
    expect(nextPriorityRiseAt(top, after(462))).toBeNull();
  });

  it('follows a deadline moved later (a paused clock): the rise comes later too', () => {
    const early = nextPriorityRiseAt(waiting, after(60))!;
    const later = nextPriorityRiseAt({ ...waiting, slaDeadline: new Date(slaDeadline.getTime() + 4 * 3_600_000) }, after(60))!;
    expect(later.getTime()).toBeGreaterThan(early.getTime());
  });
});
