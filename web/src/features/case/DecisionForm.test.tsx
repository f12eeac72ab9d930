import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { GraphQLProvider } from '../../graphql/provider';
import type { Decision } from '../../graphql/types';
import { api, server } from '../../test/server';
import { DecisionForm } from './DecisionForm';
import { isOverride } from './decision-logic';

const REASONING = 'Stable income, low DTI, clean history.'; // > 20 chars
const JUSTIFICATION = 'Applicant provided a signed employment contract with a 20% raise starting next month.'; // > 50 chars

/** The server's preview of reduced terms: records what it was asked, answers with `answer`. */
function mockPreview(answer: () => Response = () => HttpResponse.json({ data: { approvalTermsPreview: PREVIEW } })) {
  const asked: unknown[] = [];
  server.use(
    api.query('ApprovalTermsPreview', ({ variables }) => {
      asked.push(variables);
      return answer();
    }),
  );
  return asked;
}
const PREVIEW = { terms: { amount: '9000.00', termMonths: 24 }, monthlyInstalment: '423.67', requestedMonthlyInstalment: '398.57' };

function mockSubmit(decision: Partial<Decision> = {}) {
  const calls: unknown[] = [];
  mockPreview();
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

const REQUESTED = { amount: '12000.00', termMonths: 36, currency: 'EUR', monthlyInstalment: '398.57' };
const REASON_CODES = [
  { code: 'DTI_HIGH', description: 'Debt is high relative to income' },
  { code: 'ARREARS', description: 'Past payment arrears' },
];

function renderForm(modelRecommendation: string | null, enabled = true) {
  const onDecided = vi.fn();
  render(
    <GraphQLProvider identity="demo/analyst" getToken={() => 'tok-form'}>
      <DecisionForm
        applicationId="app-1"
        modelRecommendation={modelRecommendation}
        requested={REQUESTED}
        reasonCodes={REASON_CODES}
        enabled={enabled}
        onDecided={onDecided}
      />
    </GraphQLProvider>,
  );
  return onDecided;
}

const change = (el: Element, value: string) => fireEvent.change(el, { target: { value } });
const rows = () => screen.getAllByTestId('condition-row');
const within = (row: Element, testId: string) => row.querySelector(`[data-testid="${testId}"]`) as HTMLInputElement;
const settle = () => new Promise((r) => setTimeout(r, 50));

const outcome = (value: string) => fireEvent.change(screen.getByTestId('decision-outcome'), { target: { value } });
const reasoning = (value: string) => fireEvent.change(screen.getByTestId('decision-reasoning'), { target: { value } });
const justification = (value: string) => fireEvent.change(screen.getByTestId('override-justification'), { target: { value } });
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
    const calls = mockSubmit({ isOverride: true, overrideStatus: 'PENDING' });
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
    expect(onDecided.mock.calls[0]?.[0]).toMatchObject({ isOverride: true, overrideStatus: 'PENDING' });
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
    expect((calls[0] as { variables: { input: Record<string, unknown> } }).variables.input).not.toHaveProperty('overrideJustification');
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

describe('decision form: approval with conditions', () => {
  it('refuses to send without a condition, then validates each condition by its kind', async () => {
    const calls = mockSubmit();
    renderForm('REVIEW');
    outcome('APPROVED_WITH_CONDITIONS');
    reasoning(REASONING);
    submit();
    expect((await screen.findByTestId('conditions-error')).textContent).toMatch(/at least one condition/i);

    // A documentation condition must say what is required; a reduced amount needs an amount below the request.
    fireEvent.click(screen.getByTestId('add-condition'));
    fireEvent.click(screen.getByTestId('add-condition'));
    change(within(rows()[1] as Element, 'condition-kind'), 'REDUCED_AMOUNT');
    change(within(rows()[1] as Element, 'condition-amount'), '15000');
    submit();
    const errors = await screen.findAllByTestId('condition-error');
    expect(errors.map((e) => e.textContent)).toEqual(['Say what is required.', 'Must be below the requested amount.']);

    // Two reductions of the same kind are refused as a whole.
    fireEvent.click(screen.getByTestId('add-condition'));
    change(within(rows()[2] as Element, 'condition-kind'), 'REDUCED_AMOUNT');
    change(within(rows()[2] as Element, 'condition-amount'), '9000');
    submit();
    expect((await screen.findByTestId('conditions-error')).textContent).toContain('Only one reduced amount');
    await settle();
    expect(calls).toHaveLength(0);
  });

  it('sends typed conditions and shows the instalment the server returns for the reduced terms', async () => {
    const calls = mockSubmit({
      outcome: 'APPROVED_WITH_CONDITIONS',
      approvedTerms: { amount: '9000.00', termMonths: 24 },
      monthlyInstalment: '423.67',
    });
    const onDecided = renderForm('APPROVE');
    outcome('APPROVED_WITH_CONDITIONS');
    reasoning(REASONING);
    for (let i = 0; i < 4; i++) fireEvent.click(screen.getByTestId('add-condition'));
    const [doc, amount, term, guarantor] = rows() as unknown as [Element, Element, Element, Element];
    change(within(doc, 'condition-description'), '  Signed employment contract  ');
    change(within(amount, 'condition-kind'), 'REDUCED_AMOUNT');
    change(within(amount, 'condition-amount'), '9000');
    change(within(term, 'condition-kind'), 'REDUCED_TERM');
    change(within(term, 'condition-term'), '24');
    change(within(guarantor, 'condition-kind'), 'GUARANTOR');
    change(within(guarantor, 'condition-description'), 'Spouse co-signs');
    // Removing a row drops it from what is sent.
    fireEvent.click(screen.getByTestId('add-condition'));
    fireEvent.click(within(rows()[4] as Element, 'condition-remove'));
    submit();
    await waitFor(() => expect(onDecided).toHaveBeenCalledTimes(1));
    expect((calls[0] as { variables: unknown }).variables).toEqual({
      input: {
        applicationId: 'app-1',
        outcome: 'APPROVED_WITH_CONDITIONS',
        reasoning: REASONING,
        typedConditions: [
          { kind: 'DOCUMENTATION', description: 'Signed employment contract' },
          { kind: 'REDUCED_AMOUNT', amount: '9000.00' },
          { kind: 'REDUCED_TERM', termMonths: 24 },
          { kind: 'GUARANTOR', description: 'Spouse co-signs' },
        ],
      },
    });
    expect(onDecided.mock.calls[0]?.[0]).toMatchObject({ monthlyInstalment: '423.67', approvedTerms: { amount: '9000.00', termMonths: 24 } });
  });

  it('quotes the reduced terms and their instalment before sending, as the server computes them, and shows its refusal', async () => {
    const asked = mockPreview();
    renderForm('APPROVE');
    outcome('APPROVED_WITH_CONDITIONS');
    fireEvent.click(screen.getByTestId('add-condition'));
    fireEvent.click(screen.getByTestId('add-condition'));
    const [amount, term] = rows() as unknown as [Element, Element];
    change(within(amount, 'condition-kind'), 'REDUCED_AMOUNT');
    // Nothing is asked until a reduction has a number.
    await settle();
    expect(screen.queryByTestId('terms-preview')).toBeNull();
    change(within(amount, 'condition-amount'), '9000');
    change(within(term, 'condition-kind'), 'REDUCED_TERM');
    change(within(term, 'condition-term'), '24');
    await waitFor(() => expect(screen.getByTestId('terms-preview').textContent).toContain('423.67'));
    expect(screen.getByTestId('terms-preview').textContent).toMatch(/24 months.*398\.57/);
    // Typing is not a request per keystroke: what was asked last is the whole set of reductions.
    expect(asked.at(-1)).toEqual({
      applicationId: 'app-1',
      typedConditions: [
        { kind: 'REDUCED_AMOUNT', amount: '9000.00' },
        { kind: 'REDUCED_TERM', termMonths: 24 },
      ],
    });
    expect(asked.length).toBeLessThanOrEqual(2);

    mockPreview(() =>
      HttpResponse.json({
        data: null,
        errors: [
          {
            message: 'Invalid terms: typedConditions[0].amount must be below the requested amount 12000.00',
            extensions: { code: 'BAD_USER_INPUT', details: { problems: [{ field: 'typedConditions[0].amount', problem: 'must be below the requested amount 12000.00' }] } },
          },
        ],
      }),
    );
    change(within(amount, 'condition-amount'), '15000');
    await waitFor(() => expect(screen.getByTestId('terms-preview-error').textContent).toContain('must be below the requested amount 12000.00'));
  });

  it("lists the server's field problems when it refuses the conditions", async () => {
    server.use(
      api.mutation('SubmitDecision', () =>
        HttpResponse.json({
          data: null,
          errors: [
            {
              message: 'Invalid decision: typedConditions[0].amount must be below the requested amount 12000.00',
              extensions: {
                code: 'BAD_USER_INPUT',
                details: { problems: [{ field: 'typedConditions[0].amount', problem: 'must be below the requested amount 12000.00' }] },
              },
            },
          ],
        }),
      ),
    );
    renderForm('REVIEW');
    outcome('APPROVED_WITH_CONDITIONS');
    reasoning(REASONING);
    fireEvent.click(screen.getByTestId('add-condition'));
    change(within(rows()[0] as Element, 'condition-kind'), 'REDUCED_AMOUNT');
    change(within(rows()[0] as Element, 'condition-amount'), '11999.99');
    submit();
    const error = await screen.findByTestId('decision-error');
    expect(error.textContent).toContain('BAD_USER_INPUT');
    expect(error.querySelector('li')?.textContent).toBe('typedConditions[0].amount: must be below the requested amount 12000.00');
  });
});

describe('decision form: decline and documents', () => {
  it('shows the reason codes a decline keeps, and the requested terms an approval grants', () => {
    renderForm('DECLINE');
    expect(screen.getByTestId('approved-terms').textContent).toContain('€12,000');
    expect(screen.getByTestId('approved-terms').textContent).toContain('€398.57');
    outcome('DECLINED');
    const codes = screen.getByTestId('decline-reason-codes');
    expect(codes.getAttribute('data-kept')).toBe('true');
    expect(codes.textContent).toContain('Reason codes kept with the decline');
    expect(codes.textContent).toContain('DTI_HIGH');
    expect(codes.textContent).toContain('Past payment arrears');
    expect(screen.queryByTestId('approved-terms')).toBeNull();
  });

  it("keeps the score's reasons when an analyst declines against a review recommendation", () => {
    renderForm('REVIEW');
    outcome('DECLINED');
    const codes = screen.getByTestId('decline-reason-codes');
    expect(codes.getAttribute('data-kept')).toBe('true');
    expect(codes.textContent).toContain('DTI_HIGH');
  });

  it('asks for the reasons in the reasoning when the score names none', () => {
    render(
      <GraphQLProvider identity="demo/analyst" getToken={() => 'tok-form'}>
        <DecisionForm applicationId="app-1" modelRecommendation="APPROVE" requested={REQUESTED} reasonCodes={[]} enabled onDecided={vi.fn()} />
      </GraphQLProvider>,
    );
    outcome('DECLINED');
    const codes = screen.getByTestId('decline-reason-codes');
    expect(codes.getAttribute('data-kept')).toBe('false');
    expect(codes.textContent).toContain('The score gives no reason codes');
    expect(codes.textContent).toContain('state the reasons for the notice in your reasoning');
  });

  it('requests documents with a checklist and a due date, validated before sending', async () => {
    const calls = mockSubmit({ outcome: 'DOCUMENTS_REQUESTED' });
    const onDecided = renderForm('DECLINE');
    outcome('DOCUMENTS_REQUESTED');
    reasoning(REASONING);
    submit();
    expect((await screen.findByTestId('documents-error')).textContent).toMatch(/at least one document/i);

    const options = screen.getAllByTestId('document-option') as HTMLInputElement[];
    fireEvent.click(options[0] as HTMLInputElement); // Last 3 payslips
    change(screen.getByTestId('document-custom'), 'Signed lease agreement');
    fireEvent.click(screen.getByTestId('document-add'));
    expect((screen.getByTestId('document-custom') as HTMLInputElement).value).toBe('');

    change(screen.getByTestId('documents-due'), '2001-01-01');
    submit();
    expect((await screen.findByTestId('documents-due-error')).textContent).toContain('after today');
    await settle();
    expect(calls).toHaveLength(0);

    const due = new Date();
    due.setDate(due.getDate() + 10);
    const day = `${due.getFullYear()}-${String(due.getMonth() + 1).padStart(2, '0')}-${String(due.getDate()).padStart(2, '0')}`;
    change(screen.getByTestId('documents-due'), day);
    submit();
    await waitFor(() => expect(onDecided).toHaveBeenCalledTimes(1));
    const input = (calls[0] as { variables: { input: Record<string, unknown> } }).variables.input;
    expect(input).toMatchObject({
      outcome: 'DOCUMENTS_REQUESTED',
      documentsChecklist: ['Last 3 payslips', 'Signed lease agreement'],
    });
    expect(input).not.toHaveProperty('overrideJustification');
    // Due at the end of the chosen local day.
    const dueAt = new Date(input.documentsDueAt as string);
    expect([dueAt.getFullYear(), dueAt.getMonth(), dueAt.getDate(), dueAt.getHours()]).toEqual([due.getFullYear(), due.getMonth(), due.getDate(), 23]);
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
