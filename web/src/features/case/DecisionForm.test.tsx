import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { GraphQLProvider } from '../../graphql/provider';
import type { Decision } from '../../graphql/types';
import { api, server } from '../../test/server';
import { DecisionForm } from './DecisionForm';
import { isOverride } from './decision-logic';

const REASONING = 'Stable income, low DTI, clean history.'; // > 20 chars
const JUSTIFICATION =
  'Applicant provided a signed employment contract with a 20% raise starting next month.'; // > 50 chars

function mockSubmit(decision: Partial<Decision> = {}) {
  const calls: unknown[] = [];
  server.use(
    api.mutation('SubmitDecision', ({ variables, request }) => {
      calls.push({ variables, auth: request.headers.get('authorization') });
      return HttpResponse.json({
        data: {
          submitDecision: {
            decision: {
              id: 'd-1',
              outcome: (variables as { input: { outcome: string } }).input.outcome,
              reasoning: REASONING,
              isOverride: false,
              overrideStatus: null,
              automated: false,
              decidedAt: new Date().toISOString(),
              ...decision,
            },
          },
        },
      });
    }),
  );
  return calls;
}

function renderForm(modelRecommendation: string | null, enabled = true) {
  const onDecided = vi.fn();
  render(
    <GraphQLProvider token="tok-form">
      <DecisionForm applicationId="app-1" modelRecommendation={modelRecommendation} enabled={enabled} onDecided={onDecided} />
    </GraphQLProvider>,
  );
  return onDecided;
}

const outcome = (value: string) => fireEvent.change(screen.getByTestId('decision-outcome'), { target: { value } });
const reasoning = (value: string) => fireEvent.change(screen.getByTestId('decision-reasoning'), { target: { value } });
const justification = (value: string) =>
  fireEvent.change(screen.getByTestId('override-justification'), { target: { value } });
const submit = () => fireEvent.click(screen.getByTestId('submit-decision'));

describe('decision form', () => {
  it('requires at least 20 characters of reasoning before sending anything', async () => {
    const calls = mockSubmit();
    const onDecided = renderForm('APPROVE');
    reasoning('Too short reason'); // 16 chars
    submit();
    expect((await screen.findByTestId('reasoning-error')).textContent).toContain('20');
    // Whitespace does not count.
    reasoning(`   ${'x'.repeat(19)}    `);
    submit();
    await screen.findByTestId('reasoning-error');
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toHaveLength(0);
    expect(onDecided).not.toHaveBeenCalled();
  });

  it('sends a non-override decision without an override justification', async () => {
    const calls = mockSubmit();
    const onDecided = renderForm('APPROVE');
    expect(screen.queryByTestId('override-justification')).toBeNull();
    reasoning(`  ${REASONING}  `);
    submit();
    await waitFor(() => expect(onDecided).toHaveBeenCalledTimes(1));
    expect(calls).toEqual([
      {
        variables: { input: { applicationId: 'app-1', outcome: 'APPROVED', reasoning: REASONING } },
        auth: 'Bearer tok-form',
      },
    ]);
    expect(onDecided.mock.calls[0]?.[0]).toMatchObject({ outcome: 'APPROVED', isOverride: false });
  });

  it('asks for a 50-character justification when declining against an APPROVE recommendation', async () => {
    const calls = mockSubmit({ isOverride: true, overrideStatus: 'PENDING_APPROVAL' });
    const onDecided = renderForm('APPROVE');
    outcome('DECLINED');
    expect(screen.getByTestId('override-section').textContent).toMatch(/senior/i);
    reasoning(REASONING);
    justification('Because I think so, honestly.'); // < 50
    submit();
    expect((await screen.findByTestId('override-error')).textContent).toContain('50');
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toHaveLength(0);

    justification(JUSTIFICATION);
    submit();
    await waitFor(() => expect(onDecided).toHaveBeenCalledTimes(1));
    expect((calls[0] as { variables: unknown }).variables).toEqual({
      input: { applicationId: 'app-1', outcome: 'DECLINED', reasoning: REASONING, overrideJustification: JUSTIFICATION },
    });
    expect(onDecided.mock.calls[0]?.[0]).toMatchObject({ isOverride: true, overrideStatus: 'PENDING_APPROVAL' });
  });

  it('treats approvals against a DECLINE recommendation as overrides, but not document requests', async () => {
    const calls = mockSubmit();
    const onDecided = renderForm('DECLINE');
    expect(screen.getByTestId('override-justification')).toBeTruthy(); // default outcome APPROVED
    outcome('APPROVED_WITH_CONDITIONS');
    expect(screen.getByTestId('override-justification')).toBeTruthy();
    outcome('DOCUMENTS_REQUESTED');
    expect(screen.queryByTestId('override-justification')).toBeNull();
    outcome('DECLINED');
    expect(screen.queryByTestId('override-justification')).toBeNull();
    reasoning(REASONING);
    submit();
    await waitFor(() => expect(onDecided).toHaveBeenCalled());
    expect((calls[0] as { variables: { input: Record<string, unknown> } }).variables.input).not.toHaveProperty(
      'overrideJustification',
    );
  });

  it('shows the server error when the decision is rejected', async () => {
    server.use(
      api.mutation('SubmitDecision', () =>
        HttpResponse.json({
          data: null,
          errors: [{ message: 'Case is not in progress', extensions: { code: 'BAD_USER_INPUT' } }],
        }),
      ),
    );
    const onDecided = renderForm('APPROVE');
    reasoning(REASONING);
    submit();
    expect((await screen.findByTestId('decision-error')).textContent).toContain('Case is not in progress');
    expect(onDecided).not.toHaveBeenCalled();
  });

  it('is disabled unless the review is in progress', () => {
    renderForm('APPROVE', false);
    expect((screen.getByTestId('submit-decision') as HTMLButtonElement).closest('fieldset')?.disabled).toBe(true);
  });
});

describe('isOverride', () => {
  it.each([
    ['APPROVE', 'DECLINED', true],
    ['APPROVE', 'APPROVED', false],
    ['APPROVE', 'DOCUMENTS_REQUESTED', false],
    ['DECLINE', 'APPROVED', true],
    ['DECLINE', 'APPROVED_WITH_CONDITIONS', true],
    ['DECLINE', 'DECLINED', false],
    ['REVIEW', 'DECLINED', false],
  ] as const)('%s → %s = %s', (rec, out, expected) => {
    expect(isOverride(rec, out)).toBe(expected);
  });
});
