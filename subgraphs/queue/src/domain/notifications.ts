import type { SlaAlertKind } from './sla-clock.js';

/**
 * In-app notifications: who hears about what.
 *
 *   SLA_WARNING     the deadline is near      → the assignee; the seniors when nobody holds the case
 *   SLA_BREACHED    the deadline passed       → the assignee; the seniors when nobody holds the case
 *   SLA_ESCALATED   still open after the      → the seniors (those the queue has seen with queue:assign)
 *                   escalation time
 *   CASE_ASSIGNED   someone else (a lead, the auto-assign job) gave you a case → you
 *   OVERRIDE_REJECTED  your override was rejected; the case is back with you → you
 *   DOCUMENTS_SUBMITTED the applicant sent what you asked for; the clock runs again → the assignee
 */
export type NotificationKind = 'SLA_WARNING' | 'SLA_BREACHED' | 'SLA_ESCALATED' | 'CASE_ASSIGNED' | 'OVERRIDE_REJECTED' | 'DOCUMENTS_SUBMITTED';

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

export function slaAlertMessage(kind: SlaAlertKind, applicationId: string, deadline: Date): string {
  const due = deadline.toISOString();
  if (kind === 'WARNING') return `Review of application ${applicationId} is due at ${due}`;
  if (kind === 'BREACHED') return `Review of application ${applicationId} missed its deadline (${due})`;
  return `Escalated: review of application ${applicationId} is still open past its deadline (${due})`;
}
