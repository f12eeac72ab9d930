/**
 * How urgent a review case is, 0 (can wait) to 100 (take it now).
 *
 * Four signals, each scaled to [0, 1] and weighted; the weights sum to 100:
 *
 *   closeness (40)  how near the PD is to the nearest routing threshold, the
 *                   line between "a human decides" and "the machine decides".
 *                   On a threshold = 1; half the grey zone's width or more
 *                   away = 0. Close calls are the hard ones and the ones the
 *                   model is least sure about. Cases routed to review for
 *                   another reason (amount, purpose) with a clear score sit far
 *                   from both thresholds and score low here.
 *   sla (30)        the share of the review SLA already used, squared: little
 *                   at first, dominant near the deadline; 1 once breached.
 *   amount (20)     log10 of the loan amount between 1,000 (0) and 1,000,000 (1):
 *                   each tenfold larger loan adds the same step.
 *   waiting (10)    absolute time in the queue, saturating at 8 hours, so a
 *                   long SLA (later: a business calendar) does not hide age.
 *
 * priority = round(40·closeness + 30·sla + 20·amount + 10·waiting)
 */

export interface RoutingThresholds {
  /** PD strictly below this is approved automatically. */
  autoApproveBelow: number;
  /** PD strictly above this is declined automatically. */
  autoDeclineAbove: number;
}

/**
 * The thresholds of credit-default model 0.1.0 (its model card). TODO(topics.ts):
 * application.scored does not carry the thresholds it was routed with; once it
 * does, the entry should use those instead of this copy.
 */
/** For cases queued before events carried the policy's thresholds: those of the first model's suggested policy. */
export const DEFAULT_ROUTING_THRESHOLDS: RoutingThresholds = { autoApproveBelow: 0.145, autoDeclineAbove: 0.635 };

export const PRIORITY_WEIGHTS = { closeness: 40, sla: 30, amount: 20, waiting: 10 } as const;

const AMOUNT_FLOOR = 1_000;
const AMOUNT_CEILING = 1_000_000;
const WAITING_SATURATION_SECONDS = 8 * 3600;
/** Keeps a degenerate policy (both thresholds equal) from dividing by zero. */
const MIN_HALF_WIDTH = 0.01;

export interface PriorityInputs {
  probabilityOfDefault: number;
  thresholds: RoutingThresholds;
  loanAmount: number;
  createdAt: Date;
  slaDeadline: Date;
  now: Date;
}

export type PriorityBreakdown = Record<keyof typeof PRIORITY_WEIGHTS, number>;

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/** Each signal in [0, 1], before weighting; exported so the choice can be explained and tested. */
export function prioritySignals(input: PriorityInputs): PriorityBreakdown {
  const { autoApproveBelow, autoDeclineAbove } = input.thresholds;
  const pd = input.probabilityOfDefault;
  const distance = Math.min(Math.abs(pd - autoApproveBelow), Math.abs(pd - autoDeclineAbove));
  const halfWidth = Math.max((autoDeclineAbove - autoApproveBelow) / 2, MIN_HALF_WIDTH);

  const slaSpan = input.slaDeadline.getTime() - input.createdAt.getTime();
  const waited = input.now.getTime() - input.createdAt.getTime();
  const slaUsed = slaSpan > 0 ? clamp01(waited / slaSpan) : 1;

  const amount = Math.max(input.loanAmount, 1);
  return {
    closeness: clamp01(1 - distance / halfWidth),
    sla: slaUsed * slaUsed,
    amount: clamp01((Math.log10(amount) - Math.log10(AMOUNT_FLOOR)) / (Math.log10(AMOUNT_CEILING) - Math.log10(AMOUNT_FLOOR))),
    waiting: clamp01(waited / 1000 / WAITING_SATURATION_SECONDS),
  };
}

export function priorityOf(input: PriorityInputs): number {
  const s = prioritySignals(input);
  const weighted =
    PRIORITY_WEIGHTS.closeness * s.closeness + PRIORITY_WEIGHTS.sla * s.sla + PRIORITY_WEIGHTS.amount * s.amount + PRIORITY_WEIGHTS.waiting * s.waiting;
  return Math.min(100, Math.max(0, Math.round(weighted)));
}

/**
 * The first instant after `now` at which the case's priority is higher than
 * at `now`, or null if it never rises again (both time signals saturated).
 * Priority only grows with time (closeness and amount are fixed, the SLA share
 * and the waiting time only increase), so a stored priority stays exact until
 * this instant: the refresh job reads only the cases it has reached instead of
 * every waiting case. Found by bisection on whole milliseconds with
 * priorityOf itself, so it can never disagree with the ranking.
 */
export function nextPriorityRiseAt(input: Omit<PriorityInputs, 'now'>, now: Date): Date | null {
  const at = (ms: number) => priorityOf({ ...input, now: new Date(ms) });
  const current = at(now.getTime());
  // Past both the deadline and the waiting saturation nothing changes any more.
  const settled = Math.max(input.slaDeadline.getTime(), input.createdAt.getTime() + WAITING_SATURATION_SECONDS * 1000) + 1;
  if (settled <= now.getTime() || at(settled) <= current) return null;
  let below = now.getTime();
  let reached = settled;
  while (reached - below > 1) {
    const mid = Math.floor((below + reached) / 2);
    if (at(mid) > current) reached = mid;
    else below = mid;
  }
  return new Date(reached);
}

/** Bands for counting and filtering: CRITICAL ≥ 75, HIGH 50–74, MEDIUM 25–49, LOW < 25. */
export type PriorityBand = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
export const PRIORITY_BANDS: Record<PriorityBand, { min: number; max: number }> = {
  CRITICAL: { min: 75, max: 100 },
  HIGH: { min: 50, max: 74 },
  MEDIUM: { min: 25, max: 49 },
  LOW: { min: 0, max: 24 },
};

export function priorityBandOf(priority: number): PriorityBand {
  if (priority >= PRIORITY_BANDS.CRITICAL.min) return 'CRITICAL';
  if (priority >= PRIORITY_BANDS.HIGH.min) return 'HIGH';
  if (priority >= PRIORITY_BANDS.MEDIUM.min) return 'MEDIUM';
  return 'LOW';
}
