import { ConnectionType } from '@tandem/platform';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum NotificationKind {
  SLA_WARNING = 'SLA_WARNING',
  SLA_BREACHED = 'SLA_BREACHED',
  SLA_ESCALATED = 'SLA_ESCALATED',
  CASE_ASSIGNED = 'CASE_ASSIGNED',
  OVERRIDE_PENDING = 'OVERRIDE_PENDING',
  OVERRIDE_REJECTED = 'OVERRIDE_REJECTED',
  DOCUMENTS_SUBMITTED = 'DOCUMENTS_SUBMITTED',
}
registerEnumType(NotificationKind, { name: 'NotificationKind', description: 'What an in-app notification is about' });

@ObjectType({ description: 'An in-app notification for you' })
export class Notification {
  @Field(() => ID)
  id!: string;
  @Field(() => NotificationKind)
  kind!: NotificationKind;
  @Field()
  message!: string;
  @Field()
  createdAt!: Date;
  @Field(() => Date, { nullable: true })
  readAt!: Date | null;
  // Resolved by field resolvers from these.
  entryId!: string | null;
  applicationId!: string | null;
}

@ObjectType({ description: 'A notification for you has just been created' })
export class NotificationReceivedEvent {
  @Field(() => Notification)
  notification!: Notification;
}

@ObjectType({ description: 'You as an analyst the queue knows' })
export class AnalystAvailability {
  @Field(() => ID)
  analystId!: string;
  @Field({ description: 'Whether the auto-assign job may give you cases' })
  available!: boolean;
}

export const NotificationConnection = ConnectionType('Notification', Notification);
