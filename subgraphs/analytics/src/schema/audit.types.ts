import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ConnectionType } from '@tandem/platform';

export enum AuditChangeKind {
  ADDED = 'ADDED',
  REMOVED = 'REMOVED',
  CHANGED = 'CHANGED',
}
registerEnumType(AuditChangeKind, { name: 'AuditChangeKind' });

@ObjectType({ description: 'Who made a recorded change' })
export class AuditActor {
  @Field({ description: 'user, client (an API client), system (a job or an event handler) or anonymous' })
  kind!: string;
  @Field(() => ID, { nullable: true, description: 'The user id, API client id, or job / event name' })
  id?: string | null;
}

@ObjectType({ description: 'One difference between the old and the new value; personal data reads [masked]' })
export class AuditChange {
  @Field({ description: "Where in the value: 'status', 'loan.amount', 'conditions[1].type' ('' for the whole value)" })
  path!: string;
  @Field(() => AuditChangeKind)
  kind!: AuditChangeKind;
  @Field(() => GraphQLJSON, { nullable: true, description: 'The value before (absent when ADDED)' })
  from?: unknown;
  @Field(() => GraphQLJSON, { nullable: true, description: 'The value after (absent when REMOVED)' })
  to?: unknown;
}

@ObjectType({ description: 'One recorded state change in the tenant-wide, append-only, hash-chained audit trail' })
export class AuditEntry {
  @Field(() => Int, { description: "Position in the tenant's chain, from 1, without gaps" })
  seq!: number;
  @Field(() => ID, { description: 'The event that carried the change (its idempotency key)' })
  eventId!: string;
  @Field({ description: 'The subgraph that made the change' })
  source!: string;
  @Field({ description: 'Application, Decision, QueueEntry, User, RoutingPolicy, …' })
  entityType!: string;
  @Field(() => ID)
  entityId!: string;
  @Field({ description: 'SUBMITTED, STATUS_CHANGED, ASSIGNED, …' })
  action!: string;
  @Field(() => AuditActor)
  actor!: AuditActor;
  @Field({ description: 'When the change was made' })
  occurredAt!: Date;
  @Field({ description: 'When the trail recorded it' })
  recordedAt!: Date;
  @Field(() => GraphQLJSON, { nullable: true, description: 'The entity before the change (null when created); personal data masked' })
  oldValue?: unknown;
  @Field(() => GraphQLJSON, { nullable: true, description: 'The entity after the change (null when deleted); personal data masked' })
  newValue?: unknown;
  @Field(() => [AuditChange])
  changes!: AuditChange[];
  @Field({ description: "The previous entry's hash (64 zeros for the first)" })
  prevHash!: string;
  @Field({ description: 'sha256(prevHash || canonical JSON of this entry), hex' })
  hash!: string;
}

export const AuditEntryConnection = ConnectionType('AuditEntry', AuditEntry);

@ObjectType({ description: "The result of walking the tenant's whole audit chain and recomputing every hash" })
export class AuditVerification {
  @Field({ description: 'True when every entry is in sequence, links to its predecessor and matches its hash' })
  intact!: boolean;
  @Field(() => Int)
  entriesChecked!: number;
  @Field(() => Int, { nullable: true, description: 'The first entry that was edited, inserted, removed or reordered; null when intact' })
  firstBrokenSeq?: number | null;
}
