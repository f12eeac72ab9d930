import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type ApplicationScored,
  type ApplicationSubmitted,
  type ConsumerHandlers,
  createLogger,
  type EventEnvelope,
  recordEvent,
  type ScoringStarted,
  Topic,
} from '@tandem/platform';
import type { OnnxCreditModel } from '../data/onnx-model.js';
import { RoutingPolicyRepository, toRoutingPolicyVersion } from '../data/routing-policy.repository.js';
import type { ScoreRecord } from '../data/score.entity.js';
import { ScoreRepository } from '../data/score.repository.js';
import { assess } from '../domain/assessment.js';
import { extractFeatures } from '../domain/features.js';
import { modelCardPolicy } from '../domain/routing-policy.js';
import { toModelScoringInput } from '../domain/scoring-input.js';
import type { ScoringServices } from '../server.js';

const SOURCE = 'scoring';
const log = createLogger('scoring-events');

/** Published: scoring of an application has begun (it moves to SCORING). */
export function stageScoringStarted(em: EntityManager, tenantId: string, applicationId: string, requestId?: string): void {
  const payload: ScoringStarted = { applicationId };
  recordEvent(em, SOURCE, Topic.ScoringStarted, tenantId, payload, requestId);
}

/** Published: the score and route. Reason codes travel only with a decline recommendation (adverse action). */
export function stageApplicationScored(em: EntityManager, score: ScoreRecord, submitted: ApplicationSubmitted, requestId?: string): void {
  const payload: ApplicationScored = {
    applicationId: score.applicationId,
    scoreId: score.id,
    modelVersion: score.modelVersion,
    probabilityOfDefault: score.probabilityOfDefault,
    score: score.score,
    riskBand: score.riskBand,
    route: score.route,
    routeReason: score.routeReason,
    modelRecommendation: score.modelRecommendation,
    reasonCodes: score.modelRecommendation === 'DECLINE' ? score.reasonCodes : [],
    loanAmount: submitted.input.loanAmount,
    termMonths: submitted.input.termMonths,
    submittedAt: submitted.submittedAt,
    scoredAt: score.scoredAt.toISOString(),
  };
  recordEvent(em, SOURCE, Topic.ApplicationScored, score.tenantId, payload, requestId);
}

/**
 * Scores a submitted application inside the consumer's transaction: the
 * score and both events commit together, or not at all. Returns null when
 * the application was already scored (a second submission event for it).
 */
export async function scoreSubmittedApplication(
  em: EntityManager,
  model: OnnxCreditModel,
  event: EventEnvelope<ApplicationSubmitted>,
): Promise<ScoreRecord | null> {
  const { tenantId, payload: submitted, requestId } = event;
  const scores = new ScoreRepository(em);
  await scores.lockApplication(tenantId, submitted.applicationId);
  if (await scores.findByApplicationId(tenantId, submitted.applicationId)) return null;
  stageScoringStarted(em, tenantId, submitted.applicationId, requestId);

  const card = model.card;
  const scoredAt = new Date();
  const policyRecord = await new RoutingPolicyRepository(em).inForce(tenantId, scoredAt);
  const policy = policyRecord ? toRoutingPolicyVersion(policyRecord) : modelCardPolicy(card);
  const features = extractFeatures(toModelScoringInput(submitted.input), card);
  const probabilityOfDefault = await model.score(features.vector);
  const assessment = assess(probabilityOfDefault, features, card, policy, {
    amount: submitted.input.loanAmount,
    termMonths: submitted.input.termMonths,
    purpose: submitted.input.purpose,
  });

  const score = scores.add({
    tenantId,
    applicationId: submitted.applicationId,
    modelName: card.name,
    modelVersion: card.version,
    inputs: submitted.input,
    featureVector: features.modelInput,
    ...assessment,
    policyVersion: policy.version,
    scoredAt,
  });
  stageApplicationScored(em, score, submitted, requestId);
  log.info({ tenantId, applicationId: score.applicationId, route: score.route, policyVersion: score.policyVersion }, 'application scored');
  return score;
}

/** Consumed: every submitted application is scored once (inbox per event, unique score per application). */
export function scoringConsumers(services: ScoringServices): ConsumerHandlers {
  return {
    [Topic.ApplicationSubmitted]: async (em, e: EventEnvelope<ApplicationSubmitted>) => {
      await scoreSubmittedApplication(em, services.model, e);
    },
  };
}
