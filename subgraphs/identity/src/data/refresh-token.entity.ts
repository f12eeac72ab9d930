import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';

/**
 * One refresh token of a login session. Only the SHA-256 of the opaque token
 * is stored. Tokens of one login share a family; rotation marks a token used
 * (`rotatedAt`), revocation ends the whole family (`revokedAt` on each).
 */
@Entity({ tableName: 'refresh_tokens' })
@Unique({ properties: ['tokenHash'] })
@Index({ properties: ['familyId'] })
export class RefreshTokenRecord {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  familyId!: string;

  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'text' })
  tokenHash!: string;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  rotatedAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt?: Date | null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
