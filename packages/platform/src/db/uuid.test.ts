import { describe, expect, it } from 'vitest';
import { isUuid, uuidArray } from './uuid.js';

describe('uuids', () => {
  const a = '0b6b7f3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
  const b = 'F0E1D2C3-B4A5-4968-8776-655443322110';

  it('tells a uuid from anything else', () => {
    expect(isUuid(a)).toBe(true);
    expect(isUuid(b)).toBe(true);
    expect(isUuid(`${a} `)).toBe(false);
    expect(isUuid(42)).toBe(false);
  });

  it('writes an array literal of uuids, and refuses what would change its shape', () => {
    expect(uuidArray([a, b])).toBe(`{${a},${b}}`);
    expect(uuidArray([])).toBe('{}');
    expect(() => uuidArray([a, `${a},${b}`])).toThrow(TypeError);
    expect(() => uuidArray(['}'])).toThrow('not a uuid');
  });
});
