import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum DriftSeverity {
  WARNING = 'WARNING',
  CRITICAL = 'CRITICAL',
}
registerEnumType(DriftSeverity, { name: 'DriftSeverity' });

export enum DriftAlertStatus {
  OPEN = 'OPEN',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  DISMISSED = 'DISMISSED',
}
registerEnumType(DriftAlertStatus, { name: 'DriftAlertStatus', description: 'An alert is de-duplicated until it is dismissed' });

export enum DriftAlertKind {
  DRIFT = 'DRIFT',
  FAIRNESS = 'FAIRNESS',
}
registerEnumType(DriftAlertKind, { name: 'DriftAlertKind' });

/**
 * Every field is in the scoring.drift_alert event payload too: the gateway
 * builds Subscription.driftAlert from it, so a field added here must be added
 * to DriftAlertRaised (topics.ts) as well, or be nullable.
 */
@ObjectType({ description: 'A shift in the population the credit model scores (against its training data), or a fairness breach' })
export class DriftAlert {
  @Field(() => ID)
  id!: string;
  @Field(() => DriftSeverity)
  severity!: DriftSeverity;
  @Field({ description: 'The model feature that drifted, "score", or the protected attribute (ageBand, maritalStatus)' })
  feature!: string;
  @Field({ description: 'The measure: PSI, or APPROVAL_RATE_RATIO for fairness' })
  metric!: string;
  @Field(() => Float, { description: 'Its latest value' })
  value!: number;
  @Field()
  raisedAt!: Date;
  @Field(() => DriftAlertKind, { nullable: true })
  kind?: DriftAlertKind | null;
  @Field(() => DriftAlertStatus, { nullable: true, description: 'As at the query (a pushed alert carries its status when raised)' })
  status?: DriftAlertStatus | null;
  @Field(() => String, { nullable: true })
  modelVersion?: string | null;
  @Field(() => Date, { nullable: true, description: 'The last check that found it (null in a pushed alert)' })
  lastSeenAt?: Date | null;
  @Field(() => String, { nullable: true })
  resolvedBy?: string | null;
  @Field(() => Date, { nullable: true })
  resolvedAt?: Date | null;
}
