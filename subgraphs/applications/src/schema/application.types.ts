import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '@tandem/platform';
import { MoneyScalar } from '@tandem/platform';

export enum ApplicationStatus {
  PENDING = 'PENDING',
  SCORING = 'SCORING',
  REVIEW = 'REVIEW',
  APPROVED = 'APPROVED',
  DECLINED = 'DECLINED',
}
registerEnumType(ApplicationStatus, { name: 'ApplicationStatus', description: 'Where an application is in its lifecycle' });

export enum MaritalStatus {
  SINGLE = 'SINGLE',
  MARRIED = 'MARRIED',
  SEPARATED = 'SEPARATED',
  DIVORCED = 'DIVORCED',
  WIDOWED = 'WIDOWED',
}
registerEnumType(MaritalStatus, { name: 'MaritalStatus' });

export enum Housing {
  OWNER = 'OWNER',
  RENT = 'RENT',
  PARENTS = 'PARENTS',
  PRIVATE = 'PRIVATE',
  OTHER = 'OTHER',
}
registerEnumType(Housing, { name: 'Housing' });

export enum EmploymentType {
  FIXED = 'FIXED',
  FREELANCE = 'FREELANCE',
  PART_TIME = 'PART_TIME',
  OTHER = 'OTHER',
}
registerEnumType(EmploymentType, { name: 'EmploymentType' });

export enum LoanPurpose {
  CAR = 'CAR',
  HOME_IMPROVEMENT = 'HOME_IMPROVEMENT',
  CONSUMER_GOODS = 'CONSUMER_GOODS',
  EDUCATION = 'EDUCATION',
  DEBT_CONSOLIDATION = 'DEBT_CONSOLIDATION',
  BUSINESS = 'BUSINESS',
  MEDICAL = 'MEDICAL',
  OTHER = 'OTHER',
}
registerEnumType(LoanPurpose, { name: 'LoanPurpose' });

export enum ApplicationOrder {
  SUBMITTED_DESC = 'SUBMITTED_DESC',
  SUBMITTED_ASC = 'SUBMITTED_ASC',
  AMOUNT_DESC = 'AMOUNT_DESC',
}
registerEnumType(ApplicationOrder, { name: 'ApplicationOrder' });

@ObjectType()
export class Employment {
  @Field(() => EmploymentType)
  type!: EmploymentType;
  @Field(() => Float, { nullable: true })
  yearsEmployed?: number | null;
  @Field(() => String, { nullable: true })
  employer?: string | null;
}

@ObjectType({ description: 'The applicant. Personal data: visible to users with application:view in the same tenant only.' })
export class Applicant {
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
  @Field(() => String, { description: 'ISO date, YYYY-MM-DD' })
  dateOfBirth!: string;
  @Field(() => MaritalStatus, { nullable: true })
  maritalStatus?: MaritalStatus | null;
  @Field(() => Int, { nullable: true })
  dependents?: number | null;
  @Field(() => Housing, { nullable: true })
  housing?: Housing | null;
  @Field(() => Employment, { nullable: true })
  employment?: Employment | null;
  @Field(() => String, { nullable: true })
  address?: string | null;
}

@ObjectType()
export class Financials {
  @Field(() => MoneyScalar, { nullable: true, description: 'Monthly net income; missing for some applicants' })
  monthlyIncome?: number | null;
  @Field(() => MoneyScalar)
  monthlyExpenses!: number;
  @Field(() => MoneyScalar, { nullable: true })
  assets?: number | null;
  @Field(() => MoneyScalar, { nullable: true, description: 'Outstanding debt' })
  debt?: number | null;
  @Field(() => MoneyScalar, { nullable: true })
  existingLoansMonthlyPayment?: number | null;
  @Field()
  pastArrears!: boolean;
}

@ObjectType()
export class Loan {
  @Field(() => MoneyScalar)
  amount!: number;
  @Field(() => Int)
  termMonths!: number;
  @Field(() => LoanPurpose)
  purpose!: LoanPurpose;
  @Field(() => MoneyScalar, { nullable: true, description: 'Price of the goods being financed' })
  goodsPrice?: number | null;
  @Field()
  currency!: string;
}

@ObjectType({ description: 'Ratios derived at submission, defined as the credit model defines them (income is monthly)' })
export class DerivedRatios {
  @Field(() => Float, { nullable: true, description: 'Outstanding debt / monthly income' })
  debtToIncome?: number | null;
  @Field(() => Float, { nullable: true, description: 'Loan amount / monthly income' })
  loanToIncome?: number | null;
  @Field(() => Float, { nullable: true, description: '(New annuity instalment + existing loan payments) / monthly income' })
  paymentToIncome?: number | null;
  @Field(() => MoneyScalar, { description: 'Annuity instalment at a nominal 12% a year' })
  monthlyInstalment!: number;
}

@ObjectType({ description: 'A loan application submitted by a partner system' })
@Directive('@key(fields: "id")')
export class Application {
  @Field(() => ID)
  id!: string;
  @Field({ description: "The partner's own reference; unique per tenant, the idempotency key of submitApplication" })
  externalId!: string;
  @Field(() => ApplicationStatus)
  status!: ApplicationStatus;
  @Field()
  submittedAt!: Date;
  @Field(() => Applicant)
  applicant!: Applicant;
  @Field(() => Financials)
  financials!: Financials;
  @Field(() => Loan)
  loan!: Loan;
  @Field(() => DerivedRatios)
  ratios!: DerivedRatios;
}

@ObjectType()
export class SubmitApplicationPayload {
  @Field(() => Application)
  application!: Application;
  @Field({ description: 'False when this call was a retry of an earlier submission with the same externalId' })
  created!: boolean;
}

export const ApplicationConnection = ConnectionType('Application', Application);
