/**
 * Scoring kernel, in process, with the real default model (credit-default
 * 1.0.0: ONNX trees through onnxruntime-node, TreeSHAP in TypeScript):
 *
 * - single: one application at a time, the path a submitted application takes
 *   (features → onnxruntime PD → TreeSHAP → top factors, reason codes, route);
 *   latency per application, target p99 < 2 ms;
 * - batch: 1,000 applications per call, PD from one onnxruntime run, TreeSHAP
 *   for all of them in one tree-major pass (model.explainBatch: the same
 *   values as one by one), then factors, reasons and route per application;
 *   throughput in applications/s, target ≥ 20,000/s (a second row gives the
 *   PD-only batch for comparison).
 *
 * Inputs cycle through the model's test vectors (real holdout applications).
 * Bounded like every bench: by time and by count.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assess,
  DEFAULT_MODEL_NAME,
  DEFAULT_MODEL_VERSION,
  defaultModelsDir,
  extractFeatures,
  loadDefaultCreditModel,
  type ModelScoringInput,
  modelCardPolicy,
  modelVersionDir,
} from '@tandem/scoring';
import { type LoadResult, runLoad } from './load-runner.js';

export const SCORING_BATCH_SIZE = 1_000;

export async function runScoringBench(opts: { seconds?: number } = {}): Promise<LoadResult[]> {
  const durationMs = (opts.seconds ?? Number(process.env.BENCH_SCORING_SECONDS ?? 5)) * 1000;
  const model = await loadDefaultCreditModel();
  const card = model.card;
  const policy = modelCardPolicy(card);
  const versionDir = modelVersionDir(defaultModelsDir(), DEFAULT_MODEL_NAME, DEFAULT_MODEL_VERSION);
  const inputs = (JSON.parse(readFileSync(join(versionDir, 'test-vectors.json'), 'utf8')) as { vectors: { input: ModelScoringInput }[] }).vectors.map(
    (v) => v.input,
  );
  const input = (i: number) => inputs[i % inputs.length] as ModelScoringInput;

  const scoreAndExplain = (i: number, pd: number) => {
    const features = extractFeatures(input(i), card);
    return assess(pd, features, card, policy, { amount: input(i).amount, termMonths: input(i).termMonths }, model.explain(features.modelInput));
  };

  // Warm-up: JIT, onnxruntime's first run allocations.
  for (let i = 0; i < 200; i++) scoreAndExplain(i, await model.score(extractFeatures(input(i), card).vector));
  const warmFeatures = Array.from({ length: SCORING_BATCH_SIZE }, (_, i) => extractFeatures(input(i), card));
  await model.scoreBatch(warmFeatures.map((f) => f.vector));
  model.explainBatch(warmFeatures.map((f) => f.modelInput));

  const single = await runLoad(
    `scoring: single score + SHAP (${DEFAULT_MODEL_VERSION})`,
    { concurrency: 1, durationMs, maxRequests: 200_000, target: 'target p99 < 2 ms' },
    async (_w, i) => {
      const features = extractFeatures(input(i), card);
      const pd = await model.score(features.vector);
      const a = assess(pd, features, card, policy, { amount: input(i).amount, termMonths: input(i).termMonths }, model.explain(features.modelInput));
      return a.topFactors.length > 0;
    },
  );

  // What a batch caller does: features, one onnxruntime run, one TreeSHAP pass over all rows (tree-major), then
  // each application's factors, reasons and route. Inputs and routing facts are prepared once, outside the timing.
  const applications = inputs.map((a) => ({ amount: a.amount, termMonths: a.termMonths }));
  const batch = async (explainToo: boolean, i: number) => {
    const offset = i * SCORING_BATCH_SIZE;
    const features = Array.from({ length: SCORING_BATCH_SIZE }, (_, k) => extractFeatures(input(offset + k), card));
    const pds = await model.scoreBatch(features.map((f) => f.vector));
    if (explainToo) {
      const explanations = model.explainBatch(features.map((f) => f.modelInput));
      for (let k = 0; k < SCORING_BATCH_SIZE; k++) {
        const application = applications[(offset + k) % applications.length] as (typeof applications)[number];
        assess(pds[k] as number, features[k] as (typeof features)[number], card, policy, application, explanations[k]);
      }
    }
    return pds.length === SCORING_BATCH_SIZE;
  };
  const perApplication = (r: LoadResult, target: string): LoadResult => ({
    ...r,
    requests: r.requests * SCORING_BATCH_SIZE,
    errors: r.errors * SCORING_BATCH_SIZE,
    throughput: r.throughput * SCORING_BATCH_SIZE,
    target: `${target} (p50/p99 per batch of ${SCORING_BATCH_SIZE})`,
  });
  const withShap = await runLoad(`scoring: batch ${SCORING_BATCH_SIZE} + SHAP`, { concurrency: 1, durationMs, maxRequests: 10_000 }, (_w, i) => batch(true, i));
  const pdOnly = await runLoad(`scoring: batch ${SCORING_BATCH_SIZE}, PD only`, { concurrency: 1, durationMs, maxRequests: 10_000 }, (_w, i) =>
    batch(false, i),
  );
  return [single, perApplication(withShap, 'target >= 20,000 applications/s'), perApplication(pdOnly, 'PD + features, no explanation')];
}
