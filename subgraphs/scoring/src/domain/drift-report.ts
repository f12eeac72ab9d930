import {
  binIndex,
  chiSquare,
  compareBinned,
  type DriftSeverity,
  ksPValue,
  ksStatistic,
  populationStabilityIndex,
  psiSeverity,
  referenceCdf,
} from './drift-statistics.js';

/** reference.json as the training pipeline writes it (model-input space, after imputation/clip/transform). */
export interface ReferenceDistribution {
  quantiles: Record<string, number>;
  mean: number;
  histogram: { cuts: number[]; proportions: number[] };
}
export interface ModelReference {
  model: string;
  version: string;
  features: Record<string, ReferenceDistribution>;
  score: { pd: ReferenceDistribution };
}

/** The card's view of a feature that drift needs. */
export interface DriftFeature {
  name: string;
  type: string;
  /** one-hot members of one categorical input share a group */
  group?: string | null;
}

export type DriftVariableKind = 'NUMERIC' | 'CATEGORICAL' | 'SCORE';

export interface DriftRow {
  /** a model feature, a one-hot group (e.g. housing), or "score" */
  feature: string;
  kind: DriftVariableKind;
  sampleSize: number;
  /** bins (or categories) after merging for the sample size */
  bins: number;
  psi: number;
  severity: DriftSeverity | null;
  ks: number | null;
  ksPValue: number | null;
  chiSquare: number | null;
  chiSquareDegreesOfFreedom: number | null;
  chiSquarePValue: number | null;
}

/** Below this many scores a window's statistics are reported but raise no alert. */
export const MIN_DRIFT_SAMPLE = 30;

function numericRow(feature: string, kind: DriftVariableKind, values: number[], ref: ReferenceDistribution): DriftRow {
  const counts = new Array(ref.histogram.cuts.length + 1).fill(0) as number[];
  for (const v of values) counts[binIndex(ref.histogram.cuts, v)] = (counts[binIndex(ref.histogram.cuts, v)] as number) + 1;
  const binned = compareBinned(ref.histogram.proportions, counts);
  const psi = populationStabilityIndex(binned.expected, binned.observed);
  const ks = ksStatistic(values, referenceCdf(ref.quantiles, ref.histogram));
  return {
    feature,
    kind,
    sampleSize: values.length,
    bins: binned.expected.length,
    psi,
    severity: psiSeverity(psi),
    ks,
    ksPValue: ksPValue(ks, values.length),
    chiSquare: null,
    chiSquareDegreesOfFreedom: null,
    chiSquarePValue: null,
  };
}

function categoricalRow(feature: string, proportions: number[], counts: number[]): DriftRow {
  const binned = compareBinned(proportions, counts);
  const psi = populationStabilityIndex(binned.expected, binned.observed);
  const chi = chiSquare(binned.expected, binned.observed);
  return {
    feature,
    kind: 'CATEGORICAL',
    sampleSize: counts.reduce((a, b) => a + b, 0),
    bins: binned.expected.length,
    psi,
    severity: psiSeverity(psi),
    ks: null,
    ksPValue: null,
    chiSquare: chi.statistic,
    chiSquareDegreesOfFreedom: chi.degreesOfFreedom,
    chiSquarePValue: chi.pValue,
  };
}

/**
 * One row per model variable plus the score. `vectors` are stored feature
 * vectors in card order (model-input space, like the reference); `pds` the
 * probabilities of default of the same scores. Features the reference does
 * not describe are skipped.
 */
export function driftReport(features: readonly DriftFeature[], reference: ModelReference, vectors: readonly number[][], pds: readonly number[]): DriftRow[] {
  const rows: DriftRow[] = [];
  const groups = new Map<string, number[]>();
  features.forEach((f, index) => {
    if (!reference.features[f.name]) return;
    if (f.group) {
      groups.set(f.group, [...(groups.get(f.group) ?? []), index]);
      return;
    }
    const ref = reference.features[f.name] as ReferenceDistribution;
    const values = vectors.map((v) => v[index] as number);
    if (f.type === 'binary') {
      const ones = values.filter((v) => v >= 0.5).length;
      rows.push(categoricalRow(f.name, [1 - ref.mean, ref.mean], [values.length - ones, ones]));
    } else {
      rows.push(numericRow(f.name, 'NUMERIC', values, ref));
    }
  });
  for (const [group, indices] of groups) {
    const proportions = indices.map((i) => reference.features[(features[i] as DriftFeature).name]?.mean ?? 0);
    const counts = indices.map(() => 0);
    for (const v of vectors) {
      // the one-hot member set to 1 (the largest, should a vector ever hold none)
      let best = 0;
      indices.forEach((featureIndex, k) => {
        if ((v[featureIndex] as number) > (v[indices[best] as number] as number)) best = k;
      });
      counts[best] = (counts[best] as number) + 1;
    }
    rows.push(categoricalRow(group, proportions, counts));
  }
  rows.push(numericRow('score', 'SCORE', [...pds], reference.score.pd));
  return rows;
}
