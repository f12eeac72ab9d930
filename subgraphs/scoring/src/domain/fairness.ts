/**
 * Fairness of approvals across protected groups (age band, marital status).
 * The attributes travel with the application (ScoringInput.ageYears,
 * maritalStatus) and are stored with its score; they never reach the model.
 *
 * - approval-rate ratio: lowest group approval rate / highest (four-fifths
 *   rule: below 0.8 is adverse impact);
 * - demographic-parity difference: highest − lowest approval rate;
 * - equalized-odds difference (once outcomes exist): the larger of the gaps in
 *   true-positive rate (model recommends approval | repaid) and false-positive
 *   rate (model recommends approval | defaulted) between groups.
 * Groups smaller than MIN_GROUP_SIZE are reported but not compared.
 */

export const FOUR_FIFTHS = 0.8;
/** Below this ratio the breach is CRITICAL (half the approval rate of the best-treated group). */
export const CRITICAL_RATIO = 0.5;
export const MIN_GROUP_SIZE = 5;

export type ProtectedAttribute = 'AGE_BAND' | 'MARITAL_STATUS';

export function ageBand(ageYears: number | null | undefined): string {
  if (typeof ageYears !== 'number' || !Number.isFinite(ageYears)) return 'UNKNOWN';
  if (ageYears < 25) return '18-24';
  if (ageYears < 35) return '25-34';
  if (ageYears < 45) return '35-44';
  if (ageYears < 55) return '45-54';
  if (ageYears < 65) return '55-64';
  return '65+';
}

export interface FairnessCase {
  ageYears: number | null;
  maritalStatus: string | null;
  /** true approved, false declined (undecided cases are left out by the caller) */
  approved: boolean;
  /** what the model alone recommended: approve or not */
  modelApproves: boolean;
  /** realised outcome when known */
  defaulted: boolean | null;
}

export interface FairnessGroup {
  group: string;
  applications: number;
  approvals: number;
  approvalRate: number;
  /** P(model approves | repaid), null without repaid outcomes in the group */
  truePositiveRate: number | null;
  /** P(model approves | defaulted), null without defaults in the group */
  falsePositiveRate: number | null;
}

export interface FairnessMetrics {
  attribute: ProtectedAttribute;
  groups: FairnessGroup[];
  /** null when fewer than two groups are large enough to compare */
  approvalRateRatio: number | null;
  demographicParityDifference: number | null;
  equalizedOddsDifference: number | null;
  breach: 'WARNING' | 'CRITICAL' | null;
}

const rate = (num: number, den: number) => (den > 0 ? num / den : null);

export function groupOf(attribute: ProtectedAttribute, c: FairnessCase): string {
  return attribute === 'AGE_BAND' ? ageBand(c.ageYears) : (c.maritalStatus ?? 'UNKNOWN');
}

export function fairnessMetrics(attribute: ProtectedAttribute, cases: readonly FairnessCase[], minGroupSize = MIN_GROUP_SIZE): FairnessMetrics {
  const byGroup = new Map<string, FairnessCase[]>();
  for (const c of cases) {
    const g = groupOf(attribute, c);
    byGroup.set(g, [...(byGroup.get(g) ?? []), c]);
  }
  const groups: FairnessGroup[] = [...byGroup.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, members]) => {
      const approvals = members.filter((m) => m.approved).length;
      const repaid = members.filter((m) => m.defaulted === false);
      const defaulted = members.filter((m) => m.defaulted === true);
      return {
        group,
        applications: members.length,
        approvals,
        approvalRate: approvals / members.length,
        truePositiveRate: rate(repaid.filter((m) => m.modelApproves).length, repaid.length),
        falsePositiveRate: rate(defaulted.filter((m) => m.modelApproves).length, defaulted.length),
      };
    });
  const compared = groups.filter((g) => g.applications >= minGroupSize && g.group !== 'UNKNOWN');
  if (compared.length < 2) {
    return { attribute, groups, approvalRateRatio: null, demographicParityDifference: null, equalizedOddsDifference: null, breach: null };
  }
  const rates = compared.map((g) => g.approvalRate);
  const highest = Math.max(...rates);
  const lowest = Math.min(...rates);
  const approvalRateRatio = highest > 0 ? lowest / highest : 1;
  const spread = (values: (number | null)[]) => {
    const known = values.filter((v): v is number => v !== null);
    return known.length >= 2 ? Math.max(...known) - Math.min(...known) : null;
  };
  const tprGap = spread(compared.map((g) => g.truePositiveRate));
  const fprGap = spread(compared.map((g) => g.falsePositiveRate));
  const equalizedOddsDifference = tprGap === null && fprGap === null ? null : Math.max(tprGap ?? 0, fprGap ?? 0);
  return {
    attribute,
    groups,
    approvalRateRatio,
    demographicParityDifference: highest - lowest,
    equalizedOddsDifference,
    breach: approvalRateRatio < CRITICAL_RATIO ? 'CRITICAL' : approvalRateRatio < FOUR_FIFTHS ? 'WARNING' : null,
  };
}
