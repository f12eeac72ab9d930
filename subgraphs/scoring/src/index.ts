// The in-process scoring kernel (bench/src/scoring-bench.ts, the model registry): load a model version, extract, score, explain.
export {
  DEFAULT_MODEL_NAME,
  DEFAULT_MODEL_VERSION,
  defaultModelsDir,
  loadCreditModel,
  loadDefaultCreditModel,
  modelVersionDir,
  OnnxCreditModel,
} from './data/onnx-model.js';
export { assess } from './domain/assessment.js';
export { type Explanation, explainScore } from './domain/explanation.js';
export { extractFeatures, type ModelCard, type ScoringInput as ModelScoringInput } from './domain/features.js';
export { modelCardPolicy } from './domain/routing-policy.js';
export type { ScoringServices } from './server.js';
export { scoringSubgraph } from './server.js';
