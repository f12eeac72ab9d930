import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * Someone the queue knows as an analyst: they took a case or set their
 * availability (the queue keeps no copy of identity's users; this is what it
 * has seen). Auto-assign picks from the available ones; those seen with
 * queue:assign are seniors and receive escalations.
 */
@Entity({ tableName: 'analysts' })
export class AnalystRecord {
  @PrimaryKey({ type: 'text' })
  tenantId!: string;

  @PrimaryKey({ type: 'text' })
  analystId!: string;

  @Property({ type: 'boolean' })
  available!: boolean;

  @Property({ type: 'boolean' })
  senior!: boolean;

  @Property({ type: 'timestamptz', nullable: true })
  lastAssignedAt?: Date | null;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}
