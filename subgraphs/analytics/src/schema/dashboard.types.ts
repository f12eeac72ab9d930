import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Applications of one risk band in the window, and how their decisions went' })
export class RiskBandCount {
  @Field({ description: "The credit model's risk band (A best … E worst)" })
  riskBand!: string;
  @Field(() => Int, { description: 'Scored applications in this band' })
  applications!: number;
  @Field(() => Int, { description: 'Decisions in effect that approve (with or without conditions)' })
  approved!: number;
  @Field(() => Int, { description: 'Decisions in effect that decline' })
  declined!: number;
}

@ObjectType({ description: 'How many decisions in effect have one outcome' })
export class OutcomeCount {
  @Field({ description: 'APPROVED, APPROVED_WITH_CONDITIONS, DECLINED or DOCUMENTS_REQUESTED' })
  outcome!: string;
  @Field(() => Int)
  count!: number;
}

@ObjectType({
  description:
    'Decision analytics for applications submitted in [from, to). A decision is one in effect: an outcome recorded, not an override still awaiting approval. Rates are fractions 0..1.',
})
export class DecisionDashboard {
  @Field()
  from!: Date;
  @Field()
  to!: Date;
  @Field(() => Int, { description: 'Applications submitted in the window' })
  totalApplications!: number;
  @Field(() => Int, { description: 'Applications with a decision in effect' })
  decisions!: number;
  @Field(() => Int)
  automatedDecisions!: number;
  @Field(() => Int)
  humanDecisions!: number;
  @Field(() => Float, { description: 'Automated decisions / decisions; 0 when there are no decisions' })
  autoDecisionRate!: number;
  @Field(() => Float, { description: 'Approvals (including with conditions) / decisions; 0 when there are no decisions' })
  approvalRate!: number;
  @Field(() => Float, { nullable: true, description: 'Mean review time of human decisions that report one; null if none' })
  averageReviewSeconds!: number | null;
  @Field(() => Float, { nullable: true, description: 'Human decisions within their SLA / human decisions with a known SLA result; null if none' })
  slaComplianceRate!: number | null;
  @Field(() => Float, {
    description: "Decisions that override the model's recommendation and stand (approved or needing no approval) / decisions; 0 when there are no decisions",
  })
  overrideRate!: number;
  @Field(() => Int, { description: 'Applications now waiting for a human: queued, awaiting documents, or an override awaiting approval' })
  pendingReview!: number;
  @Field(() => [RiskBandCount], { description: 'Scored applications by risk band, A first' })
  byRiskBand!: RiskBandCount[];
  @Field(() => [OutcomeCount], { description: 'Decisions by outcome; every outcome is listed, zero included' })
  byOutcome!: OutcomeCount[];
}
