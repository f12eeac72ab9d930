import type { Decision } from '../../graphql/types';

/** Decisions arrive oldest first; the latest one of an outcome is the one that matters now. */
function latest(decisions: Decision[], test: (d: Decision) => boolean): Decision | null {
  for (let i = decisions.length - 1; i >= 0; i--) {
    const d = decisions[i];
    if (d && test(d)) return d;
  }
  return null;
}

/** The open or answered documents request of the case, if documents were ever requested. */
export function latestDocumentsRequest(decisions: Decision[]): Decision | null {
  return latest(decisions, (d) => d.outcome === 'DOCUMENTS_REQUESTED' && d.documentsRequest !== null);
}

/** The approval with conditions that stands or may stand (not a rejected override). */
export function conditionalApproval(decisions: Decision[]): Decision | null {
  return latest(decisions, (d) => d.outcome === 'APPROVED_WITH_CONDITIONS' && d.overrideStatus !== 'REJECTED' && d.typedConditions.length > 0);
}

/** Why a condition of this decision cannot be marked met now; null when it can. */
export function conditionLock(decision: Decision, canDecide: boolean): string | null {
  if (!canDecide) return 'You may not mark conditions met.';
  if (decision.overrideStatus === 'PENDING') return 'Conditions can be marked met once a senior analyst approves the override.';
  if (!decision.final) return 'The decision no longer stands.';
  return null;
}

/** The override on this case a senior rejected, while the case is back with its analyst. */
export function rejectedOverride(decisions: Decision[]): Decision | null {
  const last = decisions[decisions.length - 1];
  return last?.isOverride && last.overrideStatus === 'REJECTED' ? last : null;
}
