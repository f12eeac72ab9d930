import { describe, expect, it } from 'vitest';
import { cardProblems, comparePds, parseTestVectors } from './model-validation.js';

const card = {
  name: 'credit-default',
  version: '2.0.0',
  features: [{ name: 'debt_to_income' }, { name: 'past_arrears' }],
  onnx: { input: { name: 'features' }, output: { name: 'probability' } },
  thresholds: { autoApprove: 0.1, autoDecline: 0.5 },
  scoreScaling: {},
  riskBands: [],
};

describe('model validation', () => {
  it('accepts a servable card and names what is wrong with others', () => {
    expect(cardProblems(card, 'credit-default', '2.0.0')).toEqual([]);
    expect(cardProblems(card, 'credit-default', '2.0.1')).toEqual(['modelCard.version is "2.0.0", expected "2.0.1"']);
    expect(cardProblems({ ...card, features: [{ name: 'shoe_size' }] }, 'credit-default', '2.0.0')).toEqual([
      'modelCard.features has features Tandem cannot compute: shoe_size',
    ]);
    expect(cardProblems(card, 'Credit Default', '2.0.0')[0]).toMatch(/name must be/);
    expect(cardProblems(card, 'credit-default', '../x')[0]).toMatch(/version must be/);
    expect(cardProblems('nope', 'credit-default', '2.0.0')).toContain('modelCard must be a JSON object');
  });

  it('parses test vectors', () => {
    expect(parseTestVectors({ vectors: [] })).toMatch(/non-empty/);
    expect(parseTestVectors({ vectors: [{ expected: {} }] })).toMatch(/vectors\[0\]\.expected\.pd/);
    expect(parseTestVectors({ vectors: [{ expected: { pd: 0.2 } }] })).toEqual([{ expected: { pd: 0.2 } }]);
  });

  it('fails vectors more than 1e-5 off, and NaN', () => {
    const vectors = [{ expected: { pd: 0.2 } }, { expected: { pd: 0.3 } }, { expected: { pd: 0.4 } }];
    const check = comparePds(vectors, [0.200009, 0.30002, Number.NaN]);
    expect(check.failures.map((f) => f.index)).toEqual([1, 2]);
    expect(check.maxPdDifference).toBe(Number.POSITIVE_INFINITY);
    expect(comparePds(vectors.slice(0, 1), [0.200009]).maxPdDifference).toBeCloseTo(9e-6, 12);
  });
});
