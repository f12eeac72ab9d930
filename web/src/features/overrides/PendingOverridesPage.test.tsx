import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { App } from '../../app';
import type { PendingOverride, User } from '../../graphql/types';
import { analyst, caseApplication, connection, decision, senior, signIn, summary } from '../../test/fixtures';
import { api, server } from '../../test/server';

const JUSTIFICATION = 'Applicant documented a new permanent contract with a 20% raise that the model cannot see.';

function pendingOverride(id: string, applicationId: string, decidedBy = analyst): PendingOverride {
  const d = decision({
    id,
    applicationId,
    outcome: 'DECLINED',
    isOverride: true,
    overrideDirection: 'DECLINE_OVER_APPROVE',
    overrideStatus: 'PENDING',
    overrideJustification: JUSTIFICATION,
    decidedBy: { id: decidedBy.id, name: decidedBy.name, email: decidedBy.email },
    decidedAt: new Date(Date.now() - 3 * 3_600_000).toISOString(),
  });
  return d;
}

/** A senior's workbench on #/overrides, with the pending list served from `state.pending`. */
function mockOverridesServer(user: User, pending: PendingOverride[]) {
  const state = { pending, listRequests: 0 };
  signIn('tok-senior', user);
  server.use(
    api.query('Me', () => HttpResponse.json({ data: { me: user } })),
    api.query('PendingOverrides', () => {
      state.listRequests++;
      return HttpResponse.json({
        data: {
          pendingOverrides: {
            totalCount: state.pending.length,
            edges: state.pending.map((node) => ({ cursor: `c-${node.id}`, node })),
            pageInfo: { hasNextPage: false, endCursor: null },
          },
        },
      });
    }),
    api.query('OverrideCase', ({ variables }) => {
      const app = caseApplication({ id: variables.id as string });
      const name = variables.id === 'app-2' ? { firstName: 'John', lastName: 'Roe' } : app.applicant;
      return HttpResponse.json({
        data: {
          application: {
            id: app.id,
            externalId: `EXT-${app.id}`,
            applicant: { firstName: name.firstName, lastName: name.lastName },
            loan: { amount: app.loan.amount, termMonths: app.loan.termMonths, currency: app.loan.currency },
            scoring: { probabilityOfDefault: 0.012, riskBand: 'A', modelRecommendation: 'APPROVE' },
          },
        },
      });
    }),
  );
  return state;
}

const rowOf = (decisionId: string) => screen.getAllByTestId('override-row').find((r) => r.getAttribute('data-decision-id') === decisionId) as HTMLElement;

describe('pending overrides', () => {
  it('is hidden from analysts: no nav entry, and the page itself refuses without asking the server', async () => {
    const state = mockOverridesServer(analyst, []);
    server.use(
      api.query('ReviewQueue', () => HttpResponse.json({ data: connection([]) })),
      api.query('QueueSummary', () => HttpResponse.json({ data: { queueSummary: summary() } })),
      api.subscription('QueueChanged', () => {}),
    );
    window.location.hash = '#/queue';
    render(<App />);
    await screen.findByTestId('current-user');
    expect(screen.queryByTestId('nav-overrides')).toBeNull();

    window.location.hash = '#/overrides';
    expect(await screen.findByTestId('overrides-forbidden')).toBeTruthy();
    await new Promise((r) => setTimeout(r, 50));
    expect(state.listRequests).toBe(0);
  });

  it('lists pending overrides for a senior with case, analyst, model vs decision, justification and waiting time', async () => {
    mockOverridesServer(senior, [pendingOverride('d-1', 'app-1'), pendingOverride('d-2', 'app-2')]);
    window.location.hash = '#/overrides';
    render(<App />);
    expect((await screen.findByTestId('nav-overrides')).className).toBe('active');
    await waitFor(() => expect(screen.getAllByTestId('override-row')).toHaveLength(2));
    const row = rowOf('d-2');
    await waitFor(() => expect(row.textContent).toContain('John Roe'));
    expect(row.textContent).toContain('€12,000');
    expect(within(row).getByTestId('override-analyst').textContent).toBe('Ada Analyst');
    expect(row.textContent).toMatch(/Approve→Declined/);
    expect(within(row).getByTestId('override-direction').textContent).toBe('Declines what the model would approve');
    expect(within(row).getByTestId('override-justification-text').textContent).toContain(JUSTIFICATION);
    expect(within(row).getByTestId('override-waiting').textContent).toBe('3 h ago');
    expect(within(row).getByTestId('override-case-link').getAttribute('href')).toBe('#/case/app-2');
    expect(screen.getByTestId('overrides-count').textContent).toBe('2 waiting');
  });

  it('approves an override and takes it off the list', async () => {
    const state = mockOverridesServer(senior, [pendingOverride('d-1', 'app-1'), pendingOverride('d-2', 'app-2')]);
    let approved: unknown;
    server.use(
      api.mutation('ApproveOverride', ({ variables }) => {
        approved = variables;
        const d = state.pending.find((p) => p.id === variables.decisionId);
        state.pending = state.pending.filter((p) => p.id !== variables.decisionId);
        return HttpResponse.json({ data: { approveOverride: { ...decision({ id: 'd-1' }), ...d, overrideStatus: 'APPROVED' } } });
      }),
    );
    window.location.hash = '#/overrides';
    render(<App />);
    await waitFor(() => expect(screen.getAllByTestId('override-row')).toHaveLength(2));
    await waitFor(() => expect(rowOf('d-1').textContent).toContain('Jane Doe'));
    const before = state.listRequests;
    fireEvent.click(within(rowOf('d-1')).getByTestId('approve-override'));
    await waitFor(() => expect(approved).toEqual({ decisionId: 'd-1' }));
    await waitFor(() => expect(screen.getAllByTestId('override-row')).toHaveLength(1));
    expect(screen.getByTestId('overrides-notice').textContent).toMatch(/Override approved: Jane Doe is declined/);
    await waitFor(() => expect(state.listRequests).toBeGreaterThan(before));
    expect(screen.getByTestId('overrides-count').textContent).toBe('1 waiting');
  });

  it('needs a 20-character reason to reject, then sends it and removes the row', async () => {
    const state = mockOverridesServer(senior, [pendingOverride('d-1', 'app-1')]);
    const rejections: unknown[] = [];
    server.use(
      api.mutation('RejectOverride', ({ variables }) => {
        rejections.push(variables);
        state.pending = [];
        return HttpResponse.json({ data: { rejectOverride: { ...pendingOverride('d-1', 'app-1'), overrideStatus: 'REJECTED', final: false } } });
      }),
    );
    window.location.hash = '#/overrides';
    render(<App />);
    await waitFor(() => expect(rowOf('d-1').textContent).toContain('Jane Doe'));
    fireEvent.click(screen.getByTestId('reject-override'));
    fireEvent.change(screen.getByTestId('reject-reason'), { target: { value: 'Not convinced.' } });
    fireEvent.click(screen.getByTestId('confirm-reject'));
    expect((await screen.findByTestId('reject-reason-error')).textContent).toContain('20');
    await new Promise((r) => setTimeout(r, 50));
    expect(rejections).toHaveLength(0);

    const reason = '  The raise is not yet in force; keep the model decision.  ';
    fireEvent.change(screen.getByTestId('reject-reason'), { target: { value: reason } });
    fireEvent.click(screen.getByTestId('confirm-reject'));
    await waitFor(() => expect(rejections).toEqual([{ decisionId: 'd-1', reason: reason.trim() }]));
    await screen.findByTestId('overrides-empty');
    expect(screen.getByTestId('overrides-notice').textContent).toContain('back with Ada Analyst');
  });

  it("shows the server's refusal (reviewing one's own override is FORBIDDEN) and keeps the row", async () => {
    mockOverridesServer(senior, [pendingOverride('d-own', 'app-1', senior)]);
    server.use(
      api.mutation('ApproveOverride', () =>
        HttpResponse.json({ data: null, errors: [{ message: 'No one may review their own override', extensions: { code: 'FORBIDDEN' } }] }),
      ),
    );
    window.location.hash = '#/overrides';
    render(<App />);
    const row = await waitFor(() => rowOf('d-own'));
    expect(within(row).getByTestId('override-analyst').textContent).toContain('you');
    fireEvent.click(within(row).getByTestId('approve-override'));
    const error = await screen.findByTestId('override-error');
    expect(error.getAttribute('data-code')).toBe('FORBIDDEN');
    expect(error.textContent).toContain('No one may review their own override');
    expect(screen.getAllByTestId('override-row')).toHaveLength(1);
    expect(screen.queryByTestId('overrides-notice')).toBeNull();
  });
});
