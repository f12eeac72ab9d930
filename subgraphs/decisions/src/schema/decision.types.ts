import { ConnectionType, MoneyScalar } from '@tandem/platform';
import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

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

export enum DecisionConditionKind {
  DOCUMENTATION = 'DOCUMENTATION',
  COLLATERAL = 'COLLATERAL',
  GUARANTOR = 'GUARANTOR',
  REDUCED_AMOUNT = 'REDUCED_AMOUNT',
  REDUCED_TERM = 'REDUCED_TERM',
  OTHER = 'OTHER',
}
registerEnumType(DecisionConditionKind, { name: 'DecisionConditionKind', description: 'What a condition of an approval asks for' });

export enum ChecklistItemState {
  REQUESTED = 'REQUESTED',
  RECEIVED = 'RECEIVED',
  MISSING = 'MISSING',
  UNMATCHED = 'UNMATCHED',
}
registerEnumType(ChecklistItemState, {
  name: 'ChecklistItemState',
  description: 'Where one item of a documents request stands',
  valuesConfig: {
    REQUESTED: { description: 'The request still waits for the partner' },
    RECEIVED: { description: 'At least one submitted document names this item' },
    MISSING: { description: 'The partner answered, naming items for its documents, but none for this one' },
    UNMATCHED: { description: 'The partner answered without naming items: read the documents to tell' },
  },
});

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  DEAD = 'DEAD',
}
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'PENDING until a 2xx answer (DELIVERED) or the last retry fails (DEAD)',
});

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

@ObjectType({ description: 'What an approval with given conditions would grant and quote, computed as submitDecision computes it' })
export class ApprovalTermsPreview {
  @Field(() => ApprovedTerms, { description: 'What the applicant asked for' })
  requested!: ApprovedTerms;
  @Field(() => MoneyScalar, { description: 'The instalment of the requested terms' })
  requestedMonthlyInstalment!: number;
  @Field(() => ApprovedTerms, { description: 'What the approval would grant: the requested terms with any reduction applied' })
  terms!: ApprovedTerms;
  @Field(() => MoneyScalar, { description: 'The annuity instalment of those terms, as the decision would quote it' })
  monthlyInstalment!: number;
  @Field(() => Float, { description: 'The nominal annual rate of the quote (0.12 is 12%)' })
  annualRate!: number;
}

@ObjectType({ description: 'A condition of an approval and whether it has been met' })
export class DecisionCondition {
  @Field(() => ID)
  id!: string;
  @Field(() => DecisionConditionKind)
  kind!: DecisionConditionKind;
  @Field()
  description!: string;
  @Field(() => MoneyScalar, { nullable: true, description: 'REDUCED_AMOUNT: the amount granted' })
  amount?: number | null;
  @Field(() => Int, { nullable: true, description: 'REDUCED_TERM: the term granted' })
  termMonths?: number | null;
  @Field()
  fulfilled!: boolean;
  @Field(() => Date, { nullable: true })
  fulfilledAt?: Date | null;
  @Field(() => User, { nullable: true, description: 'Who marked it met' })
  fulfilledBy?: User | null;
}

@ObjectType({ description: 'A document the partner sent in answer to a documents request' })
export class SubmittedDocument {
  @Field()
  name!: string;
  @Field()
  kind!: string;
  @Field(() => String, { nullable: true })
  url?: string | null;
  @Field(() => String, { nullable: true, description: 'The checklist item it answers, as the request words it; null when the partner did not say' })
  checklistItem?: string | null;
}

@ObjectType({ description: 'One item of a documents request and the documents that answer it' })
export class DocumentsChecklistItem {
  @Field()
  item!: string;
  @Field(() => ChecklistItemState)
  state!: ChecklistItemState;
  @Field(() => [SubmittedDocument], { description: 'The submitted documents naming this item' })
  documents!: SubmittedDocument[];
}

@ObjectType({ description: 'What the applicant was asked to send, by when, and what came back' })
export class DocumentsRequest {
  /** The DOCUMENTS_REQUESTED decision (not exposed: the parent is that decision). */
  decisionId!: string;
  @Field(() => [String])
  checklist!: string[];
  @Field(() => Date)
  dueAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When the partner answered (submitDocuments); null while waiting' })
  answeredAt?: Date | null;
  @Field(() => [SubmittedDocument], { description: 'Empty while waiting' })
  submittedDocuments!: SubmittedDocument[];
}

@ObjectType({ description: 'The score an automated decision was made on, kept with a contest' })
export class ContestEvidence {
  @Field()
  modelVersion!: string;
  @Field()
  scoreId!: string;
  @Field(() => Float)
  probabilityOfDefault!: number;
  @Field(() => Float)
  score!: number;
  @Field()
  riskBand!: string;
  @Field()
  routeReason!: string;
  @Field(() => [DecisionReasonCode])
  reasonCodes!: DecisionReasonCode[];
}

@ObjectType({ description: 'A contest of an automated decision (GDPR Art. 22(3)): a human re-reviews the application' })
export class DecisionContest {
  @Field(() => ID)
  id!: string;
  @Field(() => ID)
  applicationId!: string;
  @Field(() => ID)
  decisionId!: string;
  @Field()
  statement!: string;
  @Field({ description: 'The API client that contested on the applicant’s behalf' })
  contestedBy!: string;
  @Field(() => Date)
  contestedAt!: Date;
  @Field(() => ContestEvidence, { nullable: true })
  evidence?: ContestEvidence | null;
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
  @Field(() => [String], { description: 'The conditions in words; typedConditions carries their kind and state' })
  conditions!: string[];
  @Field(() => ApprovedTerms, { nullable: true, description: 'Set for approvals only' })
  approvedTerms?: ApprovedTerms | null;
  @Field(() => MoneyScalar, { nullable: true, description: 'The annuity instalment of the approved terms at 12% nominal a year; approvals only' })
  monthlyInstalment?: number | null;
  @Field(() => DocumentsRequest, { nullable: true, description: 'DOCUMENTS_REQUESTED only' })
  documentsRequest?: DocumentsRequest | null;
  @Field({
    description: 'Whether this decision settles the application now (false for a documents request, a rejected override or a contested automated decision)',
  })
  final!: boolean;
  @Field({ description: "Whether the decision goes against the model's recommendation" })
  isOverride!: boolean;
  @Field(() => OverrideDirection, { nullable: true })
  overrideDirection?: OverrideDirection | null;
  @Field(() => OverrideStatus, { nullable: true, description: 'PENDING until a senior analyst approves or rejects the override; null when not an override' })
  overrideStatus?: OverrideStatus | null;
  @Field(() => String, { nullable: true, description: 'Why the analyst overrode the model; null when not an override' })
  overrideJustification?: string | null;
  @Field(() => User, { nullable: true, description: 'The senior analyst who approved or rejected the override' })
  overrideReviewedBy?: User | null;
  @Field(() => Date, { nullable: true })
  overrideReviewedAt?: Date | null;
  @Field(() => String, { nullable: true, description: 'Why the override was rejected' })
  overrideRejectionReason?: string | null;
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

export const DecisionConnection = ConnectionType('Decision', Decision);

@ObjectType({ description: "An API client's webhook endpoint; the secret is never shown again" })
export class WebhookEndpoint {
  @Field(() => ID)
  clientId!: string;
  @Field()
  url!: string;
  @Field(() => Date)
  createdAt!: Date;
  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType({ description: 'One webhook to one API client, with its delivery state' })
export class WebhookDelivery {
  @Field(() => ID)
  id!: string;
  @Field(() => ID)
  clientId!: string;
  @Field({ description: 'decision.made, decision.documents_requested, decision.override_rejected, decision.condition_fulfilled' })
  eventType!: string;
  @Field({ description: 'The JSON body exactly as sent' })
  body!: string;
  @Field(() => WebhookDeliveryStatus)
  status!: WebhookDeliveryStatus;
  @Field(() => Int)
  attempts!: number;
  @Field(() => Int, { nullable: true })
  lastStatusCode?: number | null;
  @Field(() => String, { nullable: true })
  lastError?: string | null;
  @Field(() => Date)
  createdAt!: Date;
  @Field(() => Date, { nullable: true })
  deadAt?: Date | null;
}

export const WebhookDeliveryConnection = ConnectionType('WebhookDelivery', WebhookDelivery);
