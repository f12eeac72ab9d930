import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';

/** A partner system that signs in with client credentials (OAuth2 client_credentials). */
@Entity({ tableName: 'api_clients' })
@Unique({ properties: ['clientId'] })
export class ApiClientRecord {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  tenantId!: string;

  /** The public identifier partners send; globally unique, since the token request names no tenant. */
  @Property({ type: 'text' })
  clientId!: string;

  @Property({ type: 'text' })
  name!: string;

  /** argon2id of the secret; the secret itself is shown once and never stored. */
  @Property({ type: 'text', lazy: true })
  secretHash!: string;

  @Property({ type: 'text' })
  role = 'api_consumer';

  @Property({ type: 'boolean' })
  active = true;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  rotatedAt?: Date | null;
}
