// Hand-written result types mirroring the selections in operations.ts.
// Money is a decimal string ("12000.00"), DateTime an ISO string.
export type Money = string;
export type DateTime = string;

export type QueueEntryStatus = 'PENDING' | 'ASSIGNED' | 'IN_PROGRESS' | 'COMPLETED';
export type QueueOrder = 'PRIORITY_DESC' | 'CREATED_ASC' | 'SLA_DEADLINE_ASC';
export type QueueChangeKind = 'CREATED' | 'ASSIGNED' | 'STARTED' | 'RELEASED' | 'COMPLETED';
export type DecisionOutcome = 'APPROVED' | 'APPROVED_WITH_CONDITIONS' | 'DECLINED' | 'DOCUMENTS_REQUESTED';

export interface Tenant {
  id: string;
  slug: string;
  name: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: string;
  permissions: string[];
  tenant: Tenant;
}

export interface UserRef {
  id: string;
  name: string;
  email: string;
}

export interface ScoringSummary {
  probabilityOfDefault: number;
  score: number;
  riskBand: string;
  route: string;
  modelRecommendation: string;
}

export interface QueueApplication {
  id: string;
  externalId: string;
  status: string;
  applicant: { firstName: string; lastName: string };
  loan: { amount: Money; termMonths: number; currency: string; purpose: string };
  scoring: ScoringSummary | null;
}

export interface QueueEntry {
  id: string;
  status: QueueEntryStatus;
  priority: number;
  slaDeadline: DateTime;
  createdAt: DateTime;
  /** Set while the SLA clock is paused (documents requested from the applicant). */
  slaPausedAt: DateTime | null;
  awaitingOverrideApproval: boolean;
  assignee: UserRef | null;
  application: QueueApplication;
}

export interface QueueFilter {
  status?: QueueEntryStatus[];
  assigneeId?: string;
  mine?: boolean;
}

export interface QueueSummary {
  pending: number;
  assigned: number;
  inProgress: number;
  approachingSla: number;
  breached: number;
  total: number;
}

export interface QueueChangedEvent {
  kind: QueueChangeKind;
  entry: QueueEntry;
}

export interface Factor {
  feature: string;
  description: string;
  value: string;
  impact: number;
}

export interface ReasonCode {
  code: string;
  description: string;
}

export interface Scoring extends ScoringSummary {
  routeReason: string;
  modelVersion: string;
  scoredAt: DateTime;
  topFactors: Factor[];
  reasonCodes: ReasonCode[];
}

export type DecisionConditionKind = 'DOCUMENTATION' | 'COLLATERAL' | 'GUARANTOR' | 'REDUCED_AMOUNT' | 'REDUCED_TERM' | 'OTHER';
export type OverrideDirection = 'APPROVE_OVER_DECLINE' | 'DECLINE_OVER_APPROVE';
export type OverrideStatus = 'PENDING' | 'APPROVED' | 'REJECTED';
export type SlaState = 'ON_TRACK' | 'APPROACHING' | 'BREACHED';

export interface DecisionCondition {
  id: string;
  kind: DecisionConditionKind;
  description: string;
  amount: Money | null;
  termMonths: number | null;
  fulfilled: boolean;
  fulfilledAt: DateTime | null;
  fulfilledBy: UserRef | null;
}

export interface SubmittedDocument {
  name: string;
  kind: string;
  url: string | null;
  /** The checklist item it answers; null when the partner did not say. */
  checklistItem: string | null;
}

export type ChecklistItemState = 'REQUESTED' | 'RECEIVED' | 'MISSING' | 'UNMATCHED';

export interface DocumentsRequest {
  checklist: string[];
  dueAt: DateTime;
  answeredAt: DateTime | null;
  submittedDocuments: SubmittedDocument[];
  items: { item: string; state: ChecklistItemState; documents: SubmittedDocument[] }[];
}

export interface Decision {
  id: string;
  applicationId: string;
  outcome: DecisionOutcome;
  reasoning: string | null;
  approvedTerms: { amount: Money; termMonths: number } | null;
  monthlyInstalment: Money | null;
  documentsRequest: DocumentsRequest | null;
  final: boolean;
  isOverride: boolean;
  overrideDirection: OverrideDirection | null;
  overrideStatus: OverrideStatus | null;
  overrideJustification: string | null;
  overrideReviewedBy: UserRef | null;
  overrideReviewedAt: DateTime | null;
  overrideRejectionReason: string | null;
  automated: boolean;
  decidedBy: UserRef | null;
  decidedAt: DateTime;
  reasonCodes: ReasonCode[];
  typedConditions: DecisionCondition[];
}

export interface CaseQueueEntry {
  id: string;
  status: QueueEntryStatus;
  priority: number;
  slaDeadline: DateTime;
  createdAt: DateTime;
  slaState: SlaState;
  /** Set while the SLA clock is paused (documents requested from the applicant). */
  slaPausedAt: DateTime | null;
  waitingOnApplicant: boolean;
  awaitingOverrideApproval: boolean;
  assignee: UserRef | null;
}

export interface CaseApplication {
  id: string;
  externalId: string;
  status: string;
  submittedAt: DateTime;
  applicant: {
    firstName: string;
    lastName: string;
    email: string | null;
    dateOfBirth: string;
    maritalStatus: string | null;
    housing: string | null;
    employment: { type: string; yearsEmployed: number | null; employer: string | null } | null;
  };
  financials: {
    monthlyIncome: Money | null;
    monthlyExpenses: Money;
    assets: Money | null;
    debt: Money | null;
    existingLoansMonthlyPayment: Money | null;
    pastArrears: boolean;
  };
  loan: {
    amount: Money;
    termMonths: number;
    purpose: string;
    goodsPrice: Money | null;
    currency: string;
  };
  ratios: {
    debtToIncome: number | null;
    loanToIncome: number | null;
    paymentToIncome: number | null;
    monthlyInstalment: Money;
  };
  scoring: Scoring | null;
  queueEntry: CaseQueueEntry | null;
  decisions: Decision[];
}

export interface DecisionDashboard {
  totalApplications: number;
  decisions: number;
  autoDecisionRate: number;
  approvalRate: number;
  averageReviewSeconds: number | null;
  slaComplianceRate: number | null;
}

export interface ConditionInput {
  kind: DecisionConditionKind;
  description?: string;
  amount?: Money;
  termMonths?: number;
}

/** What an approval with given conditions would grant and quote (the decisions subgraph computes it as submitDecision does). */
export interface ApprovalTermsPreview {
  terms: { amount: Money; termMonths: number };
  monthlyInstalment: Money;
  requestedMonthlyInstalment: Money;
}

export interface SubmitDecisionInput {
  applicationId: string;
  outcome: DecisionOutcome;
  reasoning: string;
  typedConditions?: ConditionInput[];
  documentsChecklist?: string[];
  documentsDueAt?: DateTime;
  approvedTerms?: { amount: Money; termMonths: number };
  overrideJustification?: string;
}

export type NotificationKind =
  | 'SLA_WARNING'
  | 'SLA_BREACHED'
  | 'SLA_ESCALATED'
  | 'CASE_ASSIGNED'
  | 'OVERRIDE_PENDING'
  | 'OVERRIDE_REJECTED'
  | 'DOCUMENTS_SUBMITTED';

export interface Notification {
  id: string;
  kind: NotificationKind;
  message: string;
  createdAt: DateTime;
  readAt: DateTime | null;
  entry: { id: string } | null;
  application: { id: string; externalId: string; applicant: { firstName: string; lastName: string } } | null;
}

export interface Connection<T> {
  totalCount: number;
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** A pending override as the senior's list shows it. */
export type PendingOverride = Pick<
  Decision,
  | 'id'
  | 'applicationId'
  | 'outcome'
  | 'reasoning'
  | 'approvedTerms'
  | 'monthlyInstalment'
  | 'overrideDirection'
  | 'overrideStatus'
  | 'overrideJustification'
  | 'decidedBy'
  | 'decidedAt'
  | 'typedConditions'
>;

/** The case a pending override is about (Decision has no application field: fetched by applicationId). */
export interface OverrideCase {
  id: string;
  externalId: string;
  applicant: { firstName: string; lastName: string };
  loan: { amount: Money; termMonths: number; currency: string };
  scoring: { probabilityOfDefault: number; riskBand: string; modelRecommendation: string } | null;
}
