import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { MoneyScalar } from '@tandem/platform';

export enum DecisionOutcome {
  APPROVED = 'APPROVED',
  APPROVED_WITH_CONDITIONS = 'APPROVED_WITH_CONDITIONS',
  DECLINED = 'DECLINED',
  DOCUMENTS_REQUESTED = 'DOCUMENTS_REQUESTED',
}
registerEnumType(DecisionOutcome, {
  name: 'DecisionOutcome',
  description: 'What was decided. DOCUMENTS_REQUESTED keeps the case open; the others settle the application.',
});

export enum OverrideDirection {
  APPROVE_OVER_DECLINE = 'APPROVE_OVER_DECLINE',
  DECLINE_OVER_APPROVE = 'DECLINE_OVER_APPROVE',
}
registerEnumType(OverrideDirection, { name: 'OverrideDirection', description: "Which way a decision went against the model's recommendation" });

export enum OverrideStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
}
registerEnumType(OverrideStatus, { name: 'OverrideStatus', description: 'A senior analyst’s review of an override' });

/** identity's User: only the key lives here. */
@ObjectType()
@Directive('@key(fields: "id")')
export class User {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ description: "A reason behind the model's score, as quoted in a decline notice" })
export class DecisionReasonCode {
  @Field()
  code!: string;
  @Field()
  description!: string;
}

@ObjectType({ description: 'What was granted: the requested amount and term unless the analyst granted less' })
export class ApprovedTerms {
  @Field(() => MoneyScalar)
  amount!: number;
  @Field(() => Int)
  termMonths!: number;
}

@ObjectType({ description: 'A decision on an application, by the routing policy (automated) or by an analyst' })
@Directive('@key(fields: "id")')
export class Decision {
  @Field(() => ID)
  id!: string;
  @Field(() => ID)
  applicationId!: string;
  @Field(() => DecisionOutcome)
  outcome!: DecisionOutcome;
  @Field(() => String, { nullable: true, description: "The analyst's reasoning, or the routing policy's reason for an automated decision" })
  reasoning?: string | null;
  @Field(() => [String])
  conditions!: string[];
  @Field(() => ApprovedTerms, { nullable: true, description: 'Set for approvals only' })
  approvedTerms?: ApprovedTerms | null;
  @Field({ description: "Whether the decision goes against the model's recommendation" })
  isOverride!: boolean;
  @Field(() => OverrideDirection, { nullable: true })
  overrideDirection?: OverrideDirection | null;
  @Field(() => OverrideStatus, { nullable: true, description: 'PENDING until a senior analyst approves or rejects the override; null when not an override' })
  overrideStatus?: OverrideStatus | null;
  @Field(() => String, { nullable: true, description: 'Why the analyst overrode the model; null when not an override' })
  overrideJustification?: string | null;
  @Field()
  automated!: boolean;
  @Field(() => User, { nullable: true, description: 'The analyst; null for automated decisions' })
  decidedBy?: User | null;
  @Field(() => Date)
  decidedAt!: Date;
  @Field(() => Int, { nullable: true, description: 'Seconds from the analyst starting the review to the decision; null for automated' })
  reviewSeconds?: number | null;
  @Field(() => String, { nullable: true, description: 'The credit model version whose score the decision was made against' })
  modelVersion?: string | null;
  @Field(() => [DecisionReasonCode], { description: "The model's reasons, kept with declines" })
  reasonCodes!: DecisionReasonCode[];
}

/** The applications subgraph's Application, extended with its decisions. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Application {
  @Field(() => ID)
  id!: string;
}

@ObjectType()
export class SubmitDecisionPayload {
  @Field(() => Decision)
  decision!: Decision;
}
