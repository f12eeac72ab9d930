// Every GraphQL document the workbench sends lives here, so the contract is
// adjustable in one place. Result/variable types are in ./types.ts.
import { gql } from 'urql';
import type {
  CaseApplication,
  Decision,
  DecisionDashboard,
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

export const LOGIN = gql<
  { login: { accessToken: string; refreshToken: string; user: User } },
  { email: string; password: string }
>`
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
        assignee {
          id
          name
          email
        }
      }
      decisions {
        id
        outcome
        reasoning
        isOverride
        overrideStatus
        automated
        decidedAt
      }
    }
  }
`;

export const SUBMIT_DECISION = gql<
  { submitDecision: { decision: Decision } },
  { input: SubmitDecisionInput }
>`
  mutation SubmitDecision($input: SubmitDecisionInput!) {
    submitDecision(input: $input) {
      decision {
        id
        outcome
        reasoning
        isOverride
        overrideStatus
        automated
        decidedAt
      }
    }
  }
`;

export const DECISION_DASHBOARD = gql<
  { decisionDashboard: DecisionDashboard },
  { from: string; to: string }
>`
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
