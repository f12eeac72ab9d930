import { Field, ID, InputType, Int } from 'type-graphql';
import { MoneyScalar } from '@tandem/platform';
import { DecisionOutcome } from './decision.types.js';

@InputType({ description: 'Terms granted with an approval; omit to grant what was requested' })
export class ApprovedTermsInput {
  @Field(() => MoneyScalar)
  amount!: number;
  @Field(() => Int)
  termMonths!: number;
}

@InputType({ description: "An analyst's decision on the case they are reviewing" })
export class SubmitDecisionInput {
  @Field(() => ID)
  applicationId!: string;
  @Field(() => DecisionOutcome)
  outcome!: DecisionOutcome;
  @Field({ description: 'Why; at least 20 characters' })
  reasoning!: string;
  @Field(() => [String], { nullable: true, description: 'Required (at least one) for APPROVED_WITH_CONDITIONS, not allowed otherwise' })
  conditions?: string[] | null;
  @Field(() => ApprovedTermsInput, { nullable: true })
  approvedTerms?: ApprovedTermsInput | null;
  @Field(() => String, {
    nullable: true,
    description: "Required (at least 50 characters) when the outcome goes against the model's recommendation",
  })
  overrideJustification?: string | null;
}
