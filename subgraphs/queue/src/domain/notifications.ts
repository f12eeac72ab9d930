import type { SlaAlertKind } from './sla-clock.js';

/**
 * In-app notifications: who hears about what.
 *
 *   SLA_WARNING     the deadline is near      → the assignee; the seniors when nobody holds the case
 *   SLA_BREACHED    the deadline passed       → the assignee; the seniors when nobody holds the case
 *   SLA_ESCALATED   still open after the      → the seniors (those the queue has seen with queue:assign)
 *                   escalation time
 *   CASE_ASSIGNED   someone else (a lead, the auto-assign job) gave you a case → you
 *   OVERRIDE_PENDING   an analyst decided against the model; it waits for approval → the seniors but its author
 *   OVERRIDE_REJECTED  your override was rejected; the case is back with you → you
 *   DOCUMENTS_SUBMITTED the applicant sent what you asked for; the clock runs again → the assignee
 */
export type NotificationKind =
  | 'SLA_WARNING'
  | 'SLA_BREACHED'
  | 'SLA_ESCALATED'
  | 'CASE_ASSIGNED'
  | 'OVERRIDE_PENDING'
  | 'OVERRIDE_REJECTED'
  | 'DOCUMENTS_SUBMITTED';

export const SLA_NOTIFICATION: Record<SlaAlertKind, NotificationKind> = {
  WARNING: 'SLA_WARNING',
  BREACHED: 'SLA_BREACHED',
  ESCALATED: 'SLA_ESCALATED',
};

/** The users to notify of an SLA alert, without repeats. */
export function slaAlertRecipients(kind: SlaAlertKind, assigneeId: string | null | undefined, seniorIds: readonly string[]): string[] {
  const recipients = kind === 'ESCALATED' || !assigneeId ? seniorIds : [assigneeId];
  return [...new Set(recipients)];
}

/** A deadline as people read it in a message: minutes, UTC, said so. */
export function deadlineText(deadline: Date): string {
  return `${deadline.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

// Messages name no ids: each notification links to its case, and the workbench shows whose application it is.
export function slaAlertMessage(kind: SlaAlertKind, deadline: Date): string {
  const due = deadlineText(deadline);
  if (kind === 'WARNING') return `Review due at ${due}`;
  if (kind === 'BREACHED') return `Review missed its deadline (${due})`;
  return `Escalated: review still open past its deadline (${due})`;
}

export function overrideRejectedMessage(reason: string): string {
  return `A senior rejected your override: ${reason.trim().replace(/[.!\s]+$/, '')}. The case is back with you.`;
}

export function documentsSubmittedMessage(deadline: Date): string {
  return `The applicant sent the requested documents; the review is due at ${deadlineText(deadline)}`;
}

/** Who approves an override: every senior but the analyst who made it (no one approves their own). */
export function overridePendingRecipients(decidedBy: string | null, seniorIds: readonly string[]): string[] {
  return [...new Set(seniorIds)].filter((id) => id !== decidedBy);
}

export function overridePendingMessage(outcome: string): string {
  return `An override waits for your approval: the analyst decided ${outcome.toLowerCase().replace(/_/g, ' ')} against the model's recommendation`;
}
