import { randomUUID } from 'node:crypto';
import { type EntityManager, LockMode } from '@mikro-orm/postgresql';
import type { QueueEntryStatus } from '@tandem/platform';
import { executePrepared, holdWritesUntilCommit, isUniqueViolation, isUuid, newestPerApplication, schemaTable } from '@tandem/platform';
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

/** The facts, and the API clients of the tenant with a webhook (who hear of the decision). */
export interface LockedDecisionFacts extends DecisionFacts {
  webhookClientIds: string[];
}

/** One row of lockDecisionFacts: the score's and the case's columns (null without one), instants as epoch milliseconds. */
interface DecisionFactsRow {
  score_id: string | null;
  model_version: string;
  probability_of_default: number;
  score: number;
  risk_band: string;
  route: ScoreSnapshot['route'];
  route_reason: string;
  model_recommendation: ScoreSnapshot['modelRecommendation'];
  reason_codes: ScoreSnapshot['reasonCodes'];
  loan_amount: string;
  term_months: number;
  scored_at_ms: number;
  entry_id: string | null;
  status: ReviewCase['status'];
  assignee_id: string | null;
  started_at_ms: number | null;
  sla_deadline_ms: number;
  already_decided: boolean;
  webhook_client_ids: string[];
}

// timestamptz carries microseconds; an entity's Date keeps the milliseconds (as MikroORM's hydration does).
const instant = (ms: number) => new Date(Math.floor(ms));

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
    stageEvents: (em: EntityManager, record: DecisionRecord, webhookClientIds: readonly string[]) => Promise<void>,
  ): Promise<{ created: DecisionRecord } | { alreadyDecided: true }> {
    try {
      const created = await this.em.transactional(async (tx) => {
        const repo = new DecisionRepository(tx);
        const facts = await repo.lockDecisionFacts(tenantId, applicationId);
        const record = repo.createDecision(tenantId, applicationId, judge(facts), facts.score);
        await stageEvents(tx, record, facts.webhookClientIds);
        // The decision, its conditions and its events reach PostgreSQL with the commit: one round trip, not three.
        await holdWritesUntilCommit(() => tx.flush());
        return record;
      });
      return { created };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
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

  /**
   * Locks the application's score row and reads, in the same statement, everything a decision is judged on
   * and who must hear of it: one round trip where there were four (each one costs both processes a wake-up).
   * Call inside a transaction. Without a score there is no row to lock, as with lockScore.
   */
  async lockDecisionFacts(tenantId: string, applicationId: string): Promise<LockedDecisionFacts> {
    const t = (table: string) => schemaTable(this.em, table);
    const epochMs = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;
    // Prepared (planned once per connection): every decision runs it, and its plan cost twice its execution.
    const [row] = (await executePrepared<DecisionFactsRow>(
      this.em,
      `WITH held AS (SELECT * FROM ${t('application_scores')} WHERE tenant_id = $1 AND application_id = $2 FOR UPDATE)
       SELECT s.score_id, s.model_version, s.probability_of_default, s.score, s.risk_band, s.route, s.route_reason,
              s.model_recommendation, s.reason_codes, s.loan_amount, s.term_months, ${epochMs('s.scored_at')} AS scored_at_ms,
              c.entry_id, c.status, c.assignee_id, ${epochMs('c.started_at')} AS started_at_ms, ${epochMs('c.sla_deadline')} AS sla_deadline_ms,
              EXISTS (SELECT 1 FROM ${t('decisions')} WHERE tenant_id = $1 AND application_id = $2 AND final) AS already_decided,
              ARRAY(SELECT client_id FROM ${t('webhook_endpoints')} WHERE tenant_id = $1 ORDER BY client_id) AS webhook_client_ids
         FROM (SELECT 1) AS one
         LEFT JOIN held s ON true
         LEFT JOIN ${t('review_cases')} c ON c.tenant_id = $1 AND c.application_id = $2`,
      [tenantId, applicationId],
    )) as [DecisionFactsRow];
    return {
      score:
        row.score_id === null
          ? null
          : {
              scoreId: row.score_id,
              modelVersion: row.model_version,
              probabilityOfDefault: row.probability_of_default,
              score: row.score,
              riskBand: row.risk_band,
              route: row.route,
              routeReason: row.route_reason,
              modelRecommendation: row.model_recommendation,
              reasonCodes: row.reason_codes,
              loanAmount: Number(row.loan_amount),
              termMonths: row.term_months,
              scoredAt: instant(row.scored_at_ms),
            },
      reviewCase:
        row.entry_id === null
          ? null
          : {
              entryId: row.entry_id,
              status: row.status,
              assigneeId: row.assignee_id,
              startedAt: row.started_at_ms === null ? null : instant(row.started_at_ms),
              slaDeadline: instant(row.sla_deadline_ms),
            },
      alreadyDecided: row.already_decided,
      webhookClientIds: row.webhook_client_ids,
    };
  }

  lockScore(tenantId: string, applicationId: string): Promise<ScoreSnapshotRecord | null> {
    return this.em.findOne(ScoreSnapshotRecord, { tenantId, applicationId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  /** Whether the application has its final decision: one index probe (the partial unique index on final), no count. */
  async hasFinalDecision(tenantId: string, applicationId: string): Promise<boolean> {
    const rows = await this.em.execute(`SELECT 1 FROM ${schemaTable(this.em, 'decisions')} WHERE tenant_id = ? AND application_id = ? AND final LIMIT 1`, [
      tenantId,
      applicationId,
    ]);
    return rows.length > 0;
  }

  /** Adds a decision to the unit of work; it is written when the caller's transaction flushes. */
  createDecision(tenantId: string, applicationId: string, plan: DecisionPlan, snapshot: ScoreSnapshot | null): DecisionRecord {
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
    return (await this.applyCaseChanges(tenantId, [{ applicationId, change, changeAt }])) > 0;
  }

  /**
   * A batch of case changes in one statement (the consumer's batch under load), with the result of one
   * applyCaseChange each in any order: of one application's changes only the newest is written (of equal
   * times the last, as `<=` lets it overwrite). Returns how many cases changed.
   */
  async applyCaseChanges(tenantId: string, changes: readonly { applicationId: string; change: CaseChange; changeAt: Date }[]): Promise<number> {
    const rows = newestPerApplication(changes, (c) => c.changeAt);
    if (rows.length === 0) return 0;
    const applied = await this.em.execute<{ applied: number }[]>(
      `INSERT INTO ${schemaTable(this.em, 'review_cases')} AS c
         (tenant_id, application_id, entry_id, status, assignee_id, started_at, sla_deadline, last_change_at)
       VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
       ON CONFLICT (tenant_id, application_id) DO UPDATE SET entry_id = EXCLUDED.entry_id, status = EXCLUDED.status,
         assignee_id = EXCLUDED.assignee_id, started_at = EXCLUDED.started_at, sla_deadline = EXCLUDED.sla_deadline,
         last_change_at = EXCLUDED.last_change_at
       WHERE c.last_change_at <= EXCLUDED.last_change_at
       RETURNING 1 AS applied`,
      rows.flatMap(({ applicationId, change, changeAt }) => [
        tenantId,
        applicationId,
        change.entryId,
        change.status,
        change.assigneeId,
        change.startedAt,
        change.slaDeadline,
        changeAt,
      ]),
    );
    return applied.length;
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
