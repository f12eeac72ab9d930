import { describe, expect, it } from 'vitest';
import { operationLabeller } from './metrics-plugin.js';

describe('operation labels', () => {
  it('keeps the first names, then counts the rest as "other" so callers cannot grow /metrics without bound', () => {
    const labelOf = operationLabeller(2);
    expect(labelOf('Queue')).toBe('Queue');
    expect(labelOf(undefined)).toBe('anonymous');
    expect(labelOf('Random1')).toBe('other');
    expect(labelOf('Queue')).toBe('Queue');
    expect(labelOf(null)).toBe('anonymous');
  });
});
