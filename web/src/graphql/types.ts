// Hand-written result types mirroring the selections in operations.ts.
// Money is a decimal string ("12000.00"), DateTime an ISO string.
export type Money = string;
export type DateTime = string;

export type QueueEntryStatus = 'PENDING' | 'ASSIGNED' | 'IN_PROGRESS' | 'COMPLETED';
export type QueueOrder = 'PRIORITY_DESC' | 'CREATED_ASC' | 'SLA_DEADLINE_ASC';
export type QueueChangeKind = 'CREATED' | 'ASSIGNED' | 'STARTED' | 'RELEASED' | 'COMPLETED';
export type DecisionOutcome =
  | 'APPROVED'
  | 'APPROVED_WITH_CONDITIONS'
  | 'DECLINED'
  | 'DOCUMENTS_REQUESTED';

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

export interface Decision {
  id: string;
  outcome: string;
  reasoning: string | null;
  isOverride: boolean;
  overrideStatus: string | null;
  automated: boolean;
  decidedAt: DateTime;
}

export interface CaseQueueEntry {
  id: string;
  status: QueueEntryStatus;
  priority: number;
  slaDeadline: DateTime;
  createdAt: DateTime;
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

export interface SubmitDecisionInput {
  applicationId: string;
  outcome: DecisionOutcome;
  reasoning: string;
  conditions?: string[];
  approvedTerms?: { amount: Money; termMonths: number };
  overrideJustification?: string;
}
