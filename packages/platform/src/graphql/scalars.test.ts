import { describe, expect, it } from 'vitest';
import { Kind } from 'graphql';
import { MoneyScalar } from './scalars.js';

describe('Money', () => {
  it('accepts numbers and decimal strings with up to two decimals', () => {
    expect(MoneyScalar.parseValue(1200)).toBe(1200);
    expect(MoneyScalar.parseValue('1200.50')).toBe(1200.5);
    expect(MoneyScalar.parseValue(' 99.9 ')).toBe(99.9);
    expect(MoneyScalar.parseLiteral({ kind: Kind.STRING, value: '10.25' })).toBe(10.25);
    expect(MoneyScalar.parseLiteral({ kind: Kind.INT, value: '7' })).toBe(7);
  });
  it('refuses anything else with BAD_USER_INPUT', () => {
    for (const bad of ['12.345', 'lots', '', '1e5', Number.NaN, Number.POSITIVE_INFINITY, 0.001, true, null]) {
      try {
        MoneyScalar.parseValue(bad);
        expect.unreachable(`accepted ${String(bad)}`);
      } catch (err) {
        expect((err as { extensions?: { code?: string } }).extensions?.code).toBe('BAD_USER_INPUT');
      }
    }
  });
  it('serialises as a two-decimal string', () => {
    expect(MoneyScalar.serialize(1200)).toBe('1200.00');
    expect(MoneyScalar.serialize('332.1')).toBe('332.10');
  });
});
