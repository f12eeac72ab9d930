import { Field, Float, InputType, Int } from 'type-graphql';
import { DateScalar, MoneyScalar } from '@tandem/platform';
import { ApplicationOrder, ApplicationStatus, EmploymentType, Housing, LoanPurpose, MaritalStatus } from './application.types.js';

@InputType()
export class EmploymentInput {
  @Field(() => EmploymentType)
  type!: EmploymentType;
  @Field(() => Float, { nullable: true })
  yearsEmployed?: number | null;
  @Field(() => String, { nullable: true })
  employer?: string | null;
}

@InputType()
export class ApplicantInput {
  @Field()
  firstName!: string;
  @Field()
  lastName!: string;
  @Field(() => String, { nullable: true })
  email?: string | null;
  @Field(() => String, { nullable: true })
  phone?: string | null;
  @Field(() => String, { nullable: true })
  nationalId?: string | null;
  @Field(() => DateScalar, { description: 'YYYY-MM-DD' })
  dateOfBirth!: Date;
  @Field(() => MaritalStatus, { nullable: true })
  maritalStatus?: MaritalStatus | null;
  @Field(() => Int, { nullable: true })
  dependents?: number | null;
  @Field(() => Housing, { nullable: true })
  housing?: Housing | null;
  @Field(() => EmploymentInput, { nullable: true })
  employment?: EmploymentInput | null;
  @Field(() => String, { nullable: true })
  address?: string | null;
}

@InputType()
export class FinancialsInput {
  @Field(() => MoneyScalar, { nullable: true, description: 'Monthly net income; omit when unknown' })
  monthlyIncome?: number | null;
  @Field(() => MoneyScalar)
  monthlyExpenses!: number;
  @Field(() => MoneyScalar, { nullable: true })
  assets?: number | null;
  @Field(() => MoneyScalar, { nullable: true })
  debt?: number | null;
  @Field(() => MoneyScalar, { nullable: true })
  existingLoansMonthlyPayment?: number | null;
  @Field()
  pastArrears!: boolean;
}

@InputType()
export class LoanInput {
  @Field(() => MoneyScalar)
  amount!: number;
  @Field(() => Int)
  termMonths!: number;
  @Field(() => LoanPurpose, { nullable: true, defaultValue: LoanPurpose.CONSUMER_GOODS })
  purpose?: LoanPurpose | null;
  @Field(() => MoneyScalar, { nullable: true })
  goodsPrice?: number | null;
  @Field(() => String, { nullable: true, defaultValue: 'EUR' })
  currency?: string | null;
}

@InputType({ description: 'A loan application as a partner submits it' })
export class SubmitApplicationInput {
  @Field({ description: "The partner's reference; resubmitting the same one returns the same application" })
  externalId!: string;
  @Field(() => ApplicantInput)
  applicant!: ApplicantInput;
  @Field(() => FinancialsInput)
  financials!: FinancialsInput;
  @Field(() => LoanInput)
  loan!: LoanInput;
}

@InputType()
export class ApplicationFilterInput {
  @Field(() => [ApplicationStatus], { nullable: true })
  status?: ApplicationStatus[];
  @Field(() => String, { nullable: true })
  externalId?: string;
  @Field(() => Date, { nullable: true })
  submittedFrom?: Date;
  @Field(() => Date, { nullable: true })
  submittedTo?: Date;
}

export { ApplicationOrder };
