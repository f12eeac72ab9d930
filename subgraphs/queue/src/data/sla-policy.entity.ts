import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** A tenant's review SLA and business calendar. Tenants without a row get DEFAULT_SLA_POLICY (4 hours, around the clock). */
@Entity({ tableName: 'sla_policies' })
export class SlaPolicyRecord {
  @PrimaryKey({ type: 'text' })
  tenantId!: string;

  @Property({ type: 'integer' })
  reviewSlaSeconds!: number;

  @Property({ type: 'integer' })
  warningSecondsBefore!: number;

  @Property({ type: 'integer' })
  escalateSecondsAfter!: number;

  /** The business calendar (domain/business-calendar.ts); the defaults are around the clock in UTC. */
  @Property({ type: 'text' })
  timeZone!: string;

  /** ISO weekdays, 1 = Monday. */
  @Property({ type: 'integer[]' })
  workingDays!: number[];

  @Property({ type: 'text' })
  workingStart!: string;

  @Property({ type: 'text' })
  workingEnd!: string;

  /** Local dates YYYY-MM-DD. */
  @Property({ type: 'text[]' })
  holidays!: string[];

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}
