import { MoneyScalar } from '@tandem/platform';
import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: "One version of a tenant's routing policy: when the model may decide alone" })
export class RoutingPolicy {
  @Field(() => Int, { description: "1, 2, …; 0 is the model card's suggested policy, in force while the tenant has set none" })
  version!: number;
  @Field(() => Float, { description: 'Approve automatically when the PD is below this' })
  autoApproveBelow!: number;
  @Field(() => Float, { description: 'Decline automatically when the PD is above this' })
  autoDeclineAbove!: number;
  @Field(() => MoneyScalar, { description: 'Loans above this amount always go to a human' })
  maxAutoAmount!: number;
  @Field(() => Int, { nullable: true, description: 'Loans longer than this always go to a human; null: no term limit' })
  maxAutoTermMonths?: number | null;
  @Field(() => [String], { description: 'Loan purposes that always go to a human' })
  reviewPurposes!: string[];
  @Field({ description: 'In force from this instant until a higher version takes effect' })
  effectiveFrom!: Date;
  @Field(() => String, { nullable: true, description: 'Who set it; null for the model card policy' })
  createdBy?: string | null;
  @Field(() => Date, { nullable: true })
  createdAt?: Date | null;
}

@InputType({ description: 'A new routing-policy version. Needs 0 < autoApproveBelow < autoDeclineAbove < 1 and positive limits.' })
export class RoutingPolicyInput {
  @Field(() => Float)
  autoApproveBelow!: number;
  @Field(() => Float)
  autoDeclineAbove!: number;
  @Field(() => MoneyScalar)
  maxAutoAmount!: number;
  @Field(() => Int, { nullable: true })
  maxAutoTermMonths?: number | null;
  @Field(() => [String], { nullable: true, description: 'LoanPurpose values, e.g. BUSINESS' })
  reviewPurposes?: string[] | null;
  @Field(() => Date, { nullable: true, description: 'A future instant; omitted: effective immediately' })
  effectiveFrom?: Date | null;
}
