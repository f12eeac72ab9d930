/**
 * Exact explanations, in logit space, for whichever kind of model scored:
 *
 * - logistic cards (no `explanation`, or method "linear"): `explain` below;
 * - tree cards (method "tree-shap"): TreeSHAP over the trees in the model's
 *   ONNX file (tree-shap.ts), registered for the card by the model loader
 *   (data/onnx-model.ts) because the trees are not in the card.
 *
 * `explainScore(modelInput, card)` picks the right one. Both give the same
 * Explanation shape, so top factors and reason codes below do not care.
 *
 * For the standardised logistic model:
 *
 *   contribution_i = coefficient_i · (x_i − mean_i) / std_i     (logit space)
 *   logit = baseValue + Σ contribution_i,   baseValue = intercept
 *
 * The base value is the logit of an applicant sitting at the training mean of
 * every feature; a positive contribution raises the PD relative to that
 * applicant. No sampling or approximation: this is the model itself.
 *
 * One-hot features of one input (group "housing", "employment_type") are
 * reported as one factor / one reason with their contributions summed, because
 * "not owning" and "renting" are the same fact seen through two dummies.
 */

import type { ModelCard, ModelFeature } from './features.js';
import { REASON_CODES, type ReasonCode, reasonCodeFor } from './reason-codes.js';

export interface FeatureContribution {
  feature: string;
  /** signed logit contribution */
  contribution: number;
}

export interface Explanation {
  /** logit at the training mean (the model intercept) */
  baseValue: number;
  /** card order, one per feature */
  contributions: FeatureContribution[];
  logit: number;
  /** float64 PD from the same arithmetic (ONNX computes in float32 and agrees to ~1e-7) */
  pd: number;
}

export interface Factor {
  /** feature name, or the group name for one-hot groups */
  feature: string;
  description: string;
  /** human-readable value, e.g. "Debt-to-income ratio 46%" */
  value: string;
  /** signed logit contribution (positive raises risk) */
  impact: number;
}

export interface TopFactors {
  raisingRisk: Factor[];
  loweringRisk: Factor[];
}

export interface Reason {
  code: ReasonCode;
  description: string;
  impact: number;
  features: string[];
}

export function explain(modelInput: ArrayLike<number>, card: ModelCard): Explanation {
  if (modelInput.length !== card.features.length) {
    throw new RangeError(`expected ${card.features.length} model inputs, got ${modelInput.length}`);
  }
  const contributions = card.features.map((f, i) => {
    if (f.coefficient === undefined) {
      throw new Error(`model card ${card.name}@${card.version}: feature "${f.name}" has no coefficient (not a linear model)`);
    }
    return { feature: f.name, contribution: (f.coefficient * ((modelInput[i] as number) - f.mean)) / f.std };
  });
  const logit = contributions.reduce((sum, c) => sum + c.contribution, card.intercept);
  return { baseValue: card.intercept, contributions, logit, pd: 1 / (1 + Math.exp(-logit)) };
}

/** Explains one model-input row of a given model. */
export type Explainer = (modelInput: ArrayLike<number>) => Explanation;

export type ExplanationMethod = 'linear' | 'tree-shap';

/** How a card's scores are explained; a card without `explanation` is a logistic one (0.1.0). */
export function explanationMethod(card: ModelCard): ExplanationMethod {
  const method = card.explanation?.method ?? 'linear';
  if (method !== 'linear' && method !== 'tree-shap') {
    throw new Error(`model card ${card.name}@${card.version}: unknown explanation method "${String(method)}"`);
  }
  return method;
}

/**
 * SHAP values (logit space) as an Explanation: baseValue is the SHAP base
 * value, contributions in card order, logit = baseValue + Σ contributions.
 */
export function explanationFromShap(card: ModelCard, bias: number, shap: ArrayLike<number>): Explanation {
  if (shap.length !== card.features.length) {
    throw new RangeError(`expected ${card.features.length} SHAP values, got ${shap.length}`);
  }
  let logit = bias;
  const contributions = card.features.map((f, i) => {
    const contribution = shap[i] as number;
    logit += contribution;
    return { feature: f.name, contribution };
  });
  return { baseValue: bias, contributions, logit, pd: 1 / (1 + Math.exp(-logit)) };
}

// Keyed by the card object a loaded model holds: whoever has that card can explain its scores.
const registeredExplainers = new WeakMap<ModelCard, Explainer>();

/** Called by the model loader for models whose explanation needs more than the card (the trees). */
export function registerExplainer(card: ModelCard, explainer: Explainer): void {
  registeredExplainers.set(card, explainer);
}

/**
 * The exact explanation of a score, by the card's method: linear contributions
 * from the card, or the explainer registered for this card (TreeSHAP).
 */
export function explainScore(modelInput: ArrayLike<number>, card: ModelCard): Explanation {
  const registered = registeredExplainers.get(card);
  if (registered) return registered(modelInput);
  if (explanationMethod(card) === 'linear') return explain(modelInput, card);
  throw new Error(
    `model card ${card.name}@${card.version} is explained by ${explanationMethod(card)}: ` +
      'load the model (loadCreditModel) and use its card, or call model.explain',
  );
}

interface ContributionGroup {
  key: string;
  features: ModelFeature[];
  impact: number;
}

/** Contributions summed per one-hot group (other features stand alone), in card order. */
function groupContributions(explanation: Explanation, card: ModelCard): ContributionGroup[] {
  const groups = new Map<string, ContributionGroup>();
  card.features.forEach((feature, i) => {
    const key = feature.group ?? feature.name;
    const group = groups.get(key) ?? { key, features: [], impact: 0 };
    group.features.push(feature);
    group.impact += explanation.contributions[i]?.contribution ?? 0;
    groups.set(key, group);
  });
  return [...groups.values()];
}

const percent = (v: number) => `${Math.round(v * 100)}%`;
const times = (v: number) => `${v.toFixed(1)}×`;

/** name used when the value is missing, and how to print it when present */
const VALUE_FORMATS: Record<string, { name: string; format: (v: number) => string }> = {
  debt_to_income: { name: 'Debt-to-income ratio', format: (v) => `Debt-to-income ratio ${percent(v)}` },
  loan_to_income: { name: 'Loan-to-income ratio', format: (v) => `Loan amount ${times(v)} monthly income` },
  payment_to_income: {
    name: 'Instalment-to-income ratio',
    format: (v) => `Monthly instalment ${percent(v)} of income`,
  },
  expense_ratio: { name: 'Expense-to-income ratio', format: (v) => `Regular expenses ${percent(v)} of income` },
  loan_to_price: { name: 'Loan-to-price ratio', format: (v) => `Loan covers ${percent(v)} of the goods price` },
  employment_stability: {
    name: 'Employment history',
    format: (v) => `Employment stability ${v.toFixed(1)} contract-weighted years`,
  },
  savings_ratio: { name: 'Assets', format: (v) => `Assets ${times(v)} the loan amount` },
  past_arrears: {
    name: 'Arrears history',
    format: (v) => (v ? 'Past arrears on record' : 'No past arrears on record'),
  },
  term_months: { name: 'Repayment term', format: (v) => `Repayment term ${Math.round(v)} months` },
  income_missing: { name: 'Income', format: (v) => (v ? 'Income not stated' : 'Income stated') },
};

const CATEGORY_TEXT: Record<string, Record<string, string>> = {
  housing: {
    housing_OWNER: 'Housing: home owner',
    housing_RENT: 'Housing: renting',
    housing_PARENTS: 'Housing: living with parents',
    housing_PRIVATE: 'Housing: private arrangement',
    housing_OTHER: 'Housing: other',
  },
  employment_type: {
    employment_FIXED: 'Employment: fixed contract',
    employment_FREELANCE: 'Employment: freelance',
    employment_PART_TIME: 'Employment: part-time',
    employment_OTHER: 'Employment: other',
  },
};

function describeValue(group: ContributionGroup, values: Record<string, number | null>): string {
  const first = group.features[0] as ModelFeature;
  if (first.group !== null) {
    const active = group.features.find((f) => values[f.name] === 1);
    return active ? (CATEGORY_TEXT[first.group]?.[active.name] ?? active.name) : `${first.label}: unknown`;
  }
  const raw = values[first.name];
  const fmt = VALUE_FORMATS[first.name];
  if (raw === null || raw === undefined) return `${fmt?.name ?? first.label} not available (typical value assumed)`;
  return fmt ? fmt.format(raw) : `${first.label}: ${raw}`;
}

function toFactor(group: ContributionGroup, values: Record<string, number | null>): Factor {
  const first = group.features[0] as ModelFeature;
  return { feature: group.key, description: first.label, value: describeValue(group, values), impact: group.impact };
}

/** The `count` factors that raise the PD most and the `count` that lower it most. */
export function topFactors(explanation: Explanation, card: ModelCard, values: Record<string, number | null>, count = 5): TopFactors {
  const groups = groupContributions(explanation, card);
  return {
    raisingRisk: groups
      .filter((g) => g.impact > 0)
      .sort((a, b) => b.impact - a.impact)
      .slice(0, count)
      .map((g) => toFactor(g, values)),
    loweringRisk: groups
      .filter((g) => g.impact < 0)
      .sort((a, b) => a.impact - b.impact)
      .slice(0, count)
      .map((g) => toFactor(g, values)),
  };
}

/**
 * Principal reasons for an adverse decision: up to `max` (default 4) reason
 * codes, strongest first, drawn only from factors that raised the PD
 * (impact > minImpact) and whose value the applicant actually supplied — a
 * feature filled in by imputation is not a fact about the applicant, so it is
 * never cited (a missing income is cited through R10 instead).
 * Returns [] when nothing raised the risk; callers decide what a decline
 * without model reasons means (it can only come from policy, not the score).
 */
export function reasonCodes(
  explanation: Explanation,
  card: ModelCard,
  values: Record<string, number | null>,
  options: { max?: number; minImpact?: number } = {},
): Reason[] {
  const { max = 4, minImpact = 0 } = options;
  const reasons: Reason[] = [];
  for (const group of groupContributions(explanation, card)) {
    const first = group.features[0] as ModelFeature;
    const code = reasonCodeFor(first);
    // Fail loudly: a risk-raising feature without a code would silently vanish from notices.
    if (!code) throw new Error(`feature "${group.key}" has no reason code`);
    const observed = group.features.every((f) => values[f.name] !== null && values[f.name] !== undefined);
    if (!observed || !(group.impact > minImpact)) continue;
    reasons.push({
      code,
      description: REASON_CODES[code],
      impact: group.impact,
      features: group.features.map((f) => f.name),
    });
  }
  return reasons.sort((a, b) => b.impact - a.impact).slice(0, max);
}
