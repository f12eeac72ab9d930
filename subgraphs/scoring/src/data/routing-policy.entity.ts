import { ArrayType } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * One version of a tenant's routing policy. Rows are never updated: a change
 * is a new version, so the policy that routed any past score can be read back.
 */
@Entity({ tableName: 'routing_policies' })
export class RoutingPolicyRecord {
  @PrimaryKey({ type: 'text' })
  tenantId!: string;

  @PrimaryKey({ type: 'integer' })
  version!: number;

  @Property({ type: 'double' })
  autoApproveBelow!: number;

  @Property({ type: 'double' })
  autoDeclineAbove!: number;

  @Property({ type: 'numeric', precision: 14, scale: 2 })
  maxAutoAmount!: string;

  @Property({ type: 'integer', nullable: true })
  maxAutoTermMonths?: number | null;

  @Property({ type: ArrayType, columnType: 'text[]' })
  reviewPurposes!: string[];

  @Property({ type: 'timestamptz' })
  effectiveFrom!: Date;

  /** The user who set it (or the demo seed). */
  @Property({ type: 'text' })
  createdBy!: string;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;
}
