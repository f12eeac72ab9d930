/**
 * Replaying a stored score: the stored feature vector through the stored
 * model version again, compared with what was stored. The same model on the
 * same float32 input gives the same PD bit for bit, and TreeSHAP (or the
 * linear contributions) is deterministic, so any difference beyond the
 * tolerances means the stored score, the feature vector or the model served
 * under that version has changed since.
 */

/** onnxruntime's output is deterministic: anything beyond double rounding is a different result. */
export const PD_TOLERANCE = 1e-9;
/** xgboost's pred_contribs contract (float32 sums over trees). */
export const CONTRIBUTION_TOLERANCE = 1e-6;
/** A re-extracted feature against the stored one (both float64 from the same formulas). */
export const FEATURE_REPLAY_TOLERANCE = 1e-9;

export interface ScoreSnapshot {
  probabilityOfDefault: number;
  /** null when the score was stored before explanations were kept */
  baseValue: number | null;
  /** card order; null when the score was stored before explanations were kept */
  contributions: readonly number[] | null;
}

export interface ReplayComparison {
  probabilityOfDefaultDifference: number;
  /** null when nothing was stored to compare with */
  baseValueDifference: number | null;
  /** largest |Δ| over the contributions; null when none were stored */
  maxContributionDifference: number | null;
  /** PD within PD_TOLERANCE and, where stored, base value and every contribution within CONTRIBUTION_TOLERANCE */
  matches: boolean;
}

export function compareReplay(stored: ScoreSnapshot, replayed: ScoreSnapshot): ReplayComparison {
  const probabilityOfDefaultDifference = Math.abs(stored.probabilityOfDefault - replayed.probabilityOfDefault);
  const baseValueDifference = stored.baseValue === null || replayed.baseValue === null ? null : Math.abs(stored.baseValue - replayed.baseValue);
  const maxContributionDifference = largestDifference(stored.contributions, replayed.contributions);
  // `d <= tolerance` is false for NaN: a NaN difference is a mismatch.
  const within = (d: number | null, tolerance: number) => d === null || d <= tolerance;
  return {
    probabilityOfDefaultDifference,
    baseValueDifference,
    maxContributionDifference,
    matches:
      within(probabilityOfDefaultDifference, PD_TOLERANCE) &&
      within(baseValueDifference, CONTRIBUTION_TOLERANCE) &&
      within(maxContributionDifference, CONTRIBUTION_TOLERANCE),
  };
}

/** max |a_i − b_i|; +∞ when the lengths differ (not the same explanation); null when either is missing. */
function largestDifference(a: readonly number[] | null, b: readonly number[] | null): number | null {
  if (a === null || b === null) return null;
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs((a[i] as number) - (b[i] as number)));
  return largest;
}

/** Whether features re-extracted from the stored inputs are the stored feature vector. */
export function sameFeatures(stored: readonly number[], extracted: readonly number[]): boolean {
  return (
    stored.length === extracted.length &&
    stored.every((v, i) => Object.is(v, extracted[i]) || Math.abs(v - (extracted[i] as number)) <= FEATURE_REPLAY_TOLERANCE)
  );
}
