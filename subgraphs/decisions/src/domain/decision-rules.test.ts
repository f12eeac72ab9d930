import { describe, expect, it } from 'vitest';
import {
  previewApprovalTerms,
  type DecisionRequest,
  type HumanDecisionFacts,
  isFinalOutcome,
  mayBeCatchingUp,
  overrideDirectionFor,
  planAutomatedDecision,
  planHumanDecision,
  reviewSecondsBetween,
  type ScoreSnapshot,
  validateDecisionInput,
} from './decision-rules.js';

const now = new Date('2026-11-22T12:00:00Z');
const score = (overrides: Partial<ScoreSnapshot> = {}): ScoreSnapshot => ({
  scoreId: 's-1',
  modelVersion: 'credit-default@1.0.0',
  probabilityOfDefault: 0.12,
  score: 640,
  riskBand: 'C',
  route: 'HUMAN_REVIEW',
  routeReason: 'PD 12.0% is between the thresholds',
  modelRecommendation: 'REVIEW',
  reasonCodes: [{ code: 'R01_HIGH_DEBT_TO_INCOME', description: 'Outstanding debt is too high relative to income' }],
  loanAmount: 10_000,
  termMonths: 36,
  scoredAt: new Date('2026-11-22T10:00:00Z'),
  ...overrides,
});
const facts = (overrides: Partial<HumanDecisionFacts> = {}): HumanDecisionFacts => ({
  deciderId: 'analyst-1',
  score: score(),
  reviewCase: {
    entryId: 'e-1',
    status: 'IN_PROGRESS',
    assigneeId: 'analyst-1',
    startedAt: new Date('2026-11-22T11:58:30Z'),
    slaDeadline: new Date('2026-11-22T14:00:00Z'),
  },
  alreadyDecided: false,
  now,
  ...overrides,
});
const request = (overrides: Partial<DecisionRequest> = {}): DecisionRequest => ({
  outcome: 'APPROVED',
  reasoning: 'Stable income, low utilisation, clean history.',
  ...overrides,
});
const JUSTIFICATION = 'Income verified with payslips; the debt flagged by the model was repaid last month.';

describe('overrideDirectionFor', () => {
  it('is an override only against a clear recommendation', () => {
    expect(overrideDirectionFor('DECLINE', 'APPROVED')).toBe('APPROVE_OVER_DECLINE');
    expect(overrideDirectionFor('DECLINE', 'APPROVED_WITH_CONDITIONS')).toBe('APPROVE_OVER_DECLINE');
    expect(overrideDirectionFor('APPROVE', 'DECLINED')).toBe('DECLINE_OVER_APPROVE');
    expect(overrideDirectionFor('APPROVE', 'APPROVED')).toBeNull();
    expect(overrideDirectionFor('DECLINE', 'DECLINED')).toBeNull();
    expect(overrideDirectionFor('DECLINE', 'DOCUMENTS_REQUESTED')).toBeNull();
    for (const outcome of ['APPROVED', 'APPROVED_WITH_CONDITIONS', 'DECLINED', 'DOCUMENTS_REQUESTED'] as const) {
      expect(overrideDirectionFor('REVIEW', outcome)).toBeNull();
    }
  });
});

describe('validateDecisionInput', () => {
  it('accepts a plain approval with enough reasoning', () => {
    expect(validateDecisionInput(request())).toEqual([]);
  });
  it('needs 20 characters of reasoning, not counting surrounding blanks', () => {
    expect(validateDecisionInput(request({ reasoning: '   looks fine   ' })).map((p) => p.field)).toEqual(['reasoning']);
    expect(validateDecisionInput(request({ reasoning: 'x'.repeat(20) }))).toEqual([]);
  });
  it('needs conditions exactly when approving with conditions', () => {
    expect(validateDecisionInput(request({ outcome: 'APPROVED_WITH_CONDITIONS' })).map((p) => p.field)).toEqual(['conditions']);
    expect(validateDecisionInput(request({ outcome: 'APPROVED_WITH_CONDITIONS', conditions: ['Proof of income'] }))).toEqual([]);
    expect(validateDecisionInput(request({ outcome: 'DECLINED', conditions: ['x'] })).map((p) => p.field)).toEqual(['conditions']);
    expect(validateDecisionInput(request({ outcome: 'APPROVED_WITH_CONDITIONS', conditions: ['  '] })).map((p) => p.field)).toEqual(['conditions[0]']);
  });
  it('checks approved terms and allows them only with approvals', () => {
    expect(validateDecisionInput(request({ approvedTerms: { amount: 0, termMonths: 400 } })).map((p) => p.field)).toEqual([
      'approvedTerms.amount',
      'approvedTerms.termMonths',
    ]);
    expect(validateDecisionInput(request({ outcome: 'DECLINED', approvedTerms: { amount: 100, termMonths: 12 } })).map((p) => p.field)).toEqual([
      'approvedTerms',
    ]);
  });
});

describe('planHumanDecision', () => {
  it('plans an approval with review time, SLA and the requested terms', () => {
    const v = planHumanDecision(request(), facts());
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.plan).toMatchObject({
      outcome: 'APPROVED',
      automated: false,
      decidedBy: 'analyst-1',
      decidedAt: now,
      reviewSeconds: 90,
      withinSla: true,
      isOverride: false,
      overrideStatus: null,
      overrideDirection: null,
      approvedTerms: { amount: 10_000, termMonths: 36 },
      reasonCodes: [],
      final: true,
    });
  });
  it('marks a decision after the deadline as outside the SLA, and one exactly at it as inside', () => {
    const late = planHumanDecision(request(), facts({ now: new Date('2026-11-22T14:00:01Z') }));
    expect(late.ok && late.plan.withinSla).toBe(false);
    const onTime = planHumanDecision(request(), facts({ now: new Date('2026-11-22T14:00:00Z') }));
    expect(onTime.ok && onTime.plan.withinSla).toBe(true);
  });
  it('refuses a settled application first, whoever asks', () => {
    const v = planHumanDecision(request(), facts({ alreadyDecided: true, deciderId: 'someone-else' }));
    expect(v).toMatchObject({ ok: false, refusal: { code: 'CONFLICT' } });
  });
  it('asks to retry when the case or the score is not known yet', () => {
    for (const f of [facts({ reviewCase: null }), facts({ score: null })]) {
      const v = planHumanDecision(request(), f);
      expect(v.ok).toBe(false);
      if (!v.ok) {
        expect(v.refusal.code).toBe('CONFLICT');
        expect(v.refusal.message).toMatch(/retry/);
      }
    }
  });
  it('lets only the assignee decide, and only while the case is in progress', () => {
    const base = facts().reviewCase!;
    expect(planHumanDecision(request(), facts({ deciderId: 'analyst-2' }))).toMatchObject({ ok: false, refusal: { code: 'FORBIDDEN' } });
    expect(planHumanDecision(request(), facts({ deciderId: 'analyst-2', reviewCase: { ...base, status: 'ASSIGNED' } }))).toMatchObject({
      ok: false,
      refusal: { code: 'FORBIDDEN' },
    });
    expect(planHumanDecision(request(), facts({ reviewCase: { ...base, status: 'ASSIGNED', startedAt: null } }))).toMatchObject({
      ok: false,
      refusal: { code: 'CONFLICT' },
    });
    expect(planHumanDecision(request(), facts({ reviewCase: { ...base, status: 'PENDING', assigneeId: null } }))).toMatchObject({
      ok: false,
      refusal: { code: 'CONFLICT' },
    });
    expect(planHumanDecision(request(), facts({ reviewCase: { ...base, status: 'COMPLETED' } }))).toMatchObject({ ok: false, refusal: { code: 'CONFLICT' } });
  });
  it('refuses bad input with every problem listed', () => {
    const v = planHumanDecision(request({ reasoning: 'ok', outcome: 'APPROVED_WITH_CONDITIONS' }), facts());
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.refusal.code).toBe('BAD_USER_INPUT');
      expect(v.refusal.problems?.map((p) => p.field)).toEqual(['reasoning', 'conditions']);
    }
  });
  it('does not grant more than was requested', () => {
    const v = planHumanDecision(request({ approvedTerms: { amount: 10_000.01, termMonths: 36 } }), facts());
    expect(v).toMatchObject({ ok: false, refusal: { code: 'BAD_USER_INPUT', problems: [{ field: 'approvedTerms.amount' }] } });
    const less = planHumanDecision(request({ approvedTerms: { amount: 8_000, termMonths: 24 } }), facts());
    expect(less.ok && less.plan.approvedTerms).toEqual({ amount: 8_000, termMonths: 24 });
  });
  it('needs a 50-character justification to go against the model, and records the override as pending', () => {
    const declineRecommended = facts({ score: score({ modelRecommendation: 'DECLINE' }) });
    const short = planHumanDecision(request({ overrideJustification: 'I trust them.' }), declineRecommended);
    expect(short).toMatchObject({ ok: false, refusal: { code: 'BAD_USER_INPUT', problems: [{ field: 'overrideJustification' }] } });
    const v = planHumanDecision(request({ overrideJustification: JUSTIFICATION }), declineRecommended);
    expect(v.ok).toBe(true);
    if (v.ok) {
      expect(v.plan).toMatchObject({
        isOverride: true,
        overrideDirection: 'APPROVE_OVER_DECLINE',
        overrideStatus: 'PENDING',
        overrideJustification: JUSTIFICATION,
        final: true,
      });
    }
    const declineOverApprove = planHumanDecision(
      request({ outcome: 'DECLINED', overrideJustification: JUSTIFICATION }),
      facts({ score: score({ modelRecommendation: 'APPROVE' }) }),
    );
    expect(declineOverApprove.ok && declineOverApprove.plan).toMatchObject({ overrideDirection: 'DECLINE_OVER_APPROVE', reasonCodes: score().reasonCodes });
  });
  it('refuses a decline when the score names no factor that raised the risk: a decline quotes scored reasons only', () => {
    const noReasons = facts({ score: score({ modelRecommendation: 'APPROVE', reasonCodes: [] }) });
    const v = planHumanDecision(request({ outcome: 'DECLINED', overrideJustification: JUSTIFICATION }), noReasons);
    expect(v).toMatchObject({ ok: false, refusal: { code: 'BAD_USER_INPUT' } });
    expect(!v.ok && v.refusal.problems?.map((p) => p.field)).toEqual(['outcome']);
    // The same score still allows the outcomes that need no adverse reasons.
    expect(planHumanDecision(request(), noReasons).ok).toBe(true);
    expect(planHumanDecision(request({ outcome: 'DOCUMENTS_REQUESTED', documentsChecklist: ['Payslips'] }), noReasons).ok).toBe(true);
  });
  it('does not treat a decision with the model, or under REVIEW, as an override even with a justification', () => {
    const v = planHumanDecision(request({ outcome: 'DECLINED', overrideJustification: JUSTIFICATION }), facts());
    expect(v.ok && v.plan).toMatchObject({ isOverride: false, overrideStatus: null, overrideJustification: null });
  });
  it('keeps the case open for a documents request', () => {
    const v = planHumanDecision(request({ outcome: 'DOCUMENTS_REQUESTED' }), facts());
    expect(v.ok && v.plan).toMatchObject({ final: false, approvedTerms: null });
  });
});

describe('planAutomatedDecision', () => {
  it('declines a clear decline with the route reason and the reason codes', () => {
    const s = score({ route: 'AUTO_DECLINE', modelRecommendation: 'DECLINE', routeReason: 'PD 61.0% is above the auto-decline threshold 45.0%' });
    expect(planAutomatedDecision(s, false)).toMatchObject({
      outcome: 'DECLINED',
      automated: true,
      decidedBy: null,
      reasoning: s.routeReason,
      reasonCodes: s.reasonCodes,
      approvedTerms: null,
      decidedAt: s.scoredAt,
      reviewSeconds: null,
      withinSla: null,
      final: true,
    });
  });
  it('approves a clear approval at the requested terms, without reason codes', () => {
    const plan = planAutomatedDecision(score({ route: 'AUTO_APPROVE', modelRecommendation: 'APPROVE' }), false);
    expect(plan).toMatchObject({ outcome: 'APPROVED', approvedTerms: { amount: 10_000, termMonths: 36 }, reasonCodes: [] });
  });
  it('leaves human review, and settled applications, alone', () => {
    expect(planAutomatedDecision(score(), false)).toBeNull();
    expect(planAutomatedDecision(score({ route: 'AUTO_DECLINE' }), true)).toBeNull();
  });
});

describe('small rules', () => {
  it('only a documents request is not final', () => {
    expect(isFinalOutcome('DOCUMENTS_REQUESTED')).toBe(false);
    expect(isFinalOutcome('APPROVED_WITH_CONDITIONS')).toBe(true);
  });
  it('counts whole review seconds and never goes negative under clock skew', () => {
    expect(reviewSecondsBetween(new Date('2026-11-22T11:00:00.000Z'), new Date('2026-11-22T11:01:01.900Z'))).toBe(61);
    expect(reviewSecondsBetween(new Date('2026-11-22T11:00:05Z'), new Date('2026-11-22T11:00:00Z'))).toBe(0);
    expect(reviewSecondsBetween(null, now)).toBeNull();
  });
});

describe('typed conditions and documents requests', () => {
  const conditional = (overrides: Partial<DecisionRequest> = {}) => request({ outcome: 'APPROVED_WITH_CONDITIONS', ...overrides });
  it('reduces the approved terms by REDUCED_AMOUNT / REDUCED_TERM and quotes the adjusted instalment', () => {
    const v = planHumanDecision(
      conditional({
        typedConditions: [
          { kind: 'REDUCED_AMOUNT', amount: 8_000 },
          { kind: 'GUARANTOR', description: 'A guarantor with income above 3,000 a month' },
        ],
        conditions: ['Proof of address'],
      }),
      facts(),
    );
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.plan.approvedTerms).toEqual({ amount: 8_000, termMonths: 36 });
    expect(v.plan.monthlyInstalment).toBe(265.71);
    expect(v.plan.conditions).toEqual([
      { kind: 'REDUCED_AMOUNT', description: 'Amount reduced to 8000.00', amount: 8_000, termMonths: null },
      { kind: 'GUARANTOR', description: 'A guarantor with income above 3,000 a month', amount: null, termMonths: null },
      { kind: 'OTHER', description: 'Proof of address', amount: null, termMonths: null },
    ]);
    const term = planHumanDecision(conditional({ typedConditions: [{ kind: 'REDUCED_TERM', termMonths: 24 }] }), facts());
    expect(term.ok && [term.plan.approvedTerms, term.plan.monthlyInstalment]).toEqual([{ amount: 10_000, termMonths: 24 }, 470.73]);
  });
  it('refuses a reduction that is not one, misplaced fields, duplicates and disagreeing terms', () => {
    const fields = (r: DecisionRequest) => {
      const v = planHumanDecision(r, facts());
      return v.ok ? [] : (v.refusal.problems ?? []).map((p) => p.field);
    };
    expect(fields(conditional({ typedConditions: [{ kind: 'REDUCED_AMOUNT', amount: 10_000 }] }))).toEqual(['typedConditions[0].amount']);
    expect(fields(conditional({ typedConditions: [{ kind: 'REDUCED_TERM', termMonths: 36 }] }))).toEqual(['typedConditions[0].termMonths']);
    expect(fields(conditional({ typedConditions: [{ kind: 'COLLATERAL', description: 'Car', amount: 5 }] }))).toEqual(['typedConditions[0].amount']);
    expect(fields(conditional({ typedConditions: [{ kind: 'DOCUMENTATION' }] }))).toEqual(['typedConditions[0].description']);
    expect(
      fields(
        conditional({
          typedConditions: [
            { kind: 'REDUCED_AMOUNT', amount: 5_000 },
            { kind: 'REDUCED_AMOUNT', amount: 6_000 },
          ],
        }),
      ),
    ).toEqual(['typedConditions']);
    expect(fields(conditional({ typedConditions: [{ kind: 'REDUCED_AMOUNT', amount: 5_000 }], approvedTerms: { amount: 6_000, termMonths: 36 } }))).toEqual([
      'approvedTerms.amount',
    ]);
    expect(fields(request({ outcome: 'APPROVED', typedConditions: [{ kind: 'OTHER', description: 'x' }] }))).toEqual(['typedConditions']);
  });
  it('gives a documents request its checklist and a due date, two weeks by default, never in the past', () => {
    const v = planHumanDecision(request({ outcome: 'DOCUMENTS_REQUESTED', documentsChecklist: [' Last three payslips '] }), facts());
    expect(v.ok && v.plan.documentsRequest).toEqual({ checklist: ['Last three payslips'], dueAt: new Date('2026-12-06T12:00:00Z') });
    const past = planHumanDecision(request({ outcome: 'DOCUMENTS_REQUESTED', documentsDueAt: new Date('2026-11-22T11:00:00Z') }), facts());
    expect(past).toMatchObject({ ok: false, refusal: { problems: [{ field: 'documentsDueAt' }] } });
    const misplaced = planHumanDecision(request({ documentsChecklist: ['Payslips'] }), facts());
    expect(misplaced).toMatchObject({ ok: false, refusal: { problems: [{ field: 'documentsChecklist' }] } });
  });
});

describe('mayBeCatchingUp', () => {
  const held = (status: 'PENDING' | 'ASSIGNED' | 'IN_PROGRESS' | 'COMPLETED', assigneeId: string | null) => ({
    entryId: 'e-1',
    status,
    assigneeId,
    startedAt: null,
    slaDeadline: new Date('2026-11-22T14:00:00Z'),
  });
  it('waits while the case or its score is unknown here, or is shown waiting or assigned to the decider', () => {
    expect(mayBeCatchingUp(facts({ reviewCase: null }))).toBe(true);
    expect(mayBeCatchingUp(facts({ score: null }))).toBe(true);
    expect(mayBeCatchingUp(facts({ reviewCase: held('PENDING', null) }))).toBe(true);
    expect(mayBeCatchingUp(facts({ reviewCase: held('ASSIGNED', 'analyst-1') }))).toBe(true);
  });
  it('does not wait when the answer stands: settled, held by someone else, completed, or already deciding', () => {
    expect(mayBeCatchingUp(facts({ alreadyDecided: true, reviewCase: null }))).toBe(false);
    expect(mayBeCatchingUp(facts({ reviewCase: held('ASSIGNED', 'analyst-2') }))).toBe(false);
    expect(mayBeCatchingUp(facts({ reviewCase: held('IN_PROGRESS', 'analyst-2') }))).toBe(false);
    expect(mayBeCatchingUp(facts({ reviewCase: held('COMPLETED', 'analyst-1') }))).toBe(false);
    expect(mayBeCatchingUp(facts())).toBe(false);
  });
});

describe('previewApprovalTerms', () => {
  const requested = { amount: 10_000, termMonths: 36 };
  it('quotes what was requested without conditions, and the reduced terms with them, as a decision would', () => {
    expect(previewApprovalTerms({}, requested)).toEqual({ ok: true, terms: requested, monthlyInstalment: 332.14 });
    expect(
      previewApprovalTerms(
        { typedConditions: [{ kind: 'REDUCED_AMOUNT', amount: 8_000 }, { kind: 'REDUCED_TERM', termMonths: 24 }, { kind: 'GUARANTOR', description: 'A co-signer' }] },
        requested,
      ),
    ).toEqual({ ok: true, terms: { amount: 8_000, termMonths: 24 }, monthlyInstalment: 376.59 });
  });
  it('refuses the terms a decision would refuse, naming the field', () => {
    const refused = (r: Parameters<typeof previewApprovalTerms>[0]) => {
      const p = previewApprovalTerms(r, requested);
      return p.ok ? [] : p.problems.map((x) => x.field);
    };
    expect(refused({ typedConditions: [{ kind: 'REDUCED_AMOUNT', amount: 12_000 }] })).toEqual(['typedConditions[0].amount']);
    expect(refused({ typedConditions: [{ kind: 'REDUCED_TERM', termMonths: 0 }] })).toContain('typedConditions[0].termMonths');
    expect(refused({ approvedTerms: { amount: 20_000, termMonths: 36 } })).toEqual(['approvedTerms.amount']);
    expect(refused({ typedConditions: [{ kind: 'REDUCED_AMOUNT', amount: 5_000 }], approvedTerms: { amount: 6_000, termMonths: 36 } })).toEqual(['approvedTerms.amount']);
  });
});
