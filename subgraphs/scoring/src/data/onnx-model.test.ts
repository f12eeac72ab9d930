/**
 * The Python ↔ TypeScript ↔ onnxruntime contract, on the real model: the test
 * vectors were written by models/training/train.py from holdout applications.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain } from '../domain/explanation.js';
import { extractFeatures, type ScoringInput } from '../domain/features.js';
import { pdToPoints, riskBand } from '../domain/score-scale.js';
import { defaultModelsDir, loadCreditModel, modelVersionDir, type OnnxCreditModel } from './onnx-model.js';

interface TestVector {
  csvRow: number;
  input: ScoringInput;
  expected: {
    values: Record<string, number | null>;
    features: number[];
    contributions: number[];
    logit: number;
    pd: number;
    scorePoints: number;
    riskBand: string;
  };
}

const versionDir = modelVersionDir(defaultModelsDir(), 'credit-default', '0.1.0');
const testVectors = JSON.parse(readFileSync(join(versionDir, 'test-vectors.json'), 'utf8')) as {
  featureNames: string[];
  baseValue: number;
  vectors: TestVector[];
};

let model: OnnxCreditModel;
beforeAll(async () => {
  model = await loadCreditModel(versionDir);
});
afterAll(async () => {
  // The instance is cached module-wide; releasing is fine because the test process ends here.
  await model.release();
});

describe('defaultModelsDir', () => {
  it('finds <repo>/models from src/ and from a compiled dist/ location alike', () => {
    const here = fileURLToPath(new URL('.', import.meta.url));
    const fromDist = join(here, '..', '..', 'dist', 'data');
    expect(defaultModelsDir(fromDist)).toBe(defaultModelsDir(here));
    expect(defaultModelsDir(here)).toBe(join(here, '..', '..', '..', '..', 'models'));
  });
});

describe('credit-default 0.1.0 test vectors', () => {
  it('covers 20 holdout applications, some with missing financials', () => {
    expect(testVectors.vectors).toHaveLength(20);
    expect(testVectors.vectors.some((v) => v.input.monthlyIncome === null)).toBe(true);
    expect(testVectors.featureNames).toEqual(model.card.features.map((f) => f.name));
  });

  it('TypeScript features equal the Python features', () => {
    for (const tv of testVectors.vectors) {
      const { vector, modelInput, values } = extractFeatures(tv.input, model.card);
      expect(Object.keys(values)).toEqual(Object.keys(tv.expected.values));
      for (const [name, expected] of Object.entries(tv.expected.values)) {
        if (expected === null) expect(values[name], `row ${tv.csvRow} ${name}`).toBeNull();
        else expect(values[name], `row ${tv.csvRow} ${name}`).toBeCloseTo(expected, 9);
      }
      tv.expected.features.forEach((x, i) => {
        expect(Math.abs((modelInput[i] as number) - x), `row ${tv.csvRow} ${testVectors.featureNames[i]}`).toBeLessThan(
          1e-6,
        );
        // float32 rounding, relative to magnitude (term_months is ~60)
        expect(Math.abs((vector[i] as number) - x)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(x)));
      });
    }
  });

  it('onnxruntime PD equals the Python PD (one batch and one by one)', async () => {
    const vectors = testVectors.vectors.map((tv) => extractFeatures(tv.input, model.card).vector);
    const pds = await model.scoreBatch(vectors);
    expect(pds).toHaveLength(testVectors.vectors.length);
    testVectors.vectors.forEach((tv, k) => {
      expect(Math.abs((pds[k] as number) - tv.expected.pd), `row ${tv.csvRow}`).toBeLessThan(1e-5);
    });
    const single = await model.score(vectors[3] as Float32Array);
    expect(single).toBe(pds[3]);
  });

  it('contributions, logit, score and band equal the Python ones', () => {
    for (const tv of testVectors.vectors) {
      const e = explain(extractFeatures(tv.input, model.card).modelInput, model.card);
      expect(e.baseValue).toBe(testVectors.baseValue);
      e.contributions.forEach((c, i) => {
        expect(c.feature).toBe(testVectors.featureNames[i]);
        expect(
          Math.abs(c.contribution - (tv.expected.contributions[i] as number)),
          `row ${tv.csvRow} ${c.feature}`,
        ).toBeLessThan(1e-6);
      });
      expect(e.logit).toBeCloseTo(tv.expected.logit, 6);
      expect(Math.abs(e.pd - tv.expected.pd)).toBeLessThan(1e-9);
      expect(pdToPoints(e.pd, model.card.scoreScaling)).toBeCloseTo(tv.expected.scorePoints, 6);
      expect(riskBand(e.pd, model.card.riskBands)).toBe(tv.expected.riskBand);
    }
  });
});

describe('OnnxCreditModel', () => {
  it('is loaded once per directory', async () => {
    expect(loadCreditModel(versionDir)).toBe(loadCreditModel(`${versionDir}/`));
    expect(await loadCreditModel(versionDir)).toBe(model);
  });

  it('scores an empty batch as empty and refuses vectors of the wrong width', async () => {
    expect(await model.scoreBatch([])).toEqual([]);
    await expect(model.scoreBatch([new Float32Array(model.featureCount - 1)])).rejects.toThrow(
      /features, model expects/,
    );
  });

  it('ranks a clearly risky application above a clearly solid one', async () => {
    const base: ScoringInput = {
      monthlyIncome: 300,
      monthlyExpenses: 45,
      assets: 20000,
      debt: 0,
      pastArrears: false,
      amount: 600,
      termMonths: 24,
      goodsPrice: 1500,
      housing: 'OWNER',
      employmentType: 'FIXED',
      yearsEmployed: 15,
    };
    const risky: ScoringInput = {
      ...base,
      monthlyIncome: 80,
      monthlyExpenses: 75,
      assets: 0,
      debt: 2000,
      pastArrears: true,
      amount: 2500,
      termMonths: 60,
      goodsPrice: 2600,
      housing: 'RENT',
      employmentType: 'PART_TIME',
      yearsEmployed: 0,
    };
    const [solidPd, riskyPd] = await model.scoreBatch([
      extractFeatures(base, model.card).vector,
      extractFeatures(risky, model.card).vector,
    ]);
    expect(solidPd).toBeLessThan(model.card.thresholds.autoApprove);
    expect(riskyPd).toBeGreaterThan(model.card.thresholds.autoDecline);
  });
});
