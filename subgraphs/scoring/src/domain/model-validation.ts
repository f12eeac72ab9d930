/**
 * What a model version must satisfy before the registry accepts it: a card
 * Tandem can serve, and test vectors the ONNX file reproduces.
 */

import { type ModelCard, SUPPORTED_FEATURES } from './features.js';

export const PD_TOLERANCE = 1e-5;
export const FEATURE_TOLERANCE = 1e-6;
const VERSION = /^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$/;
const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

export interface TestVector {
  input?: unknown;
  expected: { pd: number; features?: number[] };
}

/** Problems with a card (empty when it can be served). */
export function cardProblems(card: unknown, name: string, version: string): string[] {
  const problems: string[] = [];
  if (!NAME.test(name)) problems.push('name must be lower-case letters, digits and dashes');
  if (!VERSION.test(version)) problems.push('version must be letters, digits and . _ + - (at most 64)');
  if (typeof card !== 'object' || card === null) return [...problems, 'modelCard must be a JSON object'];
  const c = card as Partial<ModelCard>;
  if (c.name !== name) problems.push(`modelCard.name is ${JSON.stringify(c.name)}, expected ${JSON.stringify(name)}`);
  if (c.version !== version) problems.push(`modelCard.version is ${JSON.stringify(c.version)}, expected ${JSON.stringify(version)}`);
  if (!Array.isArray(c.features) || c.features.length === 0) problems.push('modelCard.features must list the model inputs');
  else {
    const unknown = c.features.map((f) => f?.name).filter((n) => !SUPPORTED_FEATURES.includes(n));
    if (unknown.length) problems.push(`modelCard.features has features Tandem cannot compute: ${unknown.join(', ')}`);
  }
  if (typeof c.onnx?.input?.name !== 'string' || typeof c.onnx?.output?.name !== 'string') problems.push('modelCard.onnx must name the input and output');
  if (typeof c.thresholds?.autoApprove !== 'number' || typeof c.thresholds?.autoDecline !== 'number')
    problems.push('modelCard.thresholds must give autoApprove and autoDecline');
  if (!c.scoreScaling || !Array.isArray(c.riskBands)) problems.push('modelCard must give scoreScaling and riskBands');
  return problems;
}

/** The vectors of a test-vectors.json, or a problem. */
export function parseTestVectors(json: unknown): TestVector[] | string {
  const vectors = (json as { vectors?: unknown })?.vectors;
  if (!Array.isArray(vectors) || vectors.length === 0) return 'testVectors must be an object with a non-empty "vectors" array';
  for (const [i, v] of vectors.entries()) {
    if (typeof v?.expected?.pd !== 'number') return `testVectors.vectors[${i}].expected.pd must be a number`;
    if (v.expected.features !== undefined && !Array.isArray(v.expected.features)) return `testVectors.vectors[${i}].expected.features must be an array`;
  }
  return vectors as TestVector[];
}

export interface VectorCheck {
  maxPdDifference: number;
  /** indices and differences of the vectors off by more than the tolerance */
  failures: { index: number; expected: number; actual: number }[];
}

export function comparePds(vectors: readonly TestVector[], actual: readonly number[], tolerance = PD_TOLERANCE): VectorCheck {
  let maxPdDifference = 0;
  const failures: VectorCheck['failures'] = [];
  vectors.forEach((v, index) => {
    const a = actual[index] as number;
    const diff = Math.abs(a - v.expected.pd);
    if (!(diff <= tolerance)) failures.push({ index, expected: v.expected.pd, actual: a });
    maxPdDifference = Math.max(maxPdDifference, Number.isFinite(diff) ? diff : Number.POSITIVE_INFINITY);
  });
  return { maxPdDifference, failures };
}
