/**
 * A credit model version on disk (model.onnx + model-card.json) behind an
 * onnxruntime session. Loaded once per directory and shared; scoring is batch
 * first because one session.run over N rows costs about what one row does.
 *
 * Model-agnostic explanations: a tree model's trees are read from the same
 * model.onnx (onnx-trees.ts) and explained by TreeSHAP; a logistic model by
 * its card's coefficients. `model.explain(modelInput)` does either, and the
 * explainer is registered for `model.card` so `explainScore(x, model.card)`
 * (used by assess) does too.
 */

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { type Explainer, type Explanation, explain, explanationFromShap, explanationMethod, registerExplainer } from '../domain/explanation.js';
import type { ModelCard } from '../domain/features.js';
import type { TreeEnsemble } from '../domain/tree-ensemble.js';
import { createTreeShap } from '../domain/tree-shap.js';
import { treeEnsembleFromOnnx } from './onnx-trees.js';

/**
 * `<repo>/models`, found by walking up from this file until a directory has
 * models/package.json. Works from src/data (vitest, tsx) and from any dist/
 * layout tsc produces, without counting `..`s.
 */
export function defaultModelsDir(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, 'models');
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no models/ directory found above ${from}`);
    dir = parent;
  }
}

export function modelVersionDir(modelsDir: string, name: string, version: string): string {
  return join(modelsDir, name, version);
}

export async function readModelCard(versionDir: string): Promise<ModelCard> {
  return JSON.parse(await readFile(join(versionDir, 'model-card.json'), 'utf8')) as ModelCard;
}

/** The default served model version (1.0.0: XGBoost; 0.1.0, the logistic baseline, stays loadable). */
export const DEFAULT_MODEL_NAME = 'credit-default';
export const DEFAULT_MODEL_VERSION = '1.0.0';

export class OnnxCreditModel {
  readonly featureCount: number;
  /** the trees onnxruntime evaluates, read from model.onnx; null for a non-tree model */
  readonly trees: TreeEnsemble | null;
  /** sha256 (hex) of model.onnx: identifies the exact model a score came from */
  readonly sha256: string;
  readonly #inputName: string;
  readonly #outputName: string;
  readonly #explainer: Explainer;
  readonly #explainBatch: (modelInputs: readonly ArrayLike<number>[]) => Explanation[];

  private constructor(
    readonly directory: string,
    readonly card: ModelCard,
    private readonly session: ort.InferenceSession,
    trees: TreeEnsemble | null,
    sha256: string,
  ) {
    this.featureCount = card.features.length;
    this.trees = trees;
    this.sha256 = sha256;
    this.#inputName = card.onnx.input.name;
    this.#outputName = card.onnx.output.name;
    if (!session.inputNames.includes(this.#inputName) || !session.outputNames.includes(this.#outputName)) {
      throw new Error(
        `${directory}: model.onnx has inputs [${session.inputNames}] / outputs [${session.outputNames}], ` +
          `card expects ${this.#inputName} → ${this.#outputName}`,
      );
    }
    if (trees) {
      const shap = createTreeShap(trees);
      this.#explainer = (x) => {
        const { bias, contributions } = shap(x);
        return explanationFromShap(card, bias, contributions);
      };
      this.#explainBatch = (rows) => shap.batch(rows).map(({ bias, contributions }) => explanationFromShap(card, bias, contributions));
    } else {
      this.#explainer = (x) => explain(x, card);
      this.#explainBatch = (rows) => rows.map((x) => explain(x, card));
    }
    registerExplainer(card, this.#explainer);
  }

  /** "linear" (logistic card) or "tree-shap" (tree card), as the model card says. */
  get explanationMethod(): 'linear' | 'tree-shap' {
    return explanationMethod(this.card);
  }

  /**
   * Exact explanation of one row (float64 model input, card order): logit =
   * baseValue + Σ contributions, equal to the PD scoreBatch gives up to float32 rounding.
   */
  explain(modelInput: ArrayLike<number>): Explanation {
    return this.#explainer(modelInput);
  }

  /** explain() of each row, the same values; for a batch, TreeSHAP walks the trees once for all rows (cache-friendly). */
  explainBatch(modelInputs: readonly ArrayLike<number>[]): Explanation[] {
    return this.#explainBatch(modelInputs);
  }

  /** Opens a version directory without caching; prefer loadCreditModel. */
  static async open(versionDir: string): Promise<OnnxCreditModel> {
    const card = await readModelCard(versionDir);
    const onnxBytes = await readFile(join(versionDir, card.onnx.file));
    // Trees are read (and validated) before the session exists, so a bad file leaks nothing.
    const trees = explanationMethod(card) === 'tree-shap' ? treeEnsembleFromOnnx(onnxBytes, card.features.length) : null;
    // Small graphs on small batches: extra threads only add hand-off cost.
    const session = await ort.InferenceSession.create(onnxBytes, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
    });
    return new OnnxCreditModel(versionDir, card, session, trees, createHash('sha256').update(onnxBytes).digest('hex'));
  }

  /** Probability of default per vector (vectors from extractFeatures, card order). */
  async scoreBatch(vectors: readonly Float32Array[]): Promise<number[]> {
    if (vectors.length === 0) return [];
    const f = this.featureCount;
    const batch = new Float32Array(vectors.length * f);
    vectors.forEach((v, row) => {
      if (v.length !== f) throw new RangeError(`vector ${row} has ${v.length} features, model expects ${f}`);
      batch.set(v, row * f);
    });
    const input = new ort.Tensor('float32', batch, [vectors.length, f]);
    const output = await this.session.run({ [this.#inputName]: input });
    const probabilities = output[this.#outputName];
    if (!probabilities) throw new Error(`model produced no "${this.#outputName}" output`);
    return Array.from(probabilities.data as Float32Array);
  }

  async score(vector: Float32Array): Promise<number> {
    const [pd] = await this.scoreBatch([vector]);
    return pd as number;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

const loaded = new Map<string, Promise<OnnxCreditModel>>();

/**
 * The model in `versionDir`, loaded on first use and shared afterwards
 * (concurrent first calls share one load; a failed load is not cached).
 */
export function loadCreditModel(versionDir: string): Promise<OnnxCreditModel> {
  const key = resolve(versionDir);
  let model = loaded.get(key);
  if (!model) {
    model = OnnxCreditModel.open(key);
    loaded.set(key, model);
    model.catch(() => loaded.delete(key));
  }
  return model;
}

/** Convenience: `<repo>/models/<name>/<version>` via defaultModelsDir. */
export function loadDefaultCreditModel(name = DEFAULT_MODEL_NAME, version = DEFAULT_MODEL_VERSION): Promise<OnnxCreditModel> {
  return loadCreditModel(modelVersionDir(defaultModelsDir(), name, version));
}
