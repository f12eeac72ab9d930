import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum DriftSeverity {
  WARNING = 'WARNING',
  CRITICAL = 'CRITICAL',
}
registerEnumType(DriftSeverity, { name: 'DriftSeverity' });

@ObjectType({ description: 'A shift in the population the credit model scores, against its training data' })
export class DriftAlert {
  @Field(() => ID)
  id!: string;
  @Field(() => DriftSeverity)
  severity!: DriftSeverity;
  @Field({ description: 'The model feature that drifted' })
  feature!: string;
  @Field({ description: 'The drift measure, e.g. PSI' })
  metric!: string;
  @Field(() => Float)
  value!: number;
  @Field()
  raisedAt!: Date;
}
