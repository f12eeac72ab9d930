import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** A tenant's review SLA. Tenants without a row get DEFAULT_SLA_POLICY (4 hours, around the clock). */
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

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}
