import { ArrayType } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';

/**
 * A person who signs in to the workbench. The email is stored normalised and
 * is unique across tenants, because login by email has no tenant yet.
 */
@Entity({ tableName: 'users' })
@Unique({ properties: ['email'] })
@Index({ properties: ['tenantId'] })
export class UserRecord {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  tenantId!: string;

  @Property({ type: 'text' })
  email!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  role!: string;

  /** argon2id; never leaves this subgraph. */
  @Property({ type: 'text', lazy: true })
  passwordHash!: string;

  /** Permissions added to the role's bundle for this user. */
  @Property({ type: ArrayType })
  grants: string[] = [];

  /** Permissions taken away from the role's bundle for this user. */
  @Property({ type: ArrayType })
  revocations: string[] = [];

  @Property({ type: 'boolean' })
  active = true;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
