import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** An in-app notification for one user: SLA alerts, cases given to them, returned overrides, documents arrived. */
@Entity({ tableName: 'notifications' })
export class NotificationRecord {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  tenantId!: string;

  @Property({ type: 'text' })
  recipientId!: string;

  /** domain/notifications.ts NotificationKind. */
  @Property({ type: 'text' })
  kind!: string;

  @Property({ type: 'text' })
  message!: string;

  @Property({ type: 'uuid', nullable: true })
  entryId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  applicationId?: string | null;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  readAt?: Date | null;
}
