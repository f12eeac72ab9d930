import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { App } from '../../app';
import type { CaseApplication, User } from '../../graphql/types';
import { analyst, caseApplication, decision, queueEntry, signIn } from '../../test/fixtures';
import { api, server } from '../../test/server';

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

/** The case view of app-1 for `user`, served from `state.app` (mutable by the test). */
function openCase(app: CaseApplication, user: User = analyst) {
  const state = { app, caseRequests: 0 };
  signIn('tok-case', user);
  server.use(
    api.query('Me', () => HttpResponse.json({ data: { me: user } })),
    api.query('CaseApplication', () => {
      state.caseRequests++;
      return HttpResponse.json({ data: { application: state.app } });
    }),
  );
  window.location.hash = '#/case/app-1';
  render(<App />);
  return state;
}

describe('case view', () => {
  it('shows the documents checklist as requested and the SLA paused while waiting on the applicant', async () => {
    const request = decision({
      id: 'd-docs',
      outcome: 'DOCUMENTS_REQUESTED',
      final: false,
      documentsRequest: {
        checklist: ['Last 3 payslips', 'Proof of address'],
        dueAt: inHours(24 * 10),
        answeredAt: null,
        submittedDocuments: [],
        items: [
          { item: 'Last 3 payslips', state: 'REQUESTED', documents: [] },
          { item: 'Proof of address', state: 'REQUESTED', documents: [] },
        ],
      },
    });
    const base = caseApplication();
    openCase({
      ...base,
      queueEntry: base.queueEntry && { ...base.queueEntry, slaPausedAt: inHours(-1), waitingOnApplicant: true },
      decisions: [request],
    });

    const panel = await screen.findByTestId('documents-panel');
    expect(panel.getAttribute('data-state')).toBe('requested');
    expect(panel.textContent).toContain('Waiting on applicant');
    const items = within(panel).getAllByTestId('documents-item');
    expect(items.map((i) => i.textContent)).toEqual(['○Last 3 payslipsrequested', '○Proof of addressrequested']);
    expect(screen.getByTestId('sla-paused').textContent).toContain('waiting on the applicant');
    expect(screen.queryByTestId('sla-countdown')).toBeNull();
  });

  it('shows each item as the partner answered it, what was sent, and the SLA clock running again', async () => {
    const payslips = { name: 'payslips-q3.pdf', kind: 'PAYSLIP', url: 'https://partner.example/docs/1', checklistItem: 'Last 3 payslips' };
    const request = decision({
      id: 'd-docs',
      outcome: 'DOCUMENTS_REQUESTED',
      final: false,
      documentsRequest: {
        checklist: ['Last 3 payslips', 'Proof of address'],
        dueAt: inHours(24 * 10),
        answeredAt: inHours(-0.2),
        submittedDocuments: [payslips],
        items: [
          { item: 'Last 3 payslips', state: 'RECEIVED', documents: [payslips] },
          { item: 'Proof of address', state: 'MISSING', documents: [] },
        ],
      },
    });
    openCase({ ...caseApplication(), decisions: [request] });
    const panel = await screen.findByTestId('documents-panel');
    expect(panel.getAttribute('data-state')).toBe('received');
    const items = within(panel).getAllByTestId('documents-item');
    expect(items.map((i) => [i.getAttribute('data-state'), i.textContent])).toEqual([
      ['received', '✓Last 3 payslipsreceived'],
      ['missing', '!Proof of addressnot sent'],
    ]);
    expect(within(panel).getByTestId('submitted-documents').textContent).toContain('payslips-q3.pdf');
    expect(within(panel).getByTestId('submitted-documents').textContent).toContain('for Last 3 payslips');
    expect(screen.getByTestId('sla-countdown')).toBeTruthy();
  });

  it('lists conditions with their fulfilment and marks one met with fulfilCondition', async () => {
    const approval = decision({
      id: 'd-cond',
      outcome: 'APPROVED_WITH_CONDITIONS',
      approvedTerms: { amount: '9000.00', termMonths: 36 },
      monthlyInstalment: '298.93',
      typedConditions: [
        {
          id: 'c1',
          kind: 'REDUCED_AMOUNT',
          description: 'Amount reduced to 9000.00',
          amount: '9000.00',
          termMonths: null,
          fulfilled: true,
          fulfilledAt: inHours(-1),
          fulfilledBy: { id: analyst.id, name: analyst.name, email: analyst.email },
        },
        { id: 'c2', kind: 'GUARANTOR', description: 'Spouse co-signs', amount: null, termMonths: null, fulfilled: false, fulfilledAt: null, fulfilledBy: null },
      ],
    });
    const base = caseApplication();
    const state = openCase({ ...base, status: 'APPROVED', queueEntry: base.queueEntry && { ...base.queueEntry, status: 'COMPLETED' }, decisions: [approval] });
    let fulfilVariables: unknown;
    server.use(
      api.mutation('FulfilCondition', ({ variables }) => {
        fulfilVariables = variables;
        const met = {
          ...approval.typedConditions[1],
          fulfilled: true,
          fulfilledAt: new Date().toISOString(),
          fulfilledBy: { id: analyst.id, name: analyst.name, email: analyst.email },
        };
        state.app = { ...state.app, decisions: [{ ...approval, typedConditions: [approval.typedConditions[0], met] as typeof approval.typedConditions }] };
        return HttpResponse.json({ data: { fulfilCondition: met } });
      }),
    );

    const panel = await screen.findByTestId('conditions-panel');
    expect(within(panel).getByTestId('conditions-progress').textContent).toBe('1 of 2 met');
    expect(panel.textContent).toContain('€298.93');
    const [reduced, guarantor] = within(panel).getAllByTestId('condition-item');
    expect(reduced?.getAttribute('data-fulfilled')).toBe('true');
    expect(within(reduced as HTMLElement).queryByTestId('fulfil-condition')).toBeNull();
    fireEvent.click(within(guarantor as HTMLElement).getByTestId('fulfil-condition'));
    await waitFor(() => expect(fulfilVariables).toEqual({ decisionId: 'd-cond', conditionId: 'c2' }));
    await waitFor(() => expect(within(screen.getByTestId('conditions-panel')).getByTestId('conditions-progress').textContent).toBe('2 of 2 met'));
  });

  it('does not offer to mark conditions met while the override waits for a senior, nor to a read-only user', async () => {
    const pending = decision({
      id: 'd-ovr',
      outcome: 'APPROVED_WITH_CONDITIONS',
      isOverride: true,
      overrideDirection: 'APPROVE_OVER_DECLINE',
      overrideStatus: 'PENDING',
      typedConditions: [
        {
          id: 'c1',
          kind: 'COLLATERAL',
          description: 'Lien on the car',
          amount: null,
          termMonths: null,
          fulfilled: false,
          fulfilledAt: null,
          fulfilledBy: null,
        },
      ],
    });
    const base = caseApplication();
    openCase({ ...base, queueEntry: base.queueEntry && { ...base.queueEntry, awaitingOverrideApproval: true }, decisions: [pending] });
    const panel = await screen.findByTestId('conditions-panel');
    expect(within(panel).queryByTestId('fulfil-condition')).toBeNull();
    expect(within(panel).getByTestId('conditions-lock').textContent).toMatch(/senior analyst approves/);
    expect(screen.getByTestId('awaiting-override')).toBeTruthy();
    expect(screen.getByTestId('decision-form').getAttribute('aria-disabled')).toBe('true');
    expect(screen.getByTestId('decision-override').textContent).toContain('Awaiting senior');
  });

  it('tells the analyst why a senior rejected the override when the case comes back', async () => {
    const rejected = decision({
      id: 'd-rej',
      outcome: 'DECLINED',
      final: false,
      isOverride: true,
      overrideDirection: 'DECLINE_OVER_APPROVE',
      overrideStatus: 'REJECTED',
      overrideReviewedBy: { id: 'u-senior', name: 'Sam Senior', email: 'senior@demo.test' },
      overrideRejectionReason: 'Income is verified; the model approve stands.',
      reasonCodes: [{ code: 'DTI_HIGH', description: 'Debt is high relative to income' }],
    });
    openCase({ ...caseApplication(), decisions: [rejected] });
    const notice = await screen.findByTestId('override-rejected-notice');
    expect(notice.textContent).toContain('Sam Senior');
    expect(notice.textContent).toContain('Income is verified; the model approve stands.');
    expect(screen.getByTestId('decision-row').textContent).toContain('DTI_HIGH');
    expect(screen.getByTestId('decision-form').getAttribute('aria-disabled')).toBe('false');
  });

  it('follows its case live: a PAUSED queue event for it refetches the case and shows the clock paused', async () => {
    const subscribers: { publish: (payload: unknown) => void }[] = [];
    server.use(
      api.subscription('QueueChanged', ({ subscription }) => {
        subscribers.push(subscription as unknown as { publish: (payload: unknown) => void });
      }),
    );
    const base = caseApplication();
    const state = openCase(base);
    await screen.findByTestId('sla-countdown');
    await waitFor(() => expect(subscribers).toHaveLength(1));
    const requestsBefore = state.caseRequests;

    // Another case's event changes nothing here.
    const other = queueEntry({ id: 'e-other' });
    for (const s of subscribers) s.publish({ data: { queueChanged: { kind: 'PAUSED', entry: other } } });
    await new Promise((r) => setTimeout(r, 100));
    expect(state.caseRequests).toBe(requestsBefore);

    state.app = {
      ...base,
      queueEntry: base.queueEntry && { ...base.queueEntry, slaPausedAt: new Date().toISOString(), waitingOnApplicant: true },
      decisions: [
        decision({
          id: 'd-docs',
          outcome: 'DOCUMENTS_REQUESTED',
          final: false,
          documentsRequest: {
            checklist: ['Proof of address'],
            dueAt: inHours(240),
            answeredAt: null,
            submittedDocuments: [],
            items: [{ item: 'Proof of address', state: 'REQUESTED', documents: [] }],
          },
        }),
      ],
    };
    const mine = { ...queueEntry({ id: 'e-1' }), application: { ...queueEntry({ id: 'e-1' }).application, id: 'app-1' } };
    for (const s of subscribers) s.publish({ data: { queueChanged: { kind: 'PAUSED', entry: mine } } });
    expect(await screen.findByTestId('sla-paused')).toBeTruthy();
    expect(screen.getByTestId('documents-panel').getAttribute('data-state')).toBe('requested');
  });
});
