import type { QueueEntry, QueueSummary, User } from '../graphql/types';
import { SESSION_STORAGE_KEY } from '../auth/session';

export const analyst: User = {
  id: 'u-analyst',
  email: 'analyst@demo.test',
  name: 'Ada Analyst',
  role: 'ANALYST',
  permissions: ['queue:read', 'decision:write'],
  tenant: { id: 't-1', slug: 'demo', name: 'Demo Bank' },
};

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

export function queueEntry(overrides: Partial<QueueEntry> & { id: string }, name = ['Jane', 'Doe']): QueueEntry {
  return {
    status: 'PENDING',
    priority: 50,
    slaDeadline: inHours(4),
    createdAt: inHours(-1),
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
