import { ConnectionType } from '@tandem/platform';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum QueueEntryStatus {
  PENDING = 'PENDING',
  ASSIGNED = 'ASSIGNED',
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
}
registerEnumType(QueueEntryStatus, {
  name: 'QueueEntryStatus',
  description: 'Where a review case is: waiting, taken by an analyst, being reviewed, or decided',
});

export enum SlaState {
  ON_TRACK = 'ON_TRACK',
  APPROACHING = 'APPROACHING',
  BREACHED = 'BREACHED',
}
registerEnumType(SlaState, {
  name: 'SlaState',
  description: 'A case against its review deadline; a completed case keeps the state it was completed in',
});

export enum QueueOrder {
  PRIORITY_DESC = 'PRIORITY_DESC',
  CREATED_ASC = 'CREATED_ASC',
  SLA_DEADLINE_ASC = 'SLA_DEADLINE_ASC',
}
registerEnumType(QueueOrder, { name: 'QueueOrder' });

export enum QueueChangeKind {
  CREATED = 'CREATED',
  ASSIGNED = 'ASSIGNED',
  STARTED = 'STARTED',
  RELEASED = 'RELEASED',
  COMPLETED = 'COMPLETED',
}
registerEnumType(QueueChangeKind, { name: 'QueueChangeKind' });

export enum SlaWarningKind {
  WARNING = 'WARNING',
  BREACHED = 'BREACHED',
  ESCALATED = 'ESCALATED',
}
registerEnumType(SlaWarningKind, {
  name: 'SlaWarningKind',
  description: 'WARNING: the deadline is near; BREACHED: it passed; ESCALATED: still open well after it',
});

/** A user, owned by the identity subgraph; this subgraph knows only the id. */
@ObjectType('User')
@Directive('@key(fields: "id")')
export class UserRef {
  @Field(() => ID)
  id!: string;
}

/** An application, owned by the applications subgraph; this subgraph adds its review case. */
@ObjectType('Application')
@Directive('@key(fields: "id")')
export class ApplicationRef {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ description: 'A case waiting for, or under, human review' })
@Directive('@key(fields: "id")')
export class QueueEntry {
  @Field(() => ID)
  id!: string;
  @Field(() => QueueEntryStatus)
  status!: QueueEntryStatus;
  @Field(() => Int, { description: 'Urgency 0–100: closeness of the PD to a routing threshold, SLA proximity, loan amount, time waiting' })
  priority!: number;
  @Field({ description: 'When the review is due' })
  slaDeadline!: Date;
  @Field()
  createdAt!: Date;
  @Field(() => Date, { nullable: true })
  assignedAt!: Date | null;
  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;
  @Field(() => Date, { nullable: true })
  completedAt!: Date | null;

  // Resolved by field resolvers from these (not exposed as such).
  applicationId!: string;
  assigneeId!: string | null;
  slaWarningAt!: Date;
}

@ObjectType({ description: "Counts of your tenant's open cases" })
export class QueueSummary {
  @Field(() => Int)
  pending!: number;
  @Field(() => Int)
  assigned!: number;
  @Field(() => Int)
  inProgress!: number;
  @Field(() => Int, { description: 'Open cases inside their SLA warning window' })
  approachingSla!: number;
  @Field(() => Int, { description: 'Open cases past their deadline' })
  breached!: number;
  @Field(() => Int, { description: 'All open cases' })
  total!: number;
}

@ObjectType({ description: 'A change of a review case' })
export class QueueChangedEvent {
  @Field(() => QueueChangeKind)
  kind!: QueueChangeKind;
  @Field(() => QueueEntry)
  entry!: QueueEntry;
}

@ObjectType({ description: 'A review case nearing or past its deadline' })
export class SlaWarningEvent {
  @Field(() => SlaWarningKind)
  kind!: SlaWarningKind;
  @Field(() => QueueEntry)
  entry!: QueueEntry;
}

export const QueueEntryConnection = ConnectionType('QueueEntry', QueueEntry);
