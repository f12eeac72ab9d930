import { describe, expect, it } from 'vitest';
import {
  checkConditionFulfilment,
  checkContest,
  checkDocumentsSubmission,
  checklistItems,
  checkOverrideReview,
  type DecisionFacts,
} from './decision-workflow.js';

const decision = (overrides: Partial<DecisionFacts> = {}): DecisionFacts => ({
  outcome: 'APPROVED',
  automated: false,
  final: true,
  decidedBy: 'analyst-1',
  isOverride: true,
  overrideStatus: 'PENDING',
  ...overrides,
});
const REASON = 'Income evidence does not support the approval.';
const code = (c: ReturnType<typeof checkOverrideReview>) => (c.ok ? 'OK' : c.refusal.code);

describe('checkOverrideReview', () => {
  it('lets another senior approve or reject a pending override', () => {
    expect(code(checkOverrideReview(decision(), 'senior-1', 'APPROVE'))).toBe('OK');
    expect(code(checkOverrideReview(decision(), 'senior-1', 'REJECT', REASON))).toBe('OK');
  });
  it('refuses your own override, a reviewed one, a non-override and a short reason', () => {
    expect(code(checkOverrideReview(decision(), 'analyst-1', 'APPROVE'))).toBe('FORBIDDEN');
    expect(code(checkOverrideReview(decision({ overrideStatus: 'APPROVED' }), 'senior-1', 'REJECT', REASON))).toBe('CONFLICT');
    expect(code(checkOverrideReview(decision({ isOverride: false, overrideStatus: null }), 'senior-1', 'APPROVE'))).toBe('CONFLICT');
    expect(code(checkOverrideReview(decision(), 'senior-1', 'REJECT', 'no'))).toBe('BAD_USER_INPUT');
  });
});

describe('checkConditionFulfilment', () => {
  it('meets a condition once, only on a standing approval', () => {
    const standing = decision({ outcome: 'APPROVED_WITH_CONDITIONS', isOverride: false, overrideStatus: null });
    expect(code(checkConditionFulfilment(standing, { fulfilledAt: null }))).toBe('OK');
    expect(code(checkConditionFulfilment(standing, { fulfilledAt: new Date() }))).toBe('CONFLICT');
    expect(code(checkConditionFulfilment(standing, null))).toBe('CONFLICT');
    expect(code(checkConditionFulfilment({ ...standing, isOverride: true, overrideStatus: 'PENDING' }, { fulfilledAt: null }))).toBe('CONFLICT');
    expect(code(checkConditionFulfilment({ ...standing, final: false, overrideStatus: 'REJECTED' }, { fulfilledAt: null }))).toBe('CONFLICT');
  });
});

describe('checkContest', () => {
  const automated = decision({ automated: true, decidedBy: null, isOverride: false, overrideStatus: null, outcome: 'DECLINED' });
  it('opens a contest of a standing automated decision, once', () => {
    expect(code(checkContest(automated, false, 'The applicant disputes the arrears on record.'))).toBe('OK');
    expect(code(checkContest(automated, true, 'The applicant disputes the arrears on record.'))).toBe('CONFLICT');
  });
  it('refuses a human decision, no decision, and a short statement', () => {
    expect(code(checkContest(decision({ isOverride: false, overrideStatus: null }), false, 'The applicant disputes the decision.'))).toBe('CONFLICT');
    expect(code(checkContest(null, false, 'The applicant disputes the decision.'))).toBe('CONFLICT');
    expect(code(checkContest(automated, false, 'Unfair.'))).toBe('BAD_USER_INPUT');
  });
});

describe('checkDocumentsSubmission', () => {
  const request = {
    ...decision({ outcome: 'DOCUMENTS_REQUESTED', final: false, isOverride: false, overrideStatus: null }),
    documentsAnsweredAt: null,
    documentsChecklist: ['Payslips', 'Bank statement'],
  };
  const docs = [{ name: 'payslip-10.pdf', kind: 'PAYSLIP', url: 'https://partner.example/docs/1' }];
  it('answers an open request once', () => {
    expect(code(checkDocumentsSubmission(request, false, docs))).toBe('OK');
    expect(code(checkDocumentsSubmission({ ...request, documentsAnsweredAt: new Date() }, false, docs))).toBe('CONFLICT');
  });
  it('refuses without a request, after a final decision, and bad documents', () => {
    expect(code(checkDocumentsSubmission(null, false, docs))).toBe('CONFLICT');
    expect(code(checkDocumentsSubmission({ ...request, outcome: 'APPROVED' }, true, docs))).toBe('CONFLICT');
    expect(code(checkDocumentsSubmission(request, false, []))).toBe('BAD_USER_INPUT');
    expect(code(checkDocumentsSubmission(request, false, [{ ...docs[0], url: 'ftp://x' }]))).toBe('BAD_USER_INPUT');
    expect(code(checkDocumentsSubmission(request, false, [{ ...docs[0], name: ' ' }]))).toBe('BAD_USER_INPUT');
  });
  it('takes a document naming a listed checklist item, and refuses one naming another', () => {
    expect(code(checkDocumentsSubmission(request, false, [{ ...docs[0], checklistItem: 'Payslips' }]))).toBe('OK');
    const wrong = checkDocumentsSubmission(request, false, [docs[0]!, { ...docs[0]!, checklistItem: 'payslips' }]);
    expect(wrong).toMatchObject({ ok: false, refusal: { code: 'BAD_USER_INPUT', problems: [{ field: 'documents[1].checklistItem' }] } });
    expect(!wrong.ok && wrong.refusal.message).toContain('"Payslips", "Bank statement"');
    expect(code(checkDocumentsSubmission({ ...request, documentsChecklist: [] }, false, [{ ...docs[0], checklistItem: 'Payslips' }]))).toBe('BAD_USER_INPUT');
    // The state of the request comes first: naming an item of no open request is a conflict, not bad input.
    expect(code(checkDocumentsSubmission({ ...request, documentsAnsweredAt: new Date() }, false, [{ ...docs[0], checklistItem: 'x' }]))).toBe('CONFLICT');
  });
});

describe('checklistItems', () => {
  const payslip = { name: 'p.pdf', kind: 'PAYSLIP', url: null, checklistItem: 'Payslips' };
  const statement = { name: 's.pdf', kind: 'BANK_STATEMENT', url: null, checklistItem: null };
  it('is REQUESTED for every item while the request waits', () => {
    expect(checklistItems(['Payslips', 'Bank statement'], false, []).map((i) => i.state)).toEqual(['REQUESTED', 'REQUESTED']);
  });
  it('links each item to the documents naming it; an item none names is MISSING once the answer is itemised', () => {
    const items = checklistItems(['Payslips', 'Bank statement'], true, [payslip, statement, { ...payslip, name: 'p2.pdf' }]);
    expect(items).toEqual([
      { item: 'Payslips', state: 'RECEIVED', documents: [payslip, { ...payslip, name: 'p2.pdf' }] },
      { item: 'Bank statement', state: 'MISSING', documents: [] },
    ]);
  });
  it('is UNMATCHED when the partner named no item (an answer cannot be told apart from a missing one)', () => {
    expect(checklistItems(['Payslips'], true, [statement])).toEqual([{ item: 'Payslips', state: 'UNMATCHED', documents: [] }]);
  });
});
