import type { OverrideDirection } from '../../graphql/types';

/** The permission pendingOverrides, approveOverride and rejectOverride need (senior analysts and admins). */
export const APPROVE_OVERRIDE_PERMISSION = 'decision:approve_override';

/** The server's minimum (decision-workflow.ts MIN_REJECTION_REASON_LENGTH). */
export const MIN_REJECTION_REASON = 20;

export function canReviewOverrides(permissions: readonly string[] | null | undefined): boolean {
  return !!permissions?.includes(APPROVE_OVERRIDE_PERMISSION);
}

export const OVERRIDE_DIRECTION_LABEL: Record<OverrideDirection, string> = {
  APPROVE_OVER_DECLINE: 'Approves what the model would decline',
  DECLINE_OVER_APPROVE: 'Declines what the model would approve',
};

export function rejectionReasonProblem(reason: string): string | null {
  return reason.trim().length < MIN_REJECTION_REASON ? `Give the analyst a reason of at least ${MIN_REJECTION_REASON} characters.` : null;
}
