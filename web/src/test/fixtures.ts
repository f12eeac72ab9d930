import { SESSION_STORAGE_KEY } from '../auth/session';
import type { CaseApplication, Decision, Notification, QueueEntry, QueueSummary, User } from '../graphql/types';

export const analyst: User = {
  id: 'u-analyst',
  email: 'analyst@demo.test',
  name: 'Ada Analyst',
  role: 'ANALYST',
  permissions: ['application:view', 'queue:view', 'decision:view', 'decision:create', 'analytics:view'],
  tenant: { id: 't-1', slug: 'demo', name: 'Demo Bank' },
};

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

export function queueEntry(overrides: Partial<QueueEntry> & { id: string }, name = ['Jane', 'Doe']): QueueEntry {
  return {
    status: 'PENDING',
    priority: 50,
    slaDeadline: inHours(4),
    createdAt: inHours(-1),
    slaPausedAt: null,
    awaitingOverrideApproval: false,
    assignee: null,
    application: {
      id: `app-${overrides.id}`,
      externalId: `EXT-${overrides.id}`,
      status: 'REVIEW',
      applicant: { firstName: name[0] ?? 'Jane', lastName: name[1] ?? 'Doe' },
      loan: { amount: '12000.00', termMonths: 36, currency: 'EUR', purpose: 'CAR' },
      scoring: {
        probabilityOfDefault: 0.1234,
        score: 612,
        riskBand: 'C',
        route: 'REVIEW',
        modelRecommendation: 'APPROVE',
      },
    },
    ...overrides,
  };
}

export function summary(overrides: Partial<QueueSummary> = {}): QueueSummary {
  return { pending: 2, assigned: 0, inProgress: 0, approachingSla: 0, breached: 0, total: 2, ...overrides };
}

export function connection(rows: QueueEntry[]) {
  return {
    reviewQueue: {
      totalCount: rows.length,
      edges: rows.map((node) => ({ cursor: `c-${node.id}`, node })),
      pageInfo: { hasNextPage: false, endCursor: rows.length ? `c-${rows[rows.length - 1]?.id}` : null },
    },
  };
}

export function signIn(token = 'tok-test', user: User = analyst): void {
  window.sessionStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify({ accessToken: token, user }));
}

export const senior: User = {
  id: 'u-senior',
  email: 'senior@demo.test',
  name: 'Sam Senior',
  role: 'senior_analyst',
  permissions: ['application:view', 'queue:view', 'queue:assign', 'decision:view', 'decision:create', 'decision:approve_override'],
  tenant: { id: 't-1', slug: 'demo', name: 'Demo Bank' },
};

export function decision(overrides: Partial<Decision> & { id: string }): Decision {
  return {
    applicationId: 'app-1',
    outcome: 'APPROVED',
    reasoning: 'Stable income, low DTI, clean history.',
    approvedTerms: null,
    monthlyInstalment: null,
    documentsRequest: null,
    final: true,
    isOverride: false,
    overrideDirection: null,
    overrideStatus: null,
    overrideJustification: null,
    overrideReviewedBy: null,
    overrideReviewedAt: null,
    overrideRejectionReason: null,
    automated: false,
    decidedBy: { id: analyst.id, name: analyst.name, email: analyst.email },
    decidedAt: inHours(-2),
    reasonCodes: [],
    typedConditions: [],
    ...overrides,
  };
}

export function caseApplication(overrides: Partial<CaseApplication> = {}): CaseApplication {
  return {
    id: 'app-1',
    externalId: 'EXT-1',
    status: 'REVIEW',
    submittedAt: inHours(-3),
    applicant: {
      firstName: 'Jane',
      lastName: 'Doe',
      email: 'jane@example.com',
      dateOfBirth: '1985-04-02',
      maritalStatus: 'MARRIED',
      housing: 'RENT',
      employment: { type: 'FIXED', yearsEmployed: 6, employer: 'Acme' },
    },
    financials: {
      monthlyIncome: '3200.00',
      monthlyExpenses: '1100.00',
      assets: '5000.00',
      debt: '2000.00',
      existingLoansMonthlyPayment: '0.00',
      pastArrears: false,
    },
    loan: { amount: '12000.00', termMonths: 36, purpose: 'CAR', goodsPrice: '15000.00', currency: 'EUR' },
    ratios: { debtToIncome: 0.62, loanToIncome: 3.75, paymentToIncome: 0.12, monthlyInstalment: '398.57' },
    scoring: {
      probabilityOfDefault: 0.1834,
      score: 602,
      riskBand: 'C',
      route: 'HUMAN_REVIEW',
      routeReason: 'PD 18.3% is between the thresholds',
      modelRecommendation: 'REVIEW',
      modelVersion: 'credit-default@1',
      scoredAt: inHours(-3),
      topFactors: [],
      reasonCodes: [{ code: 'DTI_HIGH', description: 'Debt is high relative to income' }],
    },
    queueEntry: {
      id: 'e-1',
      status: 'IN_PROGRESS',
      priority: 60,
      slaDeadline: inHours(3),
      createdAt: inHours(-3),
      slaState: 'ON_TRACK',
      slaPausedAt: null,
      waitingOnApplicant: false,
      awaitingOverrideApproval: false,
      assignee: { id: analyst.id, name: analyst.name, email: analyst.email },
    },
    decisions: [],
    ...overrides,
  };
}

export function notification(overrides: Partial<Notification> & { id: string }): Notification {
  return {
    kind: 'SLA_WARNING',
    message: 'Case EXT-1 reaches its SLA deadline in 30 minutes',
    createdAt: inHours(-0.5),
    readAt: null,
    entry: { id: 'e-1' },
    application: { id: 'app-1', externalId: 'EXT-1', applicant: { firstName: 'Jane', lastName: 'Doe' } },
    ...overrides,
  };
}
