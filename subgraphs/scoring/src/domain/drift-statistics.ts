/**
 * Drift statistics of a window of scored applications against the model's
 * reference population (reference.json, written by the training pipeline).
 *
 * - PSI = Σ (aᵢ − eᵢ)·ln(aᵢ / eᵢ) over bins: eᵢ the reference share, aᵢ the
 *   window's share. Bins are the reference histogram's, merged so that every
 *   bin expects at least MIN_EXPECTED_PER_BIN window observations (a window of
 *   40 cannot support 10 deciles: empty bins would dominate the index). When a
 *   merged bin is still empty in the window, every bin's count gets +0.5 so the
 *   logarithm stays finite.
 * - KS (numeric features): sup |Fₙ(x) − F(x)| against the reference CDF, which
 *   is piecewise linear through the reference quantiles and histogram cut
 *   points (exact at the cuts, with jumps where values repeat, e.g. many 0s).
 *   p-value from the asymptotic Kolmogorov distribution (Stephens' correction).
 * - χ² goodness of fit (categorical features) over categories merged to the
 *   same minimum expected count; p-value from the upper regularised gamma.
 */

export type DriftSeverity = 'WARNING' | 'CRITICAL';

export const PSI_WARNING = 0.1;
export const PSI_CRITICAL = 0.25;
export const MIN_EXPECTED_PER_BIN = 5;

export function psiSeverity(psi: number): DriftSeverity | null {
  if (psi >= PSI_CRITICAL) return 'CRITICAL';
  if (psi >= PSI_WARNING) return 'WARNING';
  return null;
}

/** Bin index of v in a histogram whose bin i holds cuts[i−1] < v ≤ cuts[i] (open-ended first and last bins). */
export function binIndex(cuts: readonly number[], v: number): number {
  for (let i = 0; i < cuts.length; i++) if (v <= (cuts[i] as number)) return i;
  return cuts.length;
}

/**
 * Groups adjacent reference bins (indices) so each group expects at least
 * `minExpected` of `sampleSize` observations; a short tail joins the group
 * before it. Always at least one group.
 */
export function mergeBinsForSample(proportions: readonly number[], sampleSize: number, minExpected = MIN_EXPECTED_PER_BIN): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  let share = 0;
  proportions.forEach((p, i) => {
    current.push(i);
    share += p;
    if (share * sampleSize >= minExpected) {
      groups.push(current);
      current = [];
      share = 0;
    }
  });
  if (current.length) {
    const last = groups.pop();
    groups.push(last ? [...last, ...current] : current);
  }
  return groups;
}

export interface BinnedComparison {
  /** reference share per (merged) bin */
  expected: number[];
  /** window count per (merged) bin */
  observed: number[];
}

/** Reference proportions and window counts, both merged for the sample size. */
export function compareBinned(
  referenceProportions: readonly number[],
  observedCounts: readonly number[],
  minExpected = MIN_EXPECTED_PER_BIN,
): BinnedComparison {
  const n = observedCounts.reduce((a, b) => a + b, 0);
  const groups = mergeBinsForSample(referenceProportions, n, minExpected);
  return {
    expected: groups.map((g) => g.reduce((s, i) => s + (referenceProportions[i] as number), 0)),
    observed: groups.map((g) => g.reduce((s, i) => s + (observedCounts[i] as number), 0)),
  };
}

/** PSI of window counts against reference proportions (bins as given: merge first with compareBinned). */
export function populationStabilityIndex(expected: readonly number[], observed: readonly number[]): number {
  if (expected.length !== observed.length) throw new RangeError('expected and observed need the same bins');
  const smoothing = observed.some((c) => c === 0) ? 0.5 : 0;
  const total = observed.reduce((a, b) => a + b, 0) + smoothing * observed.length;
  const expectedTotal = expected.reduce((a, b) => a + b, 0);
  if (!(total > 0) || !(expectedTotal > 0)) return 0;
  let psi = 0;
  expected.forEach((e, i) => {
    const a = ((observed[i] as number) + smoothing) / total;
    // A reference bin that held nothing gets a floor share, as empty window bins do.
    const r = Math.max(e / expectedTotal, 1e-6);
    psi += (a - r) * Math.log(a / r);
  });
  return psi;
}

/** Reference CDF knots: x non-decreasing, p non-decreasing, repeated x = a jump. */
export interface ReferenceCdf {
  xs: number[];
  ps: number[];
}

/** Knots from quantiles ({ p50: x, … }) and a histogram (cuts, proportions). */
export function referenceCdf(quantiles: Record<string, number>, histogram?: { cuts: number[]; proportions: number[] }): ReferenceCdf {
  const knots: [number, number][] = Object.entries(quantiles).map(([k, x]) => [x, Number(k.replace(/^p/, '')) / 100]);
  if (histogram) {
    let cumulative = 0;
    histogram.cuts.forEach((cut, i) => {
      cumulative += histogram.proportions[i] as number;
      knots.push([cut, cumulative]);
    });
  }
  knots.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const xs: number[] = [];
  const ps: number[] = [];
  let running = 0;
  for (const [x, p] of knots) {
    running = Math.min(1, Math.max(running, p));
    xs.push(x);
    ps.push(running);
  }
  if (ps.length) ps[ps.length - 1] = 1;
  return { xs, ps };
}

/** F(x) (right-continuous), or F(x−) with `left`. */
export function cdfAt(ref: ReferenceCdf, x: number, left = false): number {
  const { xs, ps } = ref;
  let j = -1;
  for (let i = 0; i < xs.length; i++) {
    const xi = xs[i] as number;
    if (left ? xi < x : xi <= x) j = i;
    else break;
  }
  if (j < 0) return 0;
  if (j === xs.length - 1) return 1;
  const x0 = xs[j] as number;
  const x1 = xs[j + 1] as number;
  const p0 = ps[j] as number;
  const p1 = ps[j + 1] as number;
  return x1 === x0 ? p1 : p0 + ((p1 - p0) * (x - x0)) / (x1 - x0);
}

/** One-sample KS statistic, ties handled (compared at each distinct value and just before it). */
export function ksStatistic(sample: readonly number[], ref: ReferenceCdf): number {
  const n = sample.length;
  if (n === 0) return 0;
  const sorted = [...sample].sort((a, b) => a - b);
  let d = 0;
  let i = 0;
  while (i < n) {
    const x = sorted[i] as number;
    let j = i;
    while (j < n && sorted[j] === x) j++;
    const before = i / n;
    const after = j / n;
    d = Math.max(d, Math.abs(before - cdfAt(ref, x, true)), Math.abs(after - cdfAt(ref, x)));
    i = j;
  }
  return d;
}

/** P(D > d) for a sample of n under the reference (asymptotic; conservative for discrete data). */
export function ksPValue(d: number, n: number): number {
  if (n === 0) return 1;
  const sqrtN = Math.sqrt(n);
  const lambda = (sqrtN + 0.12 + 0.11 / sqrtN) * d;
  if (lambda < 1e-3) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = (k % 2 === 1 ? 2 : -2) * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-12) break;
  }
  return Math.min(1, Math.max(0, sum));
}

export interface ChiSquareResult {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
}

/** χ² goodness of fit of counts against proportions (merge first with compareBinned). */
export function chiSquare(expectedProportions: readonly number[], observed: readonly number[]): ChiSquareResult {
  const n = observed.reduce((a, b) => a + b, 0);
  const total = expectedProportions.reduce((a, b) => a + b, 0);
  let statistic = 0;
  let categories = 0;
  expectedProportions.forEach((p, i) => {
    const e = (n * p) / total;
    const o = observed[i] as number;
    if (e > 0) {
      statistic += (o - e) ** 2 / e;
      categories++;
    } else if (o > 0) statistic = Number.POSITIVE_INFINITY;
  });
  const degreesOfFreedom = Math.max(categories - 1, 0);
  const pValue = degreesOfFreedom === 0 ? 1 : Number.isFinite(statistic) ? upperRegularizedGamma(degreesOfFreedom / 2, statistic / 2) : 0;
  return { statistic, degreesOfFreedom, pValue };
}

/** ln Γ(x), Lanczos approximation (g = 7, n = 9): ~15 significant digits. */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
    9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let a = c[0] as number;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] as number) / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Q(a, x) = Γ(a, x) / Γ(a): series for x < a + 1, continued fraction otherwise (Numerical Recipes). */
export function upperRegularizedGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  const lnPrefix = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let k = 1; k < 1000; k++) {
      term *= x / (a + k);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.max(0, 1 - sum * Math.exp(lnPrefix));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.min(1, Math.exp(lnPrefix) * h);
}
