import { describe, expect, it } from 'vitest';
import { newestPerApplication } from './newest-per-application.js';

describe('newestPerApplication', () => {
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 22, 10, minute));
  const change = (applicationId: string, minute: number, label: string) => ({ applicationId, at: at(minute), label });

  it('keeps the newest change of each application, of equal times the last, in first-seen order', () => {
    const kept = newestPerApplication(
      [change('a', 5, 'a5'), change('b', 1, 'b1'), change('a', 3, 'a3 stale'), change('a', 5, 'a5 again'), change('b', 2, 'b2')],
      (c) => c.at,
    );
    expect(kept.map((c) => c.label)).toEqual(['a5 again', 'b2']);
  });

  it('answers nothing for nothing', () => {
    expect(newestPerApplication([], (c: { applicationId: string; at: Date }) => c.at)).toEqual([]);
  });
});
