import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import type { Permission } from '@tandem/platform';

@ObjectType({ description: 'A lender using Tandem. Its id is its slug.' })
export class Tenant {
  @Field(() => ID)
  id!: string;
  @Field({ description: 'Short stable name, e.g. "demo"; the same as id' })
  slug!: string;
  @Field()
  name!: string;
}

@ObjectType({ description: 'A person who works in Tandem. Visible to signed-in users of the same tenant.' })
@Directive('@key(fields: "id")')
export class User {
  @Field(() => ID)
  id!: string;
  @Field()
  email!: string;
  @Field()
  name!: string;
  @Field({ description: 'admin, senior_analyst, analyst or readonly' })
  role!: string;
  @Field(() => [String], { description: "What this user may do: the role's permissions plus grants minus revocations" })
  permissions!: Permission[];
  /** Not a field: User.tenant resolves it. */
  tenantId!: string;
}

@ObjectType({ description: 'The result of signing in or refreshing a session' })
export class AuthPayload {
  @Field({ description: 'Bearer token for the gateway; short-lived (see expiresIn)' })
  accessToken!: string;
  @Field({ description: 'Single-use: exchange it with refreshToken for a new pair. Presenting a used one ends the session.' })
  refreshToken!: string;
  @Field(() => Int, { description: 'Seconds until accessToken expires' })
  expiresIn!: number;
  @Field(() => User)
  user!: User;
}

@ObjectType({ description: 'An OAuth2 client-credentials access token for a partner system' })
@Directive('@inaccessible')
export class ClientToken {
  @Field()
  accessToken!: string;
  @Field({ description: 'Always "Bearer"' })
  tokenType!: string;
  @Field(() => Int, { description: 'Seconds until accessToken expires' })
  expiresIn!: number;
}

@ObjectType({ description: "A partner system's credentials. The secret is shown here once and cannot be read again." })
export class CreatedApiClient {
  @Field()
  clientId!: string;
  @Field()
  name!: string;
  @Field({ description: 'Store it now: only its hash is kept' })
  clientSecret!: string;
  @Field()
  role!: string;
  @Field()
  createdAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When the secret was last replaced' })
  rotatedAt?: Date | null;
}
