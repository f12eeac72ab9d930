/**
 * credit-default 1.0.0 contract: the trees read from model.onnx, evaluated
 * and explained in TypeScript, reproduce xgboost's own numbers (PD, margin,
 * pred_contribs) on the test vectors, and onnxruntime agrees with them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { assess } from '../domain/assessment.js';
import { explainScore } from '../domain/explanation.js';
import { extractFeatures, type ModelCard, type ScoringInput } from '../domain/features.js';
import { REASON_CODES } from '../domain/reason-codes.js';
import { predictMargin, sigmoid, type TreeEnsemble } from '../domain/tree-ensemble.js';
import { createIntervalTableShap, treeShap } from '../domain/tree-shap.js';
import { DEFAULT_MODEL_VERSION, defaultModelsDir, loadCreditModel, loadDefaultCreditModel, modelVersionDir } from './onnx-model.js';
import { readOnnxTreeEnsemble, treeEnsembleFromOnnx } from './onnx-trees.js';

interface TreeTestVector {
  csvRow: number;
  input: ScoringInput;
  expected: { features: number[]; contributions: number[]; bias: number; logit: number; pd: number };
}

const versionDir = modelVersionDir(defaultModelsDir(), 'credit-default', '1.0.0');
const card = JSON.parse(readFileSync(join(versionDir, 'model-card.json'), 'utf8')) as ModelCard;
const testVectors = JSON.parse(readFileSync(join(versionDir, 'test-vectors.json'), 'utf8')) as {
  featureNames: string[];
  baseValue: number;
  vectors: TreeTestVector[];
};
const vectors = testVectors.vectors.map((tv) => extractFeatures(tv.input, card).vector);

let ensemble: TreeEnsemble;
beforeAll(async () => {
  ensemble = await readOnnxTreeEnsemble(join(versionDir, 'model.onnx'), card.features.length);
});

describe('trees read from credit-default 1.0.0 model.onnx', () => {
  it('are the trees the model card describes', () => {
    expect(ensemble.trees).toHaveLength(card.onnx.trees as number);
    expect(ensemble.trees.reduce((n, t) => n + t.left.length, 0)).toBe(card.onnx.nodes);
    expect(ensemble.featureCount).toBe(testVectors.featureNames.length);
  });

  it('reproduce xgboost margin and PD within 1e-6 on all test vectors', () => {
    expect(testVectors.vectors.length).toBeGreaterThanOrEqual(20);
    testVectors.vectors.forEach((tv, k) => {
      const margin = predictMargin(ensemble, vectors[k] as Float32Array);
      expect(Math.abs(margin - tv.expected.logit), `row ${tv.csvRow}`).toBeLessThan(1e-5);
      expect(Math.abs(sigmoid(margin) - tv.expected.pd), `row ${tv.csvRow}`).toBeLessThan(1e-6);
    });
  });

  it('TreeSHAP equals xgboost pred_contribs within 1e-6, bias included', () => {
    let worst = 0;
    testVectors.vectors.forEach((tv, k) => {
      const shap = treeShap(ensemble, vectors[k] as Float32Array);
      expect(Math.abs(shap.bias - tv.expected.bias), `row ${tv.csvRow} bias`).toBeLessThan(1e-6);
      tv.expected.contributions.forEach((c, i) => {
        const diff = Math.abs((shap.contributions[i] as number) - c);
        worst = Math.max(worst, diff);
        expect(diff, `row ${tv.csvRow} ${testVectors.featureNames[i]}`).toBeLessThan(1e-6);
      });
      // Local accuracy: bias + Σ SHAP = the margin the trees give (exactly in float64, to float32 rounding as xgboost sums)
      const exact = treeShap(ensemble, vectors[k] as Float32Array, { accumulate: 'float64' });
      const margin = predictMargin(ensemble, vectors[k] as Float32Array);
      expect(exact.contributions.reduce((s, c) => s + c, exact.bias)).toBeCloseTo(margin, 9);
      expect(Math.abs(shap.contributions.reduce((s, c) => s + c, shap.bias) - margin)).toBeLessThan(1e-5);
    });
    expect(worst).toBeLessThan(5e-7); // float32 summation as xgboost: within ~1 float32 ulp, inside the 1e-6 contract
    expect(testVectors.baseValue).toBe(testVectors.vectors[0]?.expected.bias);
  });

  it('onnxruntime PD equals xgboost PD within 1e-6 (float32 throughout)', async () => {
    const session = await ort.InferenceSession.create(join(versionDir, 'model.onnx'));
    const f = card.features.length;
    const batch = new Float32Array(vectors.length * f);
    vectors.forEach((v, row) => {
      batch.set(v, row * f);
    });
    const out = await session.run({ features: new ort.Tensor('float32', batch, [vectors.length, f]) });
    const pds = out.probability?.data as Float32Array;
    testVectors.vectors.forEach((tv, k) => {
      expect(Math.abs((pds[k] as number) - tv.expected.pd), `row ${tv.csvRow}`).toBeLessThan(1e-6);
    });
    await session.release();
  });
});

describe('treeEnsembleFromOnnx', () => {
  const bytes = readFileSync(join(versionDir, 'model.onnx'));

  it('refuses a model without a tree ensemble (the logistic 0.1.0)', () => {
    const linear = readFileSync(join(modelVersionDir(defaultModelsDir(), 'credit-default', '0.1.0'), 'model.onnx'));
    expect(() => treeEnsembleFromOnnx(linear, 19)).toThrow(/TreeEnsembleRegressor/);
  });

  it('refuses trees that split on a feature the model has no input for', () => {
    expect(() => treeEnsembleFromOnnx(bytes, 5)).toThrow(/out of range/);
  });

  it('refuses bytes that are not an ONNX model', () => {
    expect(() => treeEnsembleFromOnnx(new Uint8Array([0xff, 0xff, 0xff, 0xff]), 19)).toThrow();
  });
});

describe('OnnxCreditModel serving credit-default 1.0.0', () => {
  it('is the default model and explains by TreeSHAP over its own trees', async () => {
    const model = await loadDefaultCreditModel();
    expect(DEFAULT_MODEL_VERSION).toBe('1.0.0');
    expect(model).toBe(await loadCreditModel(versionDir));
    expect(model.card.version).toBe('1.0.0');
    expect(model.explanationMethod).toBe('tree-shap');
    expect(model.trees?.trees).toHaveLength(card.onnx.trees as number);
    // small enough for the fastest exact path (per-tree interval tables)
    expect(createIntervalTableShap(model.trees as TreeEnsemble)).not.toBeNull();
  });

  it('explains each test vector with xgboost pred_contribs, and the explanation matches the ONNX PD', async () => {
    const model = await loadCreditModel(versionDir);
    const pds = await model.scoreBatch(vectors);
    testVectors.vectors.forEach((tv, k) => {
      const { modelInput } = extractFeatures(tv.input, model.card);
      const e = model.explain(modelInput);
      expect(e.baseValue).toBe(tv.expected.bias);
      e.contributions.forEach((c, i) => {
        expect(c.feature).toBe(testVectors.featureNames[i]);
        expect(Math.abs(c.contribution - (tv.expected.contributions[i] as number))).toBeLessThan(1e-6);
      });
      expect(Math.abs(e.pd - (pds[k] as number))).toBeLessThan(1e-6);
      // assess() reaches the same explainer through the card the model holds
      expect(explainScore(modelInput, model.card)).toEqual(e);
    });
  });

  it('explains a batch as it explains each row, bit for bit, and within 1e-6 of pred_contribs', async () => {
    const model = await loadCreditModel(versionDir);
    const inputs = testVectors.vectors.map((tv) => extractFeatures(tv.input, model.card).modelInput);
    // a missing value leaves the interval tables for the per-leaf ones, inside the same batch
    const withMissing = [...(inputs[0] as number[])];
    withMissing[0] = Number.NaN;
    const rows = [...inputs, withMissing, ...inputs];
    const batch = model.explainBatch(rows);
    expect(batch).toHaveLength(rows.length);
    batch.forEach((e, k) => {
      expect(e, `row ${k}`).toEqual(model.explain(rows[k] as number[]));
    });
    let worst = 0;
    testVectors.vectors.forEach((tv, k) => {
      (batch[k]?.contributions ?? []).forEach((c, i) => {
        worst = Math.max(worst, Math.abs(c.contribution - (tv.expected.contributions[i] as number)));
      });
    });
    expect(worst).toBeLessThan(1e-6);
    expect(model.explainBatch([])).toEqual([]);
  });

  it('refuses to explain a tree card that no loaded model holds (its trees are not in the card)', () => {
    const { modelInput } = extractFeatures(testVectors.vectors[0]?.input as ScoringInput, card);
    expect(() => explainScore(modelInput, card)).toThrow(/tree-shap/);
  });

  it('builds top factors and reason codes from the SHAP values', async () => {
    const model = await loadCreditModel(versionDir);
    const policy = { autoApproveBelow: card.thresholds.autoApprove, autoDeclineAbove: card.thresholds.autoDecline, maxAutoAmount: 1e9 };
    let declines = 0;
    for (const [k, tv] of testVectors.vectors.entries()) {
      const features = extractFeatures(tv.input, model.card);
      const pd = (await model.scoreBatch([vectors[k] as Float32Array]))[0] as number;
      const a = assess(pd, features, model.card, policy, { amount: tv.input.amount, termMonths: tv.input.termMonths });
      const e = model.explain(features.modelInput);
      const raising = a.topFactors.filter((f) => f.impact > 0);
      const lowering = a.topFactors.filter((f) => f.impact < 0);
      expect(raising.length + lowering.length).toBe(a.topFactors.length);
      expect(raising.length).toBeLessThanOrEqual(5);
      expect(lowering.length).toBeLessThanOrEqual(5);
      // the strongest risk-raising factor is the largest positive SHAP value (or one-hot group sum)
      if (raising[0]) {
        const shapOf = (name: string) =>
          e.contributions.filter((c, i) => (model.card.features[i]?.group ?? c.feature) === name).reduce((s, c) => s + c.contribution, 0);
        expect(raising[0].impact).toBeCloseTo(shapOf(raising[0].feature), 12);
      }
      expect(a.reasonCodes.length).toBeLessThanOrEqual(4);
      for (const r of a.reasonCodes) expect(r.description).toBe(REASON_CODES[r.code as keyof typeof REASON_CODES]);
      if (a.modelRecommendation === 'DECLINE') {
        declines++;
        expect(a.reasonCodes.length).toBeGreaterThanOrEqual(1);
      }
    }
    expect(declines).toBeGreaterThan(0);
  });
});
