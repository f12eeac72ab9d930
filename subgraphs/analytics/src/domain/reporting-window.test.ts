import { describe, expect, it } from 'vitest';
import { MAX_WINDOW_DAYS, windowProblem } from './reporting-window.js';

const at = (iso: string) => new Date(iso);
const DAY_MS = 86_400_000;

describe('windowProblem', () => {
  it('accepts a window where from is before to', () => {
    expect(windowProblem({ from: at('2025-01-01T00:00:00Z'), to: at('2025-02-01T00:00:00Z') })).toBeNull();
    expect(windowProblem({ from: at('2025-01-01T00:00:00.000Z'), to: at('2025-01-01T00:00:00.001Z') })).toBeNull();
  });
  it('rejects a reversed or empty window', () => {
    expect(windowProblem({ from: at('2025-02-01T00:00:00Z'), to: at('2025-01-01T00:00:00Z') })).toBe('from must be earlier than to');
    expect(windowProblem({ from: at('2025-01-01T00:00:00Z'), to: at('2025-01-01T00:00:00Z') })).toBe('from must be earlier than to');
  });
  it('allows exactly 366 days and rejects anything longer', () => {
    const from = at('2024-01-01T00:00:00Z');
    expect(windowProblem({ from, to: new Date(from.getTime() + MAX_WINDOW_DAYS * DAY_MS) })).toBeNull();
    expect(windowProblem({ from, to: new Date(from.getTime() + MAX_WINDOW_DAYS * DAY_MS + 1) })).toBe('the window may span at most 366 days');
  });
  it('rejects invalid dates', () => {
    expect(windowProblem({ from: new Date(Number.NaN), to: at('2025-01-01T00:00:00Z') })).toBe('from and to must be valid date-times');
  });
});
