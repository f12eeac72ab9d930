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
  ApiClientRegistered: 'identity.api_client_registered',
} as const;
export type Topic = (typeof Topic)[keyof typeof Topic];

export type ApplicationStatus = 'PENDING' | 'SCORING' | 'REVIEW' | 'APPROVED' | 'DECLINED';
export type Route = 'AUTO_APPROVE' | 'AUTO_DECLINE' | 'HUMAN_REVIEW';
export type ModelRecommendation = 'APPROVE' | 'DECLINE' | 'REVIEW';
export type QueueChangeKind = 'CREATED' | 'ASSIGNED' | 'STARTED' | 'RELEASED' | 'COMPLETED' | 'REASSIGNED' | 'PAUSED' | 'RESUMED' | 'REOPENED';
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

/** The policy thresholds an application was routed by: how close its PD came to an automatic decision. */
export interface RoutingThresholds {
  autoApproveBelow: number;
  autoDeclineAbove: number;
}

export interface ApplicationScored {
  applicationId: string;
  /** The thresholds of the policy in force when it was scored (absent in events from before they were carried). */
  routingThresholds?: RoutingThresholds;
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

/**
 * Decisions' own workflow events beyond DecisionMade (published by the
 * decisions subgraph). The queue may consume them: a rejected override
 * returns the case to its analyst; a contested automated decision opens a
 * human re-review case (GDPR Art. 22(3)).
 */
export const DecisionTopic = {
  OverrideRejected: 'decision.override_rejected',
  DecisionContested: 'decision.contested',
} as const;

export interface OverrideRejected {
  decisionId: string;
  applicationId: string;
  /** The analyst whose override was rejected: the one to notify. */
  analystId: string;
  rejectedBy: string;
  reason: string;
  rejectedAt: string;
}

export interface DecisionContested {
  contestId: string;
  applicationId: string;
  /** The automated decision being contested; it is no longer final. */
  decisionId: string;
  statement: string;
  /** The API client that contested on the applicant's behalf. */
  contestedBy: string;
  contestedAt: string;
  /** The score the automated decision was made on, as scoring published it (route as it was then). */
  evidence: Omit<ApplicationScored, 'submittedAt'>;
}

/**
 * The audit trail: every subgraph stages one of these (through `recordAudit`)
 * in the transaction of each state change; analytics appends them to the one
 * hash-chained trail of the graph. Values are already masked (no PII).
 */
export const AuditTopic = {
  AuditRecorded: 'audit.recorded',
} as const;

export type AuditActorKind = 'user' | 'client' | 'system' | 'anonymous';

export interface AuditRecorded {
  /** What changed: `Application`, `Decision`, `QueueEntry`, `User`, `RoutingPolicy`, … */
  entityType: string;
  entityId: string;
  /** The change in the entity's own words: `SUBMITTED`, `STATUS_CHANGED`, `ASSIGNED`, … */
  action: string;
  /** Who caused it; a system job or an event handler is `{ kind: 'system', id: <job or event type> }`. */
  actor: { kind: AuditActorKind; id: string | null };
  /** When the change was made (ISO 8601). */
  occurredAt: string;
  oldValue: unknown;
  newValue: unknown;
  changes: { path: string; kind: 'ADDED' | 'REMOVED' | 'CHANGED'; from?: unknown; to?: unknown }[];
}

/** The review case's own events beyond QueueEntryChanged. */
export const CaseTopic = {
  /** The partner answered a documents request (decisions publishes; the queue resumes the case and its SLA clock). */
  DocumentsSubmitted: 'documents.submitted',
} as const;

export interface DocumentsSubmitted {
  applicationId: string;
  /** checklistItem: the item of the request's checklist the document answers, null when the partner did not say. */
  documents: { name: string; kind: string; checklistItem?: string | null }[];
  submittedAt: string;
}

/** In-app notifications (published by the queue): one event per notification, for its recipient only. */
export const NotificationTopic = {
  NotificationCreated: 'notification.created',
} as const;

export interface NotificationCreated {
  notificationId: string;
  /** The user it is for; subscriptions deliver it to them alone. */
  recipientId: string;
  kind: string;
  entryId: string | null;
  applicationId: string | null;
  createdAt: string;
}

/**
 * Payload of Topic.ApiClientRegistered (published by identity when a partner
 * system gets credentials in a tenant): other subgraphs learn which client
 * ids exist in which tenant, e.g. decisions, to refuse a webhook for a client
 * the tenant does not have.
 */
export interface ApiClientRegistered {
  clientId: string;
  name: string;
}

/**
 * Payload of Topic.DriftAlertRaised (published by scoring when a drift or
 * fairness check opens an alert or escalates one). The gateway's `driftAlert`
 * subscription copies these fields onto `DriftAlert`, so they match it exactly.
 */
export interface DriftAlertRaised {
  id: string;
  severity: 'WARNING' | 'CRITICAL';
  /** a model feature, `score`, or a protected attribute for fairness (`ageBand`, `maritalStatus`) */
  feature: string;
  /** `PSI`, or `APPROVAL_RATE_RATIO` for fairness */
  metric: string;
  value: number;
  raisedAt: string;
  /** DRIFT or FAIRNESS */
  kind?: 'DRIFT' | 'FAIRNESS';
  /** the alert's status when published (OPEN, or ACKNOWLEDGED for an escalation) */
  status?: 'OPEN' | 'ACKNOWLEDGED' | 'DISMISSED';
  modelVersion?: string;
}
