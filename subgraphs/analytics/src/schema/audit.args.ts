import { ArgsType, Field, ID, Int } from 'type-graphql';

@ArgsType()
export class AuditTrailArgs {
  @Field({ nullable: true, description: 'Only entries about this entity type (Application, Decision, …)' })
  entityType?: string;
  @Field(() => ID, { nullable: true, description: 'Only entries about this entity' })
  entityId?: string;
  @Field(() => ID, { nullable: true, description: 'Only changes made by this user, API client or job' })
  actor?: string;
  @Field({ nullable: true, description: 'Changes made at or after this time' })
  from?: Date;
  @Field({ nullable: true, description: 'Changes made before this time' })
  to?: Date;
  @Field(() => Int, { nullable: true, description: 'Page size, at most 100 (default 20)' })
  first?: number;
  @Field({ nullable: true })
  after?: string;
}
