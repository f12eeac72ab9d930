import type { Notification, NotificationKind } from '../../graphql/types';
import { casePath, OVERRIDES_PATH } from '../../lib/router';

export const NOTIFICATION_KIND: Record<NotificationKind, { label: string; tone: string }> = {
  SLA_WARNING: { label: 'SLA warning', tone: 'warn' },
  SLA_BREACHED: { label: 'SLA breached', tone: 'bad' },
  SLA_ESCALATED: { label: 'Escalated', tone: 'bad' },
  CASE_ASSIGNED: { label: 'Assigned to you', tone: 'info' },
  OVERRIDE_PENDING: { label: 'Override to approve', tone: 'warn' },
  OVERRIDE_REJECTED: { label: 'Override rejected', tone: 'bad' },
  DOCUMENTS_SUBMITTED: { label: 'Documents arrived', tone: 'good' },
};

/** Live arrivals and the fetched page, one entry per id, newest first; local reads applied. */
export function mergeNotifications(arrived: Notification[], fetched: Notification[], readAt: Record<string, string>): Notification[] {
  const byId = new Map<string, Notification>();
  // The fetched copy is the server's latest word; an arrival only fills a gap.
  for (const n of fetched) byId.set(n.id, n);
  for (const n of arrived) if (!byId.has(n.id)) byId.set(n.id, n);
  return [...byId.values()]
    .map((n) => (n.readAt || !readAt[n.id] ? n : { ...n, readAt: readAt[n.id] ?? null }))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Where a notification leads: an override to approve, to the overrides list; else its case, when it is about one. */
export function notificationHref(n: Notification): string | null {
  if (n.kind === 'OVERRIDE_PENDING') return OVERRIDES_PATH;
  return n.application ? casePath(n.application.id) : null;
}

export function applicantName(n: Notification): string | null {
  return n.application ? `${n.application.applicant.firstName} ${n.application.applicant.lastName}` : null;
}
