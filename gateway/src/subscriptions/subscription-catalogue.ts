import { NotificationTopic, Permission, Topic } from '@tandem/platform';

/**
 * How each Subscription root field of the supergraph is fed. The owning
 * subgraph declares the field and publishes the event; the gateway maps the
 * event to the field's payload: plain fields come from the event itself,
 * entity fields are fetched through the query planner by id, with the
 * subscriber's own permissions (so every subgraph's rules still apply).
 */
export interface SubscriptionSource {
  /** Any topic of the event catalogue (Topic, NotificationTopic, …). */
  topic: string;
  permission: Permission;
  typename: string;
  fields: (payload: any) => Record<string, unknown>;
  entities?: Record<string, { lookup: string; id: (payload: any) => string }>;
  /** For events meant for one user: only that user's subscriptions receive them (checked like the tenant, before any resolution). */
  recipient?: (payload: any) => string;
}

export const SUBSCRIPTIONS: Record<string, SubscriptionSource> = {
  queueChanged: {
    topic: Topic.QueueEntryChanged,
    permission: Permission.QueueView,
    typename: 'QueueChangedEvent',
    fields: (p) => ({ kind: p.kind }),
    entities: { entry: { lookup: 'queueEntry', id: (p) => p.entryId } },
  },
  slaWarning: {
    topic: Topic.SlaWarning,
    permission: Permission.QueueView,
    typename: 'SlaWarningEvent',
    fields: (p) => ({ kind: p.kind }),
    entities: { entry: { lookup: 'queueEntry', id: (p) => p.entryId } },
  },
  // Per recipient: notification(id) is null for anyone but the recipient, so others get nothing.
  // TODO(SubscriptionSource.topic): widen to the appended topic objects; NotificationTopic is not in Topic.
  notificationReceived: {
    topic: NotificationTopic.NotificationCreated,
    permission: Permission.QueueView,
    typename: 'NotificationReceivedEvent',
    recipient: (p) => p.recipientId,
    fields: () => ({}),
    entities: { notification: { lookup: 'notification', id: (p) => p.notificationId } },
  },
  driftAlert: {
    topic: Topic.DriftAlertRaised,
    permission: Permission.AnalyticsView,
    typename: 'DriftAlert',
    fields: (p) => ({ ...p }),
  },
};
