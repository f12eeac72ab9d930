import type { DecisionOutcome } from '@tandem/platform';
import type { OverrideStatus, Refusal } from './decision-rules.js';

/**
 * What may happen to a decision after it is made: a senior analyst's review
 * of an override, a condition being met, a partner contesting an automated
 * decision or answering a documents request. Pure; the resolvers read the
 * facts under a row lock and apply what these functions allow.
 */

export const MIN_REJECTION_REASON_LENGTH = 20;
export const MIN_CONTEST_STATEMENT_LENGTH = 20;
export const MAX_STATEMENT_LENGTH = 5_000;
export const MAX_SUBMITTED_DOCUMENTS = 50;

/** The parts of a stored decision these rules look at. */
export interface DecisionFacts {
  outcome: DecisionOutcome;
  automated: boolean;
  final: boolean;
  decidedBy: string | null;
  isOverride: boolean;
  overrideStatus: OverrideStatus | null;
}

type Check = { ok: true } | { ok: false; refusal: Refusal };
const ok: Check = { ok: true };
const refuse = (code: Refusal['code'], message: string, field?: string): Check => ({
  ok: false,
  refusal: { code, message, problems: field ? [{ field, problem: message }] : undefined },
});

/**
 * Approving or rejecting an override: only a PENDING one, and never by the
 * analyst who made it (four eyes). A rejection says why, so the analyst
 * can act on it.
 */
export function checkOverrideReview(d: DecisionFacts, reviewerId: string, action: 'APPROVE' | 'REJECT', reason?: string): Check {
  if (!d.isOverride) return refuse('CONFLICT', 'The decision is not an override');
  if (d.overrideStatus !== 'PENDING') return refuse('CONFLICT', `The override was already ${d.overrideStatus?.toLowerCase()}`);
  if (d.decidedBy === reviewerId) return refuse('FORBIDDEN', 'No one may review their own override');
  if (action === 'REJECT') {
    const text = reason?.trim() ?? '';
    if (text.length < MIN_REJECTION_REASON_LENGTH || text.length > MAX_STATEMENT_LENGTH) {
      return refuse('BAD_USER_INPUT', `reason must be ${MIN_REJECTION_REASON_LENGTH} to ${MAX_STATEMENT_LENGTH} characters`, 'reason');
    }
  }
  return ok;
}

/** A condition is met once, on an approval with conditions that stands (not an override still pending or rejected). */
export function checkConditionFulfilment(d: DecisionFacts, condition: { fulfilledAt: Date | null } | null): Check {
  if (!condition) return refuse('CONFLICT', 'The decision has no such condition');
  if (!d.final || d.overrideStatus === 'REJECTED') return refuse('CONFLICT', 'The decision no longer stands');
  if (d.overrideStatus === 'PENDING') return refuse('CONFLICT', 'The override is still waiting for a senior analyst');
  if (condition.fulfilledAt) return refuse('CONFLICT', 'The condition was already fulfilled');
  return ok;
}

/**
 * GDPR Art. 22(3): the subject of a solely automated decision may contest it
 * and obtain human intervention. Only the standing automated decision can be
 * contested, once.
 */
export function checkContest(d: DecisionFacts | null, alreadyContested: boolean, statement: string): Check {
  const text = statement.trim();
  if (text.length < MIN_CONTEST_STATEMENT_LENGTH || text.length > MAX_STATEMENT_LENGTH) {
    return refuse('BAD_USER_INPUT', `statement must be ${MIN_CONTEST_STATEMENT_LENGTH} to ${MAX_STATEMENT_LENGTH} characters`, 'statement');
  }
  if (!d) return refuse('CONFLICT', 'The application has no final decision to contest');
  if (!d.automated) return refuse('CONFLICT', 'Only an automated decision can be contested; this one was made by an analyst');
  if (alreadyContested) return refuse('CONFLICT', 'The decision is already contested');
  return ok;
}

export interface SubmittedDocument {
  name: string;
  kind: string;
  url: string | null;
  /** The checklist item it answers, worded as the request words it; null when the partner did not say (answers stored before items were linked have none). */
  checklistItem?: string | null;
}

/**
 * Documents answer the open request: the latest decision must be
 * DOCUMENTS_REQUESTED and not answered yet, and a document that names the
 * checklist item it answers must name one the request lists.
 */
export function checkDocumentsSubmission(
  latest: (DecisionFacts & { documentsAnsweredAt: Date | null; documentsChecklist: string[] }) | null,
  settled: boolean,
  documents: SubmittedDocument[],
): Check {
  if (documents.length === 0 || documents.length > MAX_SUBMITTED_DOCUMENTS) {
    return refuse('BAD_USER_INPUT', `documents must list 1 to ${MAX_SUBMITTED_DOCUMENTS} documents`, 'documents');
  }
  for (const [i, doc] of documents.entries()) {
    if (!doc.name.trim() || doc.name.length > 200) return refuse('BAD_USER_INPUT', 'must be 1 to 200 characters', `documents[${i}].name`);
    if (!doc.kind.trim() || doc.kind.length > 100) return refuse('BAD_USER_INPUT', 'must be 1 to 100 characters', `documents[${i}].kind`);
    if (doc.url != null && !isHttpUrl(doc.url)) return refuse('BAD_USER_INPUT', 'must be an http(s) URL', `documents[${i}].url`);
  }
  if (settled) return refuse('CONFLICT', 'The application already has a final decision');
  if (latest?.outcome !== 'DOCUMENTS_REQUESTED') return refuse('CONFLICT', 'No documents were requested for this application');
  if (latest?.documentsAnsweredAt) return refuse('CONFLICT', 'The documents request was already answered');
  const checklist = latest.documentsChecklist;
  for (const [i, doc] of documents.entries()) {
    if (doc.checklistItem != null && !checklist.includes(doc.checklistItem)) {
      const listed = checklist.length ? `one of: ${checklist.map((c) => JSON.stringify(c)).join(', ')}` : 'absent: the request has no checklist';
      return refuse('BAD_USER_INPUT', `must be ${listed}`, `documents[${i}].checklistItem`);
    }
  }
  return ok;
}

/**
 * Where each checklist item stands. REQUESTED while the request waits;
 * once answered, RECEIVED when a document names the item, MISSING when
 * none does although the partner itemised the answer, UNMATCHED when the
 * partner named no item at all (the analyst reads the documents to tell).
 */
export type ChecklistItemState = 'REQUESTED' | 'RECEIVED' | 'MISSING' | 'UNMATCHED';

export function checklistItems(
  checklist: string[],
  answered: boolean,
  documents: SubmittedDocument[],
): { item: string; state: ChecklistItemState; documents: SubmittedDocument[] }[] {
  const itemised = documents.some((d) => d.checklistItem != null);
  return checklist.map((item) => {
    const answering = documents.filter((d) => d.checklistItem === item);
    const state: ChecklistItemState = !answered ? 'REQUESTED' : answering.length ? 'RECEIVED' : itemised ? 'MISSING' : 'UNMATCHED';
    return { item, state, documents: answering };
  });
}

export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && value.length <= 2_000;
  } catch {
    return false;
  }
}
