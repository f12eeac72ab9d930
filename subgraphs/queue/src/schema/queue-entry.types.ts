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
  REASSIGNED = 'REASSIGNED',
  PAUSED = 'PAUSED',
  RESUMED = 'RESUMED',
  REOPENED = 'REOPENED',
}
registerEnumType(QueueChangeKind, {
  name: 'QueueChangeKind',
  valuesConfig: {
    REASSIGNED: { description: 'A lead moved the held case to another analyst' },
    PAUSED: { description: 'Documents were requested: the SLA clock stopped' },
    RESUMED: { description: 'The documents arrived: the SLA clock runs again, its deadline pushed out by the pause' },
    REOPENED: { description: 'An override was rejected: the case is back in review with its analyst' },
  },
});

export enum PriorityBand {
  CRITICAL = 'CRITICAL',
  HIGH = 'HIGH',
  MEDIUM = 'MEDIUM',
  LOW = 'LOW',
}
registerEnumType(PriorityBand, { name: 'PriorityBand', description: 'Priority ranges: CRITICAL 75–100, HIGH 50–74, MEDIUM 25–49, LOW 0–24' });

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
  @Field({ description: 'From here the case is APPROACHING its deadline' })
  slaWarningAt!: Date;
  @Field(() => Date, { nullable: true, description: 'Since when the SLA clock is paused, waiting on the applicant (documents requested); null when it runs' })
  slaPausedAt!: Date | null;
  @Field({ description: 'An override decision on this case waits for a senior analyst; the case stays with its analyst meanwhile' })
  awaitingOverrideApproval!: boolean;

  // Resolved by field resolvers from these (not exposed as such).
  applicationId!: string;
  assigneeId!: string | null;
}

@ObjectType({ description: 'One move of a review case, as logged' })
export class QueueCaseMove {
  @Field(() => QueueChangeKind)
  action!: QueueChangeKind;
  @Field({ description: 'A user id, or system:<what> for the system (decision events, the auto-assign job)' })
  actorId!: string;
  @Field(() => QueueEntryStatus)
  fromStatus!: QueueEntryStatus;
  @Field(() => QueueEntryStatus)
  toStatus!: QueueEntryStatus;
  @Field(() => ID, { nullable: true })
  fromAssigneeId!: string | null;
  @Field(() => ID, { nullable: true })
  toAssigneeId!: string | null;
  @Field(() => String, { nullable: true })
  reason!: string | null;
  @Field()
  at!: Date;
}

@ObjectType({ description: 'Open cases in one priority band' })
export class PriorityBandCount {
  @Field(() => PriorityBand)
  band!: PriorityBand;
  @Field(() => Int)
  count!: number;
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
  @Field(() => Int, { description: 'Open cases whose SLA clock is paused, waiting on the applicant' })
  waitingOnApplicant!: number;
  @Field(() => Int, { description: 'All open cases' })
  total!: number;
  @Field(() => [PriorityBandCount], { description: 'Open cases by priority band, highest first' })
  byPriorityBand!: PriorityBandCount[];
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
