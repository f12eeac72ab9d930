/**
 * Realised performance of scores whose loans have an outcome: how well the
 * PD separated defaulters from payers (AUC, KS) and whether it was calibrated
 * (predicted vs observed default rate per risk band).
 */

export interface ScoredOutcome {
  probabilityOfDefault: number;
  riskBand: string;
  defaulted: boolean;
}

/** Area under the ROC curve: P(PD of a defaulter > PD of a payer), ties count half (rank-sum). null without both classes. */
export function auc(cases: readonly { probabilityOfDefault: number; defaulted: boolean }[]): number | null {
  const positives = cases.filter((c) => c.defaulted).length;
  const negatives = cases.length - positives;
  if (positives === 0 || negatives === 0) return null;
  const sorted = [...cases].sort((a, b) => a.probabilityOfDefault - b.probabilityOfDefault);
  let rankSum = 0;
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j < sorted.length && (sorted[j] as ScoredOutcome).probabilityOfDefault === (sorted[i] as ScoredOutcome).probabilityOfDefault) j++;
    const midRank = (i + 1 + j) / 2; // ranks i+1 … j share their average
    for (let k = i; k < j; k++) if ((sorted[k] as ScoredOutcome).defaulted) rankSum += midRank;
    i = j;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Two-sample KS between the PDs of defaulters and payers: max |F_default(x) − F_repaid(x)|. */
export function ksSeparation(cases: readonly { probabilityOfDefault: number; defaulted: boolean }[]): number | null {
  const bad = cases.filter((c) => c.defaulted).map((c) => c.probabilityOfDefault);
  const good = cases.filter((c) => !c.defaulted).map((c) => c.probabilityOfDefault);
  if (bad.length === 0 || good.length === 0) return null;
  const thresholds = [...new Set([...bad, ...good])].sort((a, b) => a - b);
  let d = 0;
  for (const t of thresholds) {
    const fb = bad.filter((v) => v <= t).length / bad.length;
    const fg = good.filter((v) => v <= t).length / good.length;
    d = Math.max(d, Math.abs(fb - fg));
  }
  return d;
}

export interface CalibrationBand {
  riskBand: string;
  loans: number;
  defaults: number;
  meanPredictedPd: number;
  observedDefaultRate: number;
}

export function calibrationByBand(cases: readonly ScoredOutcome[]): CalibrationBand[] {
  const bands = new Map<string, ScoredOutcome[]>();
  for (const c of cases) bands.set(c.riskBand, [...(bands.get(c.riskBand) ?? []), c]);
  return [...bands.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([riskBand, members]) => {
      const defaults = members.filter((m) => m.defaulted).length;
      return {
        riskBand,
        loans: members.length,
        defaults,
        meanPredictedPd: members.reduce((s, m) => s + m.probabilityOfDefault, 0) / members.length,
        observedDefaultRate: defaults / members.length,
      };
    });
}

export function brierScore(cases: readonly ScoredOutcome[]): number | null {
  if (cases.length === 0) return null;
  return cases.reduce((s, c) => s + (c.probabilityOfDefault - (c.defaulted ? 1 : 0)) ** 2, 0) / cases.length;
}
