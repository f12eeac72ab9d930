import { randomUUID } from 'node:crypto';
import { type EntityManager, LockMode, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import type { QueueEntryStatus } from '@tandem/platform';
import { isUuid, schemaTable } from '@tandem/platform';
import DataLoader from 'dataloader';
import type { DecisionPlan, ReviewCase, ScoreSnapshot } from '../domain/decision-rules.js';
import type { SubmittedDocument } from '../domain/decision-workflow.js';
import { isNewerScore } from '../domain/projections.js';
import { DecisionRecord } from './decision.entity.js';
import { ReviewCaseRecord } from './review-case.entity.js';
import { ScoreSnapshotRecord } from './score-snapshot.entity.js';
import { ConditionRecord, ContestRecord, DocumentSubmissionRecord } from './workflow.entities.js';

/** Decision ids are uuids; anything else cannot exist, and must not reach PostgreSQL as a uuid. */
export const isDecisionId = isUuid;

/** What a decision is judged against, read under the application's lock. */
export interface DecisionFacts {
  score: ScoreSnapshot | null;
  reviewCase: ReviewCase | null;
  alreadyDecided: boolean;
}

export interface CaseChange {
  entryId: string;
  status: QueueEntryStatus;
  assigneeId: string | null;
  startedAt: Date | null;
  slaDeadline: Date;
}

/**
 * All access to decisions and this subgraph's projections goes through here,
 * and every method takes the tenant: no query can forget it.
 */
export class DecisionRepository {
  constructor(private readonly em: EntityManager) {}

  findById(tenantId: string, id: string): Promise<DecisionRecord | null> {
    if (!isDecisionId(id)) return Promise.resolve(null);
    return this.em.findOne(DecisionRecord, { id, tenantId });
  }

  /** Batches `id` look-ups of one request into one query. */
  loader(tenantId: string): DataLoader<string, DecisionRecord | null> {
    return new DataLoader(async (ids) => {
      const valid = ids.filter(isDecisionId);
      const rows = valid.length ? await this.em.find(DecisionRecord, { tenantId, id: { $in: valid } }) : [];
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  /** Batches the decisions of many applications (Application.decisions on a list) into one query, oldest first. */
  byApplicationLoader(tenantId: string): DataLoader<string, DecisionRecord[]> {
    return new DataLoader(async (applicationIds) => {
      const rows = await this.em.find(
        DecisionRecord,
        { tenantId, applicationId: { $in: [...applicationIds] } },
        { orderBy: { decidedAt: 'asc', createdAt: 'asc' } },
      );
      const byApplication = new Map<string, DecisionRecord[]>();
      for (const r of rows) byApplication.set(r.applicationId, [...(byApplication.get(r.applicationId) ?? []), r]);
      return applicationIds.map((id) => byApplication.get(id) ?? []);
    });
  }

  /**
   * Stores a decision and the events it causes in one transaction. The
   * application's score row is locked first, so concurrent decisions on one
   * application run one after the other and each sees the ones before it;
   * `judge` throws to refuse (and nothing is written). Should the lock ever
   * be bypassed, the partial unique index refuses a second final decision.
   */
  async decideWithEvents(
    tenantId: string,
    applicationId: string,
    judge: (facts: DecisionFacts) => DecisionPlan,
    stageEvents: (em: EntityManager, record: DecisionRecord) => Promise<void>,
  ): Promise<{ created: DecisionRecord } | { alreadyDecided: true }> {
    try {
      const created = await this.em.transactional(async (tx) => {
        const repo = new DecisionRepository(tx);
        const score = await repo.lockScore(tenantId, applicationId);
        const reviewCase = await tx.findOne(ReviewCaseRecord, { tenantId, applicationId });
        const alreadyDecided = await repo.hasFinalDecision(tenantId, applicationId);
        const plan = judge({ score: score && toScoreSnapshot(score), reviewCase: reviewCase && toReviewCase(reviewCase), alreadyDecided });
        const record = repo.createDecision(tenantId, applicationId, plan, score);
        await stageEvents(tx, record);
        return record;
      });
      return { created };
    } catch (err) {
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      this.em.clear();
      return { alreadyDecided: true };
    }
  }

  /**
   * What this subgraph currently knows of an application's case, read
   * without locks: for waiting until the queue's news arrives, never for
   * deciding (decideWithEvents judges under the lock).
   */
  async caseView(tenantId: string, applicationId: string): Promise<DecisionFacts> {
    const em = this.em.fork();
    const [score, reviewCase, alreadyDecided] = await Promise.all([
      em.findOne(ScoreSnapshotRecord, { tenantId, applicationId }),
      em.findOne(ReviewCaseRecord, { tenantId, applicationId }),
      new DecisionRepository(em).hasFinalDecision(tenantId, applicationId),
    ]);
    return { score: score && toScoreSnapshot(score), reviewCase: reviewCase && toReviewCase(reviewCase), alreadyDecided };
  }

  /** The application's latest score as this subgraph holds it, without locks (for previews, never for deciding). */
  async scoreOf(tenantId: string, applicationId: string): Promise<ScoreSnapshot | null> {
    const score = await this.em.findOne(ScoreSnapshotRecord, { tenantId, applicationId });
    return score && toScoreSnapshot(score);
  }

  lockScore(tenantId: string, applicationId: string): Promise<ScoreSnapshotRecord | null> {
    return this.em.findOne(ScoreSnapshotRecord, { tenantId, applicationId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  /** Whether the application has its final decision: one index probe (the partial unique index on final), no count. */
  async hasFinalDecision(tenantId: string, applicationId: string): Promise<boolean> {
    const rows = await this.em.execute(
      `SELECT 1 FROM ${schemaTable(this.em, 'decisions')} WHERE tenant_id = ? AND application_id = ? AND final LIMIT 1`,
      [tenantId, applicationId],
    );
    return rows.length > 0;
  }

  /** Adds a decision to the unit of work; it is written when the caller's transaction flushes. */
  createDecision(tenantId: string, applicationId: string, plan: DecisionPlan, score: ScoreSnapshotRecord | null): DecisionRecord {
    const snapshot = score && toScoreSnapshot(score);
    const id = randomUUID();
    for (const [position, c] of plan.conditions.entries()) {
      this.em.create(ConditionRecord, {
        id: randomUUID(),
        tenantId,
        decisionId: id,
        position,
        kind: c.kind,
        description: c.description,
        amount: c.amount != null ? c.amount.toFixed(2) : null,
        termMonths: c.termMonths,
        fulfilledAt: null,
        fulfilledBy: null,
      });
    }
    return this.em.create(DecisionRecord, {
      id,
      tenantId,
      applicationId,
      outcome: plan.outcome,
      reasoning: plan.reasoning,
      conditions: plan.conditions.map((c) => c.description),
      approvedAmount: plan.approvedTerms ? plan.approvedTerms.amount.toFixed(2) : null,
      approvedTermMonths: plan.approvedTerms?.termMonths ?? null,
      monthlyInstalment: plan.monthlyInstalment != null ? plan.monthlyInstalment.toFixed(2) : null,
      documentsChecklist: plan.documentsRequest?.checklist ?? null,
      documentsDueAt: plan.documentsRequest?.dueAt ?? null,
      isOverride: plan.isOverride,
      overrideDirection: plan.overrideDirection,
      overrideStatus: plan.overrideStatus,
      overrideJustification: plan.overrideJustification,
      automated: plan.automated,
      decidedBy: plan.decidedBy,
      decidedAt: plan.decidedAt,
      reviewSeconds: plan.reviewSeconds,
      withinSla: plan.withinSla,
      modelVersion: snapshot?.modelVersion ?? null,
      scoreSnapshot: snapshot ? { ...snapshot, scoredAt: snapshot.scoredAt.toISOString() } : null,
      reasonCodes: plan.reasonCodes,
      final: plan.final,
      createdAt: new Date(),
    });
  }

  /** A decision locked for a change of its state (call inside a transaction). */
  lockDecision(tenantId: string, id: string): Promise<DecisionRecord | null> {
    if (!isDecisionId(id)) return Promise.resolve(null);
    return this.em.findOne(DecisionRecord, { id, tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  /** Whether automation must leave the application alone: it is settled, a human decided on it, or it was contested. */
  async isInHumanHands(tenantId: string, applicationId: string): Promise<boolean> {
    const decided = await this.em.count(DecisionRecord, { tenantId, applicationId, $or: [{ final: true }, { automated: false }] });
    return decided > 0 || (await this.em.count(ContestRecord, { tenantId, applicationId })) > 0;
  }

  /** The decision that settles the application now, if any. */
  findFinalDecision(tenantId: string, applicationId: string): Promise<DecisionRecord | null> {
    return this.em.findOne(DecisionRecord, { tenantId, applicationId, final: true });
  }

  /** The most recent decision on the application (a documents request, or the final one). */
  findLatestDecision(tenantId: string, applicationId: string): Promise<DecisionRecord | null> {
    return this.em.findOne(DecisionRecord, { tenantId, applicationId }, { orderBy: { decidedAt: 'desc', createdAt: 'desc' } });
  }

  /** Overrides waiting for a senior analyst, oldest first (they have waited longest). */
  async pendingOverrides(tenantId: string, offset: number, limit: number): Promise<{ items: DecisionRecord[]; total: number }> {
    const [items, total] = await this.em.findAndCount(
      DecisionRecord,
      { tenantId, overrideStatus: 'PENDING' },
      { orderBy: { decidedAt: 'asc', id: 'asc' }, offset, limit },
    );
    return { items, total };
  }

  /** Batches the conditions of many decisions into one query, in the analyst's order. */
  conditionsLoader(tenantId: string): DataLoader<string, ConditionRecord[]> {
    return new DataLoader(async (decisionIds) => {
      const rows = await this.em.find(ConditionRecord, { tenantId, decisionId: { $in: [...decisionIds] } }, { orderBy: { position: 'asc' } });
      const byDecision = new Map<string, ConditionRecord[]>();
      for (const r of rows) byDecision.set(r.decisionId, [...(byDecision.get(r.decisionId) ?? []), r]);
      return decisionIds.map((id) => byDecision.get(id) ?? []);
    });
  }

  /** Batches the contest of many decisions (at most one each). */
  contestLoader(tenantId: string): DataLoader<string, ContestRecord | null> {
    return new DataLoader(async (decisionIds) => {
      const rows = await this.em.find(ContestRecord, { tenantId, decisionId: { $in: [...decisionIds] } });
      const byDecision = new Map(rows.map((r) => [r.decisionId, r]));
      return decisionIds.map((id) => byDecision.get(id) ?? null);
    });
  }

  /** Batches the documents submitted in answer to many requests (at most one each). */
  documentsLoader(tenantId: string): DataLoader<string, DocumentSubmissionRecord | null> {
    return new DataLoader(async (decisionIds) => {
      const rows = await this.em.find(DocumentSubmissionRecord, { tenantId, requestDecisionId: { $in: [...decisionIds] } });
      const byDecision = new Map(rows.map((r) => [r.requestDecisionId, r]));
      return decisionIds.map((id) => byDecision.get(id) ?? null);
    });
  }

  findCondition(tenantId: string, decisionId: string, conditionId: string): Promise<ConditionRecord | null> {
    if (!isDecisionId(conditionId)) return Promise.resolve(null);
    return this.em.findOne(ConditionRecord, { tenantId, decisionId, id: conditionId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  async isContested(tenantId: string, decisionId: string): Promise<boolean> {
    return (await this.em.count(ContestRecord, { tenantId, decisionId })) > 0;
  }

  createContest(tenantId: string, decision: DecisionRecord, statement: string, contestedBy: string, at: Date): ContestRecord {
    return this.em.create(ContestRecord, {
      id: randomUUID(),
      tenantId,
      applicationId: decision.applicationId,
      decisionId: decision.id,
      statement,
      contestedBy,
      contestedAt: at,
      modelVersion: decision.modelVersion ?? null,
      scoreSnapshot: decision.scoreSnapshot ?? null,
    });
  }

  createDocumentSubmission(tenantId: string, request: DecisionRecord, documents: SubmittedDocument[], submittedBy: string, at: Date): DocumentSubmissionRecord {
    return this.em.create(DocumentSubmissionRecord, {
      id: randomUUID(),
      tenantId,
      applicationId: request.applicationId,
      requestDecisionId: request.id,
      documents,
      submittedBy,
      submittedAt: at,
    });
  }

  /**
   * Keeps the newest score of an application (call inside a transaction).
   * Returns the snapshot held afterwards, locked, or null when the incoming
   * score was older than the one already held.
   */
  async applyScore(tenantId: string, applicationId: string, score: ScoreSnapshot): Promise<ScoreSnapshotRecord | null> {
    const current = await this.lockScore(tenantId, applicationId);
    if (current && !isNewerScore(current, score.scoredAt)) return null;
    const data = { ...score, loanAmount: score.loanAmount.toFixed(2) };
    if (current) return Object.assign(current, data);
    return this.em.create(ScoreSnapshotRecord, { tenantId, applicationId, ...data });
  }

  /**
   * Keeps the newest queue change of an application's case; true when applied. A change applies when it
   * happened at or after the one the case reflects (the queue's event time): a late ASSIGNED must not undo
   * a STARTED that overtook it, and of two changes in one millisecond the second is the later as far as
   * we can tell (a redelivery of the same state is harmless). One statement, where it was a locked read and
   * a write through the unit of work: every decision causes one of these.
   */
  async applyCaseChange(tenantId: string, applicationId: string, change: CaseChange, changeAt: Date): Promise<boolean> {
    const applied = await this.em.execute<{ applied: number }[]>(
      `INSERT INTO ${schemaTable(this.em, 'review_cases')} AS c
         (tenant_id, application_id, entry_id, status, assignee_id, started_at, sla_deadline, last_change_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, application_id) DO UPDATE SET entry_id = EXCLUDED.entry_id, status = EXCLUDED.status,
         assignee_id = EXCLUDED.assignee_id, started_at = EXCLUDED.started_at, sla_deadline = EXCLUDED.sla_deadline,
         last_change_at = EXCLUDED.last_change_at
       WHERE c.last_change_at <= EXCLUDED.last_change_at
       RETURNING 1 AS applied`,
      [tenantId, applicationId, change.entryId, change.status, change.assigneeId, change.startedAt, change.slaDeadline, changeAt],
    );
    return applied.length > 0;
  }
}

export function toScoreSnapshot(r: ScoreSnapshotRecord): ScoreSnapshot {
  return {
    scoreId: r.scoreId,
    modelVersion: r.modelVersion,
    probabilityOfDefault: r.probabilityOfDefault,
    score: r.score,
    riskBand: r.riskBand,
    route: r.route,
    routeReason: r.routeReason,
    modelRecommendation: r.modelRecommendation,
    reasonCodes: r.reasonCodes,
    // numeric columns come back from PostgreSQL as strings
    loanAmount: Number(r.loanAmount),
    termMonths: r.termMonths,
    scoredAt: r.scoredAt,
  };
}

function toReviewCase(r: ReviewCaseRecord): ReviewCase {
  return { entryId: r.entryId, status: r.status, assigneeId: r.assigneeId ?? null, startedAt: r.startedAt ?? null, slaDeadline: r.slaDeadline };
}
