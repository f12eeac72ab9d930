import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageWindow, toConnection } from './connection.js';

describe('Relay connections', () => {
  it('round-trips opaque cursors and refuses forged ones', () => {
    expect(decodeCursor(encodeCursor(41))).toBe(41);
    expect(() => decodeCursor('bm9wZQ')).toThrow(/Invalid cursor/);
  });
  it('turns first/after into a window and bounds the page size', () => {
    expect(pageWindow(10, encodeCursor(9))).toEqual({ limit: 10, offset: 10 });
    expect(pageWindow(undefined, undefined)).toEqual({ limit: 20, offset: 0 });
    expect(() => pageWindow(1000, null)).toThrow(/between 0 and 100/);
    expect(() => pageWindow(-1, null)).toThrow();
  });
  it('reports page info from the total', () => {
    const c = toConnection(['a', 'b'], 5, 2);
    expect(c.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect(decodeCursor(c.pageInfo.endCursor!)).toBe(3);
    expect(toConnection([], 0, 0).pageInfo).toMatchObject({ hasNextPage: false, startCursor: null, endCursor: null });
  });
});
