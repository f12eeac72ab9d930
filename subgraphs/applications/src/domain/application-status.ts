import type { ApplicationStatus } from '@tandem/platform';

/**
 * The application lifecycle. Events can arrive late or twice, so a
 * transition that is not allowed is ignored rather than applied: a decided
 * application never goes back to SCORING because a stale event arrived.
 */
const ALLOWED: Record<ApplicationStatus, ApplicationStatus[]> = {
  PENDING: ['SCORING', 'REVIEW', 'APPROVED', 'DECLINED'],
  SCORING: ['REVIEW', 'APPROVED', 'DECLINED'],
  REVIEW: ['APPROVED', 'DECLINED'],
  // A contested or re-reviewed decision reopens the case.
  APPROVED: ['REVIEW'],
  DECLINED: ['REVIEW'],
};

export function canTransition(from: ApplicationStatus, to: ApplicationStatus): boolean {
  return ALLOWED[from].includes(to);
}

/** The statuses an application may leave for `to` (the same rule as canTransition, for one conditional write). */
export function statusesThatMayBecome(to: ApplicationStatus): ApplicationStatus[] {
  return (Object.keys(ALLOWED) as ApplicationStatus[]).filter((from) => canTransition(from, to));
}

/** The status a decision outcome leaves the application in; DOCUMENTS_REQUESTED keeps it in review. */
export function statusForOutcome(outcome: string): ApplicationStatus {
  if (outcome === 'APPROVED' || outcome === 'APPROVED_WITH_CONDITIONS') return 'APPROVED';
  if (outcome === 'DECLINED') return 'DECLINED';
  return 'REVIEW';
}
