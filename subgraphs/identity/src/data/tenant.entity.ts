import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** A lender using Tandem. The id is its slug ('demo', 'acme'): every subgraph uses it as the tenant id. */
@Entity({ tableName: 'tenants' })
export class TenantRecord {
  @PrimaryKey({ type: 'text' })
  id!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
