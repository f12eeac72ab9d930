/**
 * Replays a stored score (and its challengers' shadow scores): each stored
 * feature vector through the model version that produced it, compared with
 * what was stored (domain/score-replay.ts). Reads only; nothing is written.
 */

import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, conflict, notFound } from '@tandem/platform';
import { extractFeatures } from '../domain/features.js';
import { compareReplay, type ReplayComparison, type ScoreSnapshot, sameFeatures } from '../domain/score-replay.js';
import { toModelScoringInput } from '../domain/scoring-input.js';
import type { ModelRegistry, ServingModel } from './model-registry.js';
import type { ScoreRecord } from './score.entity.js';
import { ScoreRepository } from './score.repository.js';
import type { ShadowScoreRecord } from './shadow-score.entity.js';

export interface ModelReplayResult extends ReplayComparison {
  modelName: string;
  modelVersion: string;
  /** sha256 of the ONNX file that replayed it (the stored one's, when the score recorded it) */
  modelSha256: string;
  shadow: boolean;
  /** model inputs in card order */
  features: readonly string[];
  featureVector: readonly number[];
  /** the application's stored inputs, extracted again with this model's card, give the stored feature vector */
  featuresReproduced: boolean;
  stored: ScoreSnapshot;
  replayed: ScoreSnapshot & { baseValue: number; contributions: number[] };
}

export interface ScoreReplayResult {
  scoreId: string;
  applicationId: string;
  scoredAt: Date;
  score: ModelReplayResult;
  shadows: ModelReplayResult[];
  /** the score and every shadow score replayed within tolerance */
  matches: boolean;
  replayedAt: Date;
}

export type ScoreReference = { scoreId: string; applicationId?: undefined } | { applicationId: string; scoreId?: undefined };

/** Exactly one of scoreId and applicationId (an application has one score). */
export function scoreReference(scoreId: string | null | undefined, applicationId: string | null | undefined): ScoreReference {
  if ((scoreId == null) === (applicationId == null)) throw badInput('give exactly one of scoreId and applicationId');
  return scoreId != null ? { scoreId } : { applicationId: applicationId as string };
}

export async function replayScore(em: EntityManager, registry: ModelRegistry, tenantId: string, ref: ScoreReference): Promise<ScoreReplayResult> {
  const scores = new ScoreRepository(em);
  const record = ref.scoreId !== undefined ? await scores.findById(tenantId, ref.scoreId) : await scores.findByApplicationId(tenantId, ref.applicationId);
  if (!record) throw notFound(ref.scoreId !== undefined ? `score ${ref.scoreId} not found` : `application ${ref.applicationId} has no score`);
  const shadowRecords = await scores.shadowScores(tenantId, record.applicationId);
  const score = await replayOne(em, registry, record, record, false);
  const shadows: ModelReplayResult[] = [];
  for (const shadow of shadowRecords) shadows.push(await replayOne(em, registry, record, shadow, true));
  return {
    scoreId: record.id,
    applicationId: record.applicationId,
    scoredAt: record.scoredAt,
    score,
    shadows,
    matches: score.matches && shadows.every((s) => s.matches),
    replayedAt: new Date(),
  };
}

async function replayOne(
  em: EntityManager,
  registry: ModelRegistry,
  champion: ScoreRecord,
  scored: ScoreRecord | ShadowScoreRecord,
  shadow: boolean,
): Promise<ModelReplayResult> {
  const serving = await modelOf(em, registry, scored);
  const { model } = serving;
  if (scored.featureVector.length !== model.featureCount) {
    throw conflict(
      `the stored feature vector has ${scored.featureVector.length} values; ${scored.modelName}@${scored.modelVersion} takes ${model.featureCount}`,
    );
  }
  const probabilityOfDefault = await model.score(Float32Array.from(scored.featureVector));
  const explanation = model.explain(scored.featureVector);
  const stored: ScoreSnapshot = {
    probabilityOfDefault: scored.probabilityOfDefault,
    baseValue: scored.baseValue ?? null,
    contributions: scored.contributions ?? null,
  };
  const replayed = { probabilityOfDefault, baseValue: explanation.baseValue, contributions: explanation.contributions.map((c) => c.contribution) };
  return {
    modelName: scored.modelName,
    modelVersion: scored.modelVersion,
    modelSha256: model.sha256,
    shadow,
    features: model.card.features.map((f) => f.name),
    featureVector: scored.featureVector,
    featuresReproduced: sameFeatures(scored.featureVector, extractFeatures(toModelScoringInput(champion.inputs), model.card).modelInput),
    stored,
    replayed,
    ...compareReplay(stored, replayed),
  };
}

async function modelOf(em: EntityManager, registry: ModelRegistry, scored: ScoreRecord | ShadowScoreRecord): Promise<ServingModel> {
  const serving = await registry.forReplay(em, scored.tenantId, scored.modelName, scored.modelVersion, scored.modelSha256 ?? null);
  if (!serving) {
    throw notFound(
      `model ${scored.modelName}@${scored.modelVersion}${scored.modelSha256 ? ` (sha256 ${scored.modelSha256.slice(0, 12)}…)` : ''} that produced this score is no longer available`,
    );
  }
  return serving;
}
