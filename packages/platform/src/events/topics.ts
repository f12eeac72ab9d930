/**
 * The catalogue of events that cross subgraphs: the one place where their
 * names and payloads are defined. Publishers and consumers both import these
 * types, so a change to a payload is a compile error on both sides.
 */
export const Topic = {
  ApplicationSubmitted: 'application.submitted',
  ApplicationStatusChanged: 'application.status_changed',
  ScoringStarted: 'scoring.started',
  ApplicationScored: 'application.scored',
  QueueEntryChanged: 'queue.entry_changed',
  SlaWarning: 'queue.sla_warning',
  DecisionMade: 'decision.made',
  DriftAlertRaised: 'scoring.drift_alert',
} as const;
export type Topic = (typeof Topic)[keyof typeof Topic];

export type ApplicationStatus = 'PENDING' | 'SCORING' | 'REVIEW' | 'APPROVED' | 'DECLINED';
export type Route = 'AUTO_APPROVE' | 'AUTO_DECLINE' | 'HUMAN_REVIEW';
export type ModelRecommendation = 'APPROVE' | 'DECLINE' | 'REVIEW';
export type QueueChangeKind = 'CREATED' | 'ASSIGNED' | 'STARTED' | 'RELEASED' | 'COMPLETED';
export type QueueEntryStatus = 'PENDING' | 'ASSIGNED' | 'IN_PROGRESS' | 'COMPLETED';
export type DecisionOutcome = 'APPROVED' | 'APPROVED_WITH_CONDITIONS' | 'DECLINED' | 'DOCUMENTS_REQUESTED';

/** The model's inputs as the applications subgraph knows them; no names, contacts or ids. */
export interface ScoringInput {
  monthlyIncome: number | null;
  monthlyExpenses: number;
  assets: number | null;
  debt: number | null;
  existingLoansMonthlyPayment: number | null;
  pastArrears: boolean;
  housing: string | null;
  employmentType: string | null;
  yearsEmployed: number | null;
  loanAmount: number;
  termMonths: number;
  purpose: string;
  goodsPrice: number | null;
  /** Protected attributes: never model inputs, kept for fairness monitoring. */
  ageYears: number;
  maritalStatus: string | null;
}

export interface ApplicationSubmitted {
  applicationId: string;
  externalId: string;
  submittedAt: string;
  input: ScoringInput;
}

export interface ApplicationStatusChanged {
  applicationId: string;
  from: ApplicationStatus;
  to: ApplicationStatus;
  submittedAt: string;
}

export interface ScoringStarted {
  applicationId: string;
}

export interface ApplicationScored {
  applicationId: string;
  scoreId: string;
  modelVersion: string;
  probabilityOfDefault: number;
  score: number;
  riskBand: string;
  route: Route;
  routeReason: string;
  modelRecommendation: ModelRecommendation;
  reasonCodes: { code: string; description: string }[];
  loanAmount: number;
  termMonths: number;
  submittedAt: string;
  scoredAt: string;
}

export interface QueueEntryChanged {
  kind: QueueChangeKind;
  entryId: string;
  applicationId: string;
  status: QueueEntryStatus;
  assigneeId: string | null;
  priority: number;
  slaDeadline: string;
  startedAt: string | null;
  reason?: string;
}

export interface DecisionMade {
  decisionId: string;
  applicationId: string;
  outcome: DecisionOutcome;
  automated: boolean;
  isOverride: boolean;
  overrideStatus: 'PENDING' | 'APPROVED' | 'REJECTED' | null;
  decidedBy: string | null;
  reviewSeconds: number | null;
  decidedAt: string;
  /** Whether a human decision met the case's SLA deadline (null for automated). */
  withinSla: boolean | null;
}

export interface SlaWarning {
  kind: 'WARNING' | 'BREACHED' | 'ESCALATED';
  entryId: string;
  applicationId: string;
  slaDeadline: string;
}
