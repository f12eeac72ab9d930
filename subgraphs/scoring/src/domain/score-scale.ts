/**
 * PD → credit-score points and risk band.
 *
 * Points-to-double-odds scaling (the usual scorecard convention):
 *   odds_good = (1 − PD) / PD
 *   factor    = pdo / ln 2                      (points per doubling of the odds)
 *   offset    = baseScore − factor · ln(baseOdds)
 *   points    = offset + factor · ln(odds_good)
 * so odds of baseOdds:1 score exactly baseScore and every further doubling of
 * the good:bad odds adds pdo points. With the card's {600, 50, 20}: PD 1/51 → 600,
 * PD 1/101 → 620, PD 0.5 → ≈ 487.
 */

export interface ScoreScaling {
  baseScore: number;
  /** good:bad odds that score exactly baseScore */
  baseOdds: number;
  /** points to double the odds */
  pdo: number;
}

export type RiskBand = 'A' | 'B' | 'C' | 'D' | 'E';

/** A PD falls in the first band whose maxPd it is strictly below. */
export interface RiskBandCut {
  band: RiskBand;
  maxPd: number;
}

/**
 * A < 5 % < B < 10 % < C < 20 % < D < 40 % ≤ E. On the training population
 * (28 % bad) this puts roughly 14/15/21/22/27 % of applications in A..E; the
 * same cut-offs are written to the model card (`riskBands`) and a test checks
 * they agree.
 */
export const DEFAULT_RISK_BANDS: readonly RiskBandCut[] = [
  { band: 'A', maxPd: 0.05 },
  { band: 'B', maxPd: 0.1 },
  { band: 'C', maxPd: 0.2 },
  { band: 'D', maxPd: 0.4 },
  { band: 'E', maxPd: 1 },
];

/** PDs are clamped to this distance from 0 and 1 so certain-looking PDs still map to finite points. */
const PD_EPSILON = 1e-6;

function assertProbability(pd: number): void {
  if (!(pd >= 0 && pd <= 1)) throw new RangeError(`PD must be a probability in [0, 1], got ${pd}`);
}

/** Exact (unrounded) points; use for maths and tests. */
export function pdToPoints(pd: number, scaling: ScoreScaling): number {
  assertProbability(pd);
  const clamped = Math.min(Math.max(pd, PD_EPSILON), 1 - PD_EPSILON);
  const factor = scaling.pdo / Math.LN2;
  const offset = scaling.baseScore - factor * Math.log(scaling.baseOdds);
  return offset + factor * Math.log((1 - clamped) / clamped);
}

/** Integer score as shown to people (rounded points). */
export function pdToScore(pd: number, scaling: ScoreScaling): number {
  return Math.round(pdToPoints(pd, scaling));
}

export function riskBand(pd: number, bands: readonly RiskBandCut[] = DEFAULT_RISK_BANDS): RiskBand {
  assertProbability(pd);
  for (const cut of bands) if (pd < cut.maxPd) return cut.band;
  // PD = 1 (or bands whose last cut is below 1) lands in the worst band.
  const worst = bands.at(-1);
  if (!worst) throw new RangeError('risk bands must not be empty');
  return worst.band;
}
