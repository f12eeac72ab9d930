import { MoneyScalar } from '@tandem/platform';
import { Field, ID, InputType, Int } from 'type-graphql';
import { DecisionConditionKind, DecisionOutcome } from './decision.types.js';

@InputType({
  description: 'A typed condition of an approval. REDUCED_AMOUNT takes amount (below the requested), REDUCED_TERM takes termMonths (below the requested)',
})
export class ConditionInput {
  @Field(() => DecisionConditionKind)
  kind!: DecisionConditionKind;
  @Field(() => String, { nullable: true, description: 'What is required; optional for REDUCED_AMOUNT / REDUCED_TERM (described for you)' })
  description?: string | null;
  @Field(() => MoneyScalar, { nullable: true })
  amount?: number | null;
  @Field(() => Int, { nullable: true })
  termMonths?: number | null;
}

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
  @Field(() => DecisionOutcome, {
    description: "DECLINED quotes the score's reason codes as its principal reasons: a score with none (no factor raised the risk) cannot be declined",
  })
  outcome!: DecisionOutcome;
  @Field({ description: 'Why; at least 20 characters' })
  reasoning!: string;
  @Field(() => [String], {
    nullable: true,
    description:
      'Free-text conditions, each stored as an OTHER condition. APPROVED_WITH_CONDITIONS needs at least one condition here or in typedConditions; other outcomes take none',
  })
  conditions?: string[] | null;
  @Field(() => [ConditionInput], {
    nullable: true,
    description: 'Typed conditions (APPROVED_WITH_CONDITIONS only); a reduction adjusts the approved terms and the instalment',
  })
  typedConditions?: ConditionInput[] | null;
  @Field(() => [String], { nullable: true, description: 'DOCUMENTS_REQUESTED only: what the applicant must send' })
  documentsChecklist?: string[] | null;
  @Field(() => Date, { nullable: true, description: 'DOCUMENTS_REQUESTED only: by when (future, within 90 days); 14 days when omitted' })
  documentsDueAt?: Date | null;
  @Field(() => ApprovedTermsInput, { nullable: true })
  approvedTerms?: ApprovedTermsInput | null;
  @Field(() => String, {
    nullable: true,
    description: "Required (at least 50 characters) when the outcome goes against the model's recommendation",
  })
  overrideJustification?: string | null;
}

@InputType({ description: 'A document sent in answer to a documents request' })
export class SubmittedDocumentInput {
  @Field({ description: 'e.g. payslip-2026-10.pdf' })
  name!: string;
  @Field({ description: 'e.g. PAYSLIP, BANK_STATEMENT, ID' })
  kind!: string;
  @Field(() => String, { nullable: true, description: 'Where Tandem can fetch it (http or https)' })
  url?: string | null;
  @Field(() => String, {
    nullable: true,
    description: "The item of the request's checklist this document answers, worded exactly as the checklist words it (BAD_USER_INPUT otherwise)",
  })
  checklistItem?: string | null;
}
