import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** One move of a case (assign, reassign, release, …), append-only: who, when, from what to what, why. */
@Entity({ tableName: 'queue_audit_log' })
export class QueueAuditRecord {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  tenantId!: string;

  @Property({ type: 'uuid' })
  entryId!: string;

  @Property({ type: 'text' })
  action!: string;

  /** A user id, or `system:<job or event>`. */
  @Property({ type: 'text' })
  actorId!: string;

  @Property({ type: 'text' })
  fromStatus!: string;

  @Property({ type: 'text' })
  toStatus!: string;

  @Property({ type: 'text', nullable: true })
  fromAssignee?: string | null;

  @Property({ type: 'text', nullable: true })
  toAssignee?: string | null;

  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  @Property({ type: 'timestamptz' })
  at!: Date;
}
