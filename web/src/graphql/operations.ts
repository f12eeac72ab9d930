// Every GraphQL document the workbench sends lives here, so the contract is
// adjustable in one place. Result/variable types are in ./types.ts.
import { gql } from 'urql';
import type {
  ApprovalTermsPreview,
  CaseApplication,
  ConditionInput,
  Connection,
  Decision,
  DecisionCondition,
  DecisionDashboard,
  Notification,
  OverrideCase,
  PendingOverride,
  QueueChangedEvent,
  QueueEntry,
  QueueFilter,
  QueueOrder,
  QueueSummary,
  SubmitDecisionInput,
  User,
} from './types';

const USER_FIELDS = gql`
  fragment UserFields on User {
    id
    email
    name
    role
    permissions
    tenant {
      id
      slug
      name
    }
  }
`;

const QUEUE_ENTRY_FIELDS = gql`
  fragment QueueEntryFields on QueueEntry {
    id
    status
    priority
    slaDeadline
    createdAt
    slaPausedAt
    awaitingOverrideApproval
    assignee {
      id
      name
      email
    }
    application {
      id
      externalId
      status
      applicant {
        firstName
        lastName
      }
      loan {
        amount
        termMonths
        currency
        purpose
      }
      scoring {
        probabilityOfDefault
        score
        riskBand
        route
        modelRecommendation
      }
    }
  }
`;

// Selections spliced in as text rather than fragments: the gateway counts a fragment
// spread as a level of depth (graphql-armor, limit 8), and these sit deep in their queries.
const CONDITION_SELECTION = `
    id
    kind
    description
    amount
    termMonths
    fulfilled
    fulfilledAt
    fulfilledBy {
      id
      name
      email
    }
`;

const NOTIFICATION_SELECTION = `
    id
    kind
    message
    createdAt
    readAt
    entry {
      id
    }
    application {
      id
      externalId
      applicant {
        firstName
        lastName
      }
    }
`;

const DECISION_FIELDS = gql`
  fragment DecisionFields on Decision {
    id
    applicationId
    outcome
    reasoning
    approvedTerms {
      amount
      termMonths
    }
    monthlyInstalment
    documentsRequest {
      checklist
      dueAt
      answeredAt
      submittedDocuments {
        name
        kind
        url
        checklistItem
      }
      items {
        item
        state
      }
    }
    final
    isOverride
    overrideDirection
    overrideStatus
    overrideJustification
    overrideReviewedBy {
      id
      name
      email
    }
    overrideReviewedAt
    overrideRejectionReason
    automated
    decidedBy {
      id
      name
      email
    }
    decidedAt
    reasonCodes {
      code
      description
    }
    typedConditions {
      ${CONDITION_SELECTION}
    }
  }
`;

export const LOGIN = gql<{ login: { accessToken: string; refreshToken: string; user: User } }, { email: string; password: string }>`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      accessToken
      refreshToken
      user {
        ...UserFields
      }
    }
  }
  ${USER_FIELDS}
`;

/** Trades the session's single-use refresh token for a new pair (auth/renewal.ts, when the gateway refuses the access token). */
export const REFRESH_TOKEN = gql<{ refreshToken: { accessToken: string; refreshToken: string; user: User } }, { refreshToken: string }>`
  mutation RefreshToken($refreshToken: String!) {
    refreshToken(refreshToken: $refreshToken) {
      accessToken
      refreshToken
      user {
        ...UserFields
      }
    }
  }
  ${USER_FIELDS}
`;

/** Ends the session on the server: its refresh and access tokens stop working and its live sockets close. */
export const LOGOUT = gql<{ logout: boolean }, { refreshToken: string }>`
  mutation Logout($refreshToken: String!) {
    logout(refreshToken: $refreshToken)
  }
`;

export const ME = gql<{ me: User }, Record<string, never>>`
  query Me {
    me {
      ...UserFields
    }
  }
  ${USER_FIELDS}
`;

export const REVIEW_QUEUE = gql<
  {
    reviewQueue: {
      totalCount: number;
      edges: { cursor: string; node: QueueEntry }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  },
  { filter?: QueueFilter; first?: number; after?: string | null; orderBy?: QueueOrder }
>`
  query ReviewQueue($filter: QueueFilter, $first: Int, $after: String, $orderBy: QueueOrder) {
    reviewQueue(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
      totalCount
      edges {
        cursor
        node {
          ...QueueEntryFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
  ${QUEUE_ENTRY_FIELDS}
`;

export const QUEUE_SUMMARY = gql<{ queueSummary: QueueSummary }, Record<string, never>>`
  query QueueSummary {
    queueSummary {
      pending
      assigned
      inProgress
      approachingSla
      breached
      total
    }
  }
`;

export const QUEUE_CHANGED = gql<{ queueChanged: QueueChangedEvent }, Record<string, never>>`
  subscription QueueChanged {
    queueChanged {
      kind
      entry {
        ...QueueEntryFields
      }
    }
  }
  ${QUEUE_ENTRY_FIELDS}
`;

export const ASSIGN_CASE = gql<{ assignCase: QueueEntry }, { entryId: string; analystId?: string }>`
  mutation AssignCase($entryId: ID!, $analystId: ID) {
    assignCase(entryId: $entryId, analystId: $analystId) {
      ...QueueEntryFields
    }
  }
  ${QUEUE_ENTRY_FIELDS}
`;

export const START_REVIEW = gql<{ startReview: QueueEntry }, { entryId: string }>`
  mutation StartReview($entryId: ID!) {
    startReview(entryId: $entryId) {
      ...QueueEntryFields
    }
  }
  ${QUEUE_ENTRY_FIELDS}
`;

export const RELEASE_CASE = gql<{ releaseCase: QueueEntry }, { entryId: string; reason: string }>`
  mutation ReleaseCase($entryId: ID!, $reason: String!) {
    releaseCase(entryId: $entryId, reason: $reason) {
      ...QueueEntryFields
    }
  }
  ${QUEUE_ENTRY_FIELDS}
`;

export const PICK_NEXT_CASE = gql<{ pickNextCase: QueueEntry | null }, Record<string, never>>`
  mutation PickNextCase {
    pickNextCase {
      ...QueueEntryFields
    }
  }
  ${QUEUE_ENTRY_FIELDS}
`;

export const CASE_APPLICATION = gql<{ application: CaseApplication | null }, { id: string }>`
  query CaseApplication($id: ID!) {
    application(id: $id) {
      id
      externalId
      status
      submittedAt
      applicant {
        firstName
        lastName
        email
        dateOfBirth
        maritalStatus
        housing
        employment {
          type
          yearsEmployed
          employer
        }
      }
      financials {
        monthlyIncome
        monthlyExpenses
        assets
        debt
        existingLoansMonthlyPayment
        pastArrears
      }
      loan {
        amount
        termMonths
        purpose
        goodsPrice
        currency
      }
      ratios {
        debtToIncome
        loanToIncome
        paymentToIncome
        monthlyInstalment
      }
      scoring {
        probabilityOfDefault
        score
        riskBand
        route
        routeReason
        modelRecommendation
        modelVersion
        scoredAt
        topFactors {
          feature
          description
          value
          impact
        }
        reasonCodes {
          code
          description
        }
      }
      queueEntry {
        id
        status
        priority
        slaDeadline
        createdAt
        slaState
        slaPausedAt
        waitingOnApplicant
        awaitingOverrideApproval
        assignee {
          id
          name
          email
        }
      }
      decisions {
        ...DecisionFields
      }
    }
  }
  ${DECISION_FIELDS}
`;

/** The terms and instalment an approval with these conditions would grant, before the analyst sends it. */
export const APPROVAL_TERMS_PREVIEW = gql<{ approvalTermsPreview: ApprovalTermsPreview }, { applicationId: string; typedConditions: ConditionInput[] }>`
  query ApprovalTermsPreview($applicationId: ID!, $typedConditions: [ConditionInput!]) {
    approvalTermsPreview(applicationId: $applicationId, typedConditions: $typedConditions) {
      terms {
        amount
        termMonths
      }
      monthlyInstalment
      requestedMonthlyInstalment
    }
  }
`;

export const SUBMIT_DECISION = gql<{ submitDecision: { decision: Decision } }, { input: SubmitDecisionInput }>`
  mutation SubmitDecision($input: SubmitDecisionInput!) {
    submitDecision(input: $input) {
      decision {
        ...DecisionFields
      }
    }
  }
  ${DECISION_FIELDS}
`;

export const FULFIL_CONDITION = gql<{ fulfilCondition: DecisionCondition }, { decisionId: string; conditionId: string }>`
  mutation FulfilCondition($decisionId: ID!, $conditionId: ID!) {
    fulfilCondition(decisionId: $decisionId, conditionId: $conditionId) {
      ${CONDITION_SELECTION}
    }
  }
`;

export const PENDING_OVERRIDES = gql<{ pendingOverrides: Connection<PendingOverride> }, { first?: number; after?: string | null }>`
  query PendingOverrides($first: Int, $after: String) {
    pendingOverrides(first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          id
          applicationId
          outcome
          reasoning
          approvedTerms {
            amount
            termMonths
          }
          monthlyInstalment
          overrideDirection
          overrideStatus
          overrideJustification
          decidedBy {
            id
            name
            email
          }
          decidedAt
          typedConditions {
            ${CONDITION_SELECTION}
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** The case behind a pending override: Decision carries only applicationId. */
export const OVERRIDE_CASE = gql<{ application: OverrideCase | null }, { id: string }>`
  query OverrideCase($id: ID!) {
    application(id: $id) {
      id
      externalId
      applicant {
        firstName
        lastName
      }
      loan {
        amount
        termMonths
        currency
      }
      scoring {
        probabilityOfDefault
        riskBand
        modelRecommendation
      }
    }
  }
`;

export const APPROVE_OVERRIDE = gql<{ approveOverride: Decision }, { decisionId: string }>`
  mutation ApproveOverride($decisionId: ID!) {
    approveOverride(decisionId: $decisionId) {
      ...DecisionFields
    }
  }
  ${DECISION_FIELDS}
`;

export const REJECT_OVERRIDE = gql<{ rejectOverride: Decision }, { decisionId: string; reason: string }>`
  mutation RejectOverride($decisionId: ID!, $reason: String!) {
    rejectOverride(decisionId: $decisionId, reason: $reason) {
      ...DecisionFields
    }
  }
  ${DECISION_FIELDS}
`;

export const NOTIFICATIONS = gql<{ notifications: Connection<Notification> }, { first?: number; unreadOnly?: boolean }>`
  query Notifications($first: Int, $unreadOnly: Boolean) {
    notifications(first: $first, unreadOnly: $unreadOnly) {
      totalCount
      edges {
        cursor
        node {
          ${NOTIFICATION_SELECTION}
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const UNREAD_NOTIFICATION_COUNT = gql<{ unreadNotificationCount: number }, Record<string, never>>`
  query UnreadNotificationCount {
    unreadNotificationCount
  }
`;

export const MARK_NOTIFICATION_READ = gql<{ markNotificationRead: Notification }, { id: string }>`
  mutation MarkNotificationRead($id: ID!) {
    markNotificationRead(id: $id) {
      ${NOTIFICATION_SELECTION}
    }
  }
`;

export const NOTIFICATION_RECEIVED = gql<{ notificationReceived: { notification: Notification } }, Record<string, never>>`
  subscription NotificationReceived {
    notificationReceived {
      notification {
        ${NOTIFICATION_SELECTION}
      }
    }
  }
`;

export const DECISION_DASHBOARD = gql<{ decisionDashboard: DecisionDashboard }, { from: string; to: string }>`
  query DecisionDashboard($from: DateTime!, $to: DateTime!) {
    decisionDashboard(from: $from, to: $to) {
      totalApplications
      decisions
      autoDecisionRate
      approvalRate
      averageReviewSeconds
      slaComplianceRate
    }
  }
`;
