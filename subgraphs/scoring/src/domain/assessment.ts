import { type Explanation, explainScore, type Factor, reasonCodes, topFactors } from './explanation.js';
import type { ExtractedFeatures, ModelCard } from './features.js';
import { type ModelRecommendation, type Route, type RoutingApplication, type RoutingPolicy, route } from './routing.js';
import { pdToScore, riskBand } from './score-scale.js';

/** Everything a scoring decides, from the model's PD onwards. */
export interface Assessment {
  probabilityOfDefault: number;
  score: number;
  riskBand: string;
  route: Route;
  routeReason: string;
  modelRecommendation: ModelRecommendation;
  /** The factors raising the risk most (up to 5), then those lowering it most (up to 5). */
  topFactors: Factor[];
  /** Principal adverse-action reasons (up to 4, strongest first); [] when nothing raised the risk. */
  reasonCodes: { code: string; description: string }[];
}

export const TOP_FACTORS_EACH_WAY = 5;

/**
 * The PD comes from the ONNX model (the number that is stored and routed on);
 * the explanation is the same model recomputed in float64 — exact linear
 * contributions or TreeSHAP, by the card (explainScore) — which agrees with
 * it to ~1e-7, so the factors explain exactly the score that was given.
 * Pass `explanation` when it is already computed (model.explain).
 */
export function assess(
  probabilityOfDefault: number,
  features: ExtractedFeatures,
  card: ModelCard,
  policy: RoutingPolicy,
  application: RoutingApplication,
  explanation: Explanation = explainScore(features.modelInput, card),
): Assessment {
  const factors = topFactors(explanation, card, features.values, TOP_FACTORS_EACH_WAY);
  const decision = route(probabilityOfDefault, policy, application);
  return {
    probabilityOfDefault,
    score: pdToScore(probabilityOfDefault, card.scoreScaling),
    riskBand: riskBand(probabilityOfDefault, card.riskBands),
    route: decision.route,
    routeReason: decision.reason,
    modelRecommendation: decision.modelRecommendation,
    topFactors: [...factors.raisingRisk, ...factors.loweringRisk],
    reasonCodes: reasonCodes(explanation, card, features.values).map(({ code, description }) => ({ code, description })),
  };
}
