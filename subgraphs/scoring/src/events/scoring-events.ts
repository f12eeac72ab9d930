import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type ApplicationScored,
  type ApplicationSubmitted,
  type ConsumerHandlers,
  createLogger,
  type DecisionMade,
  type DriftAlertRaised,
  type EventEnvelope,
  eventsByTenant,
  handlerWithBatch,
  type RoutingThresholds,
  recordEvent,
  type ScoringStarted,
  Topic,
} from '@tandem/platform';
import type { DriftAlertRecord } from '../data/drift.entity.js';
import type { ModelRegistry, ServingModel } from '../data/model-registry.js';
import { MonitoringRepository } from '../data/monitoring.repository.js';
import type { OnnxCreditModel } from '../data/onnx-model.js';
import { RoutingPolicyRepository, toRoutingPolicyVersion } from '../data/routing-policy.repository.js';
import type { ScoreRecord } from '../data/score.entity.js';
import { ScoreRepository } from '../data/score.repository.js';
import { ShadowScoreRecord } from '../data/shadow-score.entity.js';
import { assess } from '../domain/assessment.js';
import type { Explanation } from '../domain/explanation.js';
import { extractFeatures } from '../domain/features.js';
import { recommend } from '../domain/routing.js';
import { modelCardPolicy } from '../domain/routing-policy.js';
import { riskBand } from '../domain/score-scale.js';
import { toModelScoringInput } from '../domain/scoring-input.js';
import type { ScoringServices } from '../server.js';
import { auditScored } from './scoring-audit.js';

const SOURCE = 'scoring';
/** Scoring is the system's act, in answer to the application's submission. */
const SCORER = { kind: 'system', id: Topic.ApplicationSubmitted } as const;
const log = createLogger('scoring-events');

/** Published: scoring of an application has begun (it moves to SCORING). */
export function stageScoringStarted(em: EntityManager, tenantId: string, applicationId: string, requestId?: string): void {
  const payload: ScoringStarted = { applicationId };
  recordEvent(em, SOURCE, Topic.ScoringStarted, tenantId, payload, requestId);
}

/**
 * Published: the score and route, with the score's principal reasons whatever it recommends: whoever declines —
 * the policy or an analyst overriding an approve or review recommendation — quotes them in the adverse-action notice.
 */
export function stageApplicationScored(
  em: EntityManager,
  score: ScoreRecord,
  submitted: ApplicationSubmitted,
  routingThresholds: RoutingThresholds,
  requestId?: string,
): void {
  const payload: ApplicationScored = {
    applicationId: score.applicationId,
    routingThresholds,
    scoreId: score.id,
    modelVersion: score.modelVersion,
    probabilityOfDefault: score.probabilityOfDefault,
    score: score.score,
    riskBand: score.riskBand,
    route: score.route,
    routeReason: score.routeReason,
    modelRecommendation: score.modelRecommendation,
    reasonCodes: score.reasonCodes,
    loanAmount: submitted.input.loanAmount,
    termMonths: submitted.input.termMonths,
    submittedAt: submitted.submittedAt,
    scoredAt: score.scoredAt.toISOString(),
  };
  recordEvent(em, SOURCE, Topic.ApplicationScored, score.tenantId, payload, requestId);
}

/** Published: a drift or fairness alert was opened or escalated (the gateway pushes it on Subscription.driftAlert). */
export function stageDriftAlertRaised(em: EntityManager, alert: DriftAlertRecord): void {
  const payload: DriftAlertRaised = {
    id: alert.id,
    severity: alert.severity,
    feature: alert.feature,
    metric: alert.metric,
    value: alert.value,
    raisedAt: alert.raisedAt.toISOString(),
    kind: alert.kind,
    status: alert.status,
    modelVersion: alert.modelVersion,
  };
  recordEvent(em, SOURCE, Topic.DriftAlertRaised, alert.tenantId, payload);
}

/**
 * Scores a submitted application inside the consumer's transaction with the
 * tenant's champion model (the built-in default until one is promoted): the
 * score and both events commit together, or not at all. A challenger, if
 * set, scores it too into shadow_scores — never routed, never published.
 * Both keep their full explanation (base value, every contribution) for replay.
 * Returns null when the application was already scored (a second submission
 * event for it).
 */
export async function scoreSubmittedApplication(
  em: EntityManager,
  registry: ModelRegistry,
  event: EventEnvelope<ApplicationSubmitted>,
): Promise<ScoreRecord | null> {
  const { tenantId, payload: submitted, requestId } = event;
  const scores = new ScoreRepository(em);
  await scores.lockApplication(tenantId, submitted.applicationId);
  if (await scores.findByApplicationId(tenantId, submitted.applicationId)) return null;
  stageScoringStarted(em, tenantId, submitted.applicationId, requestId);

  const { champion, challenger } = await registry.serving(em, tenantId);
  const model = champion.model;
  const card = model.card;
  const scoredAt = new Date();
  const policyRecord = await new RoutingPolicyRepository(em).inForce(tenantId, scoredAt);
  const policy = policyRecord ? toRoutingPolicyVersion(policyRecord) : modelCardPolicy(card);
  const features = extractFeatures(toModelScoringInput(submitted.input), card);
  const probabilityOfDefault = await model.score(features.vector);
  const explanation = model.explain(features.modelInput);
  const assessment = assess(
    probabilityOfDefault,
    features,
    card,
    policy,
    { amount: submitted.input.loanAmount, termMonths: submitted.input.termMonths, purpose: submitted.input.purpose },
    explanation,
  );

  const score = scores.add({
    tenantId,
    applicationId: submitted.applicationId,
    externalId: submitted.externalId,
    modelName: card.name,
    modelVersion: card.version,
    inputs: submitted.input,
    featureVector: features.modelInput,
    ...storedExplanation(model, explanation),
    ...assessment,
    policyVersion: policy.version,
    scoredAt,
  });
  auditScored(em, score, SCORER, requestId);
  stageApplicationScored(em, score, submitted, { autoApproveBelow: policy.autoApproveBelow, autoDeclineAbove: policy.autoDeclineAbove }, requestId);
  if (challenger && challenger.version !== champion.version) await shadowScore(em, tenantId, challenger, submitted, policy, scoredAt);
  log.info({ tenantId, applicationId: score.applicationId, route: score.route, policyVersion: score.policyVersion }, 'application scored');
  return score;
}

/** What a score keeps of its explanation for replay: the model's identity, base value and every contribution. */
function storedExplanation(model: OnnxCreditModel, explanation: Explanation) {
  return {
    modelSha256: model.sha256,
    baseValue: explanation.baseValue,
    contributions: explanation.contributions.map((c) => c.contribution),
  };
}

/** The challenger's PD and what it would recommend under the same routing policy. */
async function shadowScore(
  em: EntityManager,
  tenantId: string,
  challenger: ServingModel,
  submitted: ApplicationSubmitted,
  policy: Parameters<typeof recommend>[1],
  scoredAt: Date,
): Promise<void> {
  const card = challenger.model.card;
  const features = extractFeatures(toModelScoringInput(submitted.input), card);
  const probabilityOfDefault = await challenger.model.score(features.vector);
  const explanation = challenger.model.explain(features.modelInput);
  em.persist(
    em.create(ShadowScoreRecord, {
      id: randomUUID(),
      tenantId,
      applicationId: submitted.applicationId,
      modelName: challenger.name,
      modelVersion: challenger.version,
      featureVector: features.modelInput,
      ...storedExplanation(challenger.model, explanation),
      probabilityOfDefault,
      riskBand: riskBand(probabilityOfDefault, card.riskBands),
      modelRecommendation: recommend(probabilityOfDefault, policy),
      scoredAt,
    }),
  );
}

async function keepDecisions(em: EntityManager, events: readonly EventEnvelope<DecisionMade>[]): Promise<void> {
  for (const [tenantId, ofTenant] of eventsByTenant(events)) {
    await new MonitoringRepository(em).upsertDecisions(
      tenantId,
      ofTenant.map((e) => ({
        applicationId: e.payload.applicationId,
        outcome: e.payload.outcome,
        automated: e.payload.automated,
        decidedAt: new Date(e.payload.decidedAt),
      })),
    );
  }
}

/**
 * Consumed: every submitted application is scored once (inbox per event,
 * unique score per application); every decision is kept locally for fairness
 * monitoring and similar cases.
 */
export function scoringConsumers(services: ScoringServices): ConsumerHandlers {
  return {
    [Topic.ApplicationSubmitted]: async (em, e: EventEnvelope<ApplicationSubmitted>) => {
      await scoreSubmittedApplication(em, services.registry, e);
    },
    // Every decision made is kept; a batch of them (under load) in one statement per tenant. Nothing else here writes them.
    [Topic.DecisionMade]: handlerWithBatch<DecisionMade>(keepDecisions),
  };
}
