/**
 * Credit-model features from an application as Tandem receives it.
 *
 * TypeScript half of a contract whose Python half is
 * models/training/tandem_features.py; models/credit-default/<version>/test-vectors.json
 * pins both to the same numbers. Formulas live here (by feature name); every
 * fitted parameter (imputation value, clip bounds, transform, constants, order)
 * comes from the model card, so a retrained card needs no code change unless
 * it introduces a feature this file does not know — which throws.
 *
 * Per feature: raw value (null if an input is missing or a denominator is not
 * positive) → imputationValue if null → clip to [clip.min, clip.max] →
 * transform (log1p | none). The ONNX graph standardises; we do not.
 */

import { annuityInstalment } from '@tandem/platform';
import type { RiskBandCut, ScoreScaling } from './score-scale.js';

export const HOUSING_TYPES = ['OWNER', 'RENT', 'PARENTS', 'PRIVATE', 'OTHER'] as const;
export type Housing = (typeof HOUSING_TYPES)[number];

export const EMPLOYMENT_TYPES = ['FIXED', 'FREELANCE', 'PART_TIME', 'OTHER'] as const;
export type EmploymentType = (typeof EMPLOYMENT_TYPES)[number];

/** The scoring view of SubmitApplicationInput: flat, plain numbers, financial nulls allowed. */
export interface ScoringInput {
  monthlyIncome: number | null;
  monthlyExpenses: number | null;
  assets: number | null;
  debt: number | null;
  pastArrears: boolean;
  /** loan.amount */
  amount: number;
  termMonths: number;
  goodsPrice: number | null;
  housing: Housing;
  employmentType: EmploymentType;
  yearsEmployed: number | null;
}

export interface ModelFeature {
  name: string;
  /** neutral meaning, for explanations */
  label: string;
  /** adverse-action wording */
  description: string;
  formula: string;
  type: 'continuous' | 'binary';
  inputs: string[];
  transform: 'log1p' | 'none';
  /** one-hot features of one categorical input share a group (explained together) */
  group: string | null;
  missing: string;
  /** raw-scale value used when the raw value is null; null for never-missing features */
  imputationValue: number | null;
  clip: { min: number; max: number } | null;
  /** training-split mean and std on the model-input scale (the logistic graph standardises with them) */
  mean: number;
  std: number;
  /** logit change per standard deviation (logistic models only; tree models have none) */
  coefficient?: number;
  trainingMissingRate: number;
}

export interface RoutingSplit {
  share: number;
  count: number;
  badRate: number | null;
}

export interface ModelCard {
  name: string;
  version: string;
  created: string;
  /** human description of the algorithm and its hyperparameters */
  algorithm: string;
  /** absent on logistic cards (0.1.0); "gradient-boosted-trees" on tree cards */
  modelType?: 'logistic-regression' | 'gradient-boosted-trees';
  /** how scores are explained; absent = linear (exact contributions of a logistic model) */
  explanation?: { method: 'linear' | 'tree-shap'; note: string };
  target: string;
  onnx: {
    file: string;
    opset: number;
    /** ai.onnx.ml opset (tree models) */
    mlOpset?: number;
    irVersion: number;
    input: { name: string; type: string; shape: (string | number)[]; contents: string };
    output: { name: string; type: string; shape: (string | number)[]; contents: string };
    /** tree models: graph summary, tree and node counts, where the node covers are */
    graph?: string;
    trees?: number;
    nodes?: number;
    nodeCovers?: { location: string; key: string; contents: string };
  };
  featurePipeline: string;
  constants: {
    annualInterestRate: number;
    employmentMultipliers: Record<EmploymentType, number>;
    clipQuantiles: number[];
  };
  protectedAttributes: { excluded: string[]; note: string };
  features: ModelFeature[];
  /** logit of the explanation's base value: the logistic intercept, or the SHAP base value of a tree model */
  intercept: number;
  contributions: string;
  trainingData: {
    file: string;
    sha256: string;
    rows: number;
    defaultRate: number;
    split: { method: string; seed: number; trainRows: number; holdoutRows: number };
  };
  metrics: {
    cvAuc: { mean: number; std: number; folds: number[]; note: string };
    /** logistic models: CV AUC per regularisation strength */
    cvAucByC?: Record<string, number>;
    /** tree models: CV AUC per hyperparameter combination */
    cvAucByParams?: Record<string, number>;
    trainAuc: number;
    holdoutAuc: number;
    holdoutGini: number;
    holdoutKs: number;
    holdoutBrier: number;
    holdoutDefaultRate: number;
    holdoutMeanPd: number;
    holdoutRouting: { autoApprove: RoutingSplit; autoDecline: RoutingSplit; humanReview: RoutingSplit };
    holdoutClassification?: Record<string, unknown>;
    holdoutCalibration?: { bin: number; count: number; meanPd: number; observedDefaultRate: number }[];
  };
  /** tree models: the baseline they were compared with, on the same split and features */
  baseline?: { model: string; algorithm: string; metrics: Record<string, unknown>; comparison: Record<string, unknown> };
  hyperparameters?: Record<string, unknown>;
  /** approve when PD < autoApprove, decline when PD > autoDecline */
  thresholds: { autoApprove: number; autoDecline: number; note: string };
  scoreScaling: ScoreScaling & { formula: string };
  riskBands: RiskBandCut[];
}

export interface ExtractedFeatures {
  /** ONNX input row, card order (float32 copy of modelInput) */
  vector: Float32Array;
  /** the same values in float64, for exact explanations */
  modelInput: number[];
  /** raw value per feature before imputation/clip/transform; null = missing (imputed) */
  values: Record<string, number | null>;
}

type RawFormula = (input: ScoringInput, constants: ModelCard['constants']) => number | null;

/** Finite number or null (undefined, NaN and ±Infinity all count as missing). */
function present(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** num / den, null when either is missing or the denominator is not positive. */
function ratio(num: number | null, den: number | null): number | null {
  if (num === null || den === null || !(den > 0)) return null;
  return num / den;
}

// Unknown enum strings (possible at runtime from untyped callers) count as OTHER, as in training.
function housingOf(input: ScoringInput): Housing {
  return (HOUSING_TYPES as readonly string[]).includes(input.housing) ? input.housing : 'OTHER';
}
function employmentOf(input: ScoringInput): EmploymentType {
  return (EMPLOYMENT_TYPES as readonly string[]).includes(input.employmentType) ? input.employmentType : 'OTHER';
}

const RAW_FORMULAS: Record<string, RawFormula> = {
  debt_to_income: (i) => ratio(present(i.debt), present(i.monthlyIncome)),
  loan_to_income: (i) => ratio(present(i.amount), present(i.monthlyIncome)),
  payment_to_income: (i, c) => {
    const amount = present(i.amount);
    const term = present(i.termMonths);
    const payment = amount !== null && term !== null && term > 0 ? annuityInstalment(amount, term, c.annualInterestRate) : null;
    return ratio(payment, present(i.monthlyIncome));
  },
  expense_ratio: (i) => ratio(present(i.monthlyExpenses), present(i.monthlyIncome)),
  loan_to_price: (i) => ratio(present(i.amount), present(i.goodsPrice)),
  employment_stability: (i, c) => {
    const years = present(i.yearsEmployed);
    return years === null ? null : years * c.employmentMultipliers[employmentOf(i)];
  },
  savings_ratio: (i) => ratio(present(i.assets), present(i.amount)),
  past_arrears: (i) => (i.pastArrears ? 1 : 0),
  term_months: (i) => present(i.termMonths),
  income_missing: (i) => {
    const income = present(i.monthlyIncome);
    return income !== null && income > 0 ? 0 : 1;
  },
  ...Object.fromEntries(HOUSING_TYPES.map((h) => [`housing_${h}`, (i: ScoringInput) => (housingOf(i) === h ? 1 : 0)])),
  ...Object.fromEntries(EMPLOYMENT_TYPES.map((e) => [`employment_${e}`, (i: ScoringInput) => (employmentOf(i) === e ? 1 : 0)])),
};

/** Feature names this code can compute (a card asking for others is rejected). */
export const SUPPORTED_FEATURES: readonly string[] = Object.keys(RAW_FORMULAS);

export function extractFeatures(input: ScoringInput, card: ModelCard): ExtractedFeatures {
  const values: Record<string, number | null> = {};
  const modelInput: number[] = [];
  for (const feature of card.features) {
    const formula = RAW_FORMULAS[feature.name];
    if (!formula) throw new Error(`model card ${card.name}@${card.version}: no formula for feature "${feature.name}"`);
    const raw = formula(input, card.constants);
    values[feature.name] = raw;

    let x = raw ?? feature.imputationValue;
    if (x === null) {
      throw new Error(`feature "${feature.name}" is missing and the model card gives no imputation value`);
    }
    if (feature.clip) x = Math.min(Math.max(x, feature.clip.min), feature.clip.max);
    if (feature.transform === 'log1p') x = Math.log1p(x);
    else if (feature.transform !== 'none') throw new Error(`feature "${feature.name}": unknown transform "${feature.transform}"`);
    modelInput.push(x);
  }
  return { vector: Float32Array.from(modelInput), modelInput, values };
}
