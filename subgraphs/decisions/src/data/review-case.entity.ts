import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { QueueEntryStatus } from '@tandem/platform';

/**
 * Projection of `queue.entry_changed`: who holds each application's review
 * case and since when. Only the newest change is kept (lastChangeAt, the
 * queue's own event time), whatever order the bus delivers them in.
 */
@Entity({ tableName: 'review_cases' })
export class ReviewCaseRecord {
  @PrimaryKey({ type: 'text' })
  tenantId!: string;

  @PrimaryKey({ type: 'text' })
  applicationId!: string;

  @Property({ type: 'text' })
  entryId!: string;

  @Property({ type: 'text' })
  status!: QueueEntryStatus;

  @Property({ type: 'text', nullable: true })
  assigneeId?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  startedAt?: Date | null;

  @Property({ type: 'timestamptz' })
  slaDeadline!: Date;

  @Property({ type: 'timestamptz' })
  lastChangeAt!: Date;
}
