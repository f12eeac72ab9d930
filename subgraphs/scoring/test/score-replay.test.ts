import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSubgraphForTest, testCaller } from '@tandem/platform/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_MODEL_VERSION, defaultModelsDir, modelVersionDir } from '../src/data/onnx-model.js';
import { ScoreRecord } from '../src/data/score.entity.js';
import { ShadowScoreRecord } from '../src/data/shadow-score.entity.js';
import type { ScoringInput as ModelScoringInput } from '../src/domain/features.js';
import { type ScoringServices, scoringSubgraph } from '../src/server.js';
import { baselineVectors, PROMOTE, REGISTER, readBaseline, submitAndScore, submittedInput, type TestSubgraph } from './helpers.js';

const REPLAY = /* GraphQL */ `
  query Replay($scoreId: ID, $applicationId: ID) {
    replayScore(scoreId: $scoreId, applicationId: $applicationId) {
      scoreId applicationId scoredAt matches replayedAt
      score { ...replay }
      shadows { ...replay }
    }
  }
  fragment replay on ModelReplay {
    modelName modelVersion modelSha256 shadow featuresReproduced matches
    probabilityOfDefaultDifference baseValueDifference maxContributionDifference
    stored { probabilityOfDefault baseValue contributions { feature value contribution } }
    replayed { probabilityOfDefault baseValue contributions { feature value contribution } }
  }`;
const CHALLENGER = /* GraphQL */ `
  mutation Challenger($name: String!, $version: String) { setChallenger(name: $name, version: $version) { challengerVersion } }`;

/** credit-default 1.0.0 test vectors: inputs with xgboost's pred_contribs and bias. */
const DEFAULT_DIR = modelVersionDir(defaultModelsDir(), 'credit-default', DEFAULT_MODEL_VERSION);
const treeVectors = (
  JSON.parse(readFileSync(join(DEFAULT_DIR, 'test-vectors.json'), 'utf8')) as {
    featureNames: string[];
    vectors: { input: ModelScoringInput; expected: { pd: number; bias: number; contributions: number[] } }[];
  }
).vectors;
const defaultSha256 = createHash('sha256')
  .update(readFileSync(join(DEFAULT_DIR, 'model.onnx')))
  .digest('hex');

describe('replayScore', () => {
  let sg: TestSubgraph;
  const auditor = (tenantId: string) => testCaller('admin', tenantId, `auditor-of-${tenantId}`);
  const replay = async (tenantId: string, variables: { scoreId?: string; applicationId?: string }) => {
    const { body } = await sg.call(auditor(tenantId), REPLAY, variables);
    return { data: (body.data as any)?.replayScore, code: body.errors?.[0]?.extensions?.code as string | undefined, errors: body.errors };
  };

  beforeAll(async () => {
    sg = await startSubgraphForTest<ScoringServices>(scoringSubgraph, inject('databaseUrl'));
  });
  afterAll(async () => sg?.close());

  it('stores the full explanation with each score and replays it to the same PD and contributions', async () => {
    const tenant = 'replay-a';
    const tv = treeVectors[4] as (typeof treeVectors)[number];
    const scored = await submitAndScore(sg, tenant, submittedInput(tv.input));

    const row = await sg.orm.em.fork().findOneOrFail(ScoreRecord, { tenantId: tenant, applicationId: scored.payload.applicationId });
    expect(row.modelSha256).toBe(defaultSha256);
    expect(row.baseValue).toBe(tv.expected.bias);
    expect(row.contributions).toHaveLength(tv.expected.contributions.length);
    row.contributions?.forEach((c, i) => {
      expect(Math.abs(c - (tv.expected.contributions[i] as number))).toBeLessThan(1e-6);
    });

    const byApplication = await replay(tenant, { applicationId: scored.payload.applicationId });
    expect(byApplication.errors).toBeUndefined();
    const r = byApplication.data;
    expect(r).toMatchObject({ scoreId: scored.payload.scoreId, applicationId: scored.payload.applicationId, matches: true, shadows: [] });
    expect(r.score).toMatchObject({
      modelName: 'credit-default',
      modelVersion: DEFAULT_MODEL_VERSION,
      modelSha256: defaultSha256,
      shadow: false,
      featuresReproduced: true,
      matches: true,
      probabilityOfDefaultDifference: 0,
      baseValueDifference: 0,
      maxContributionDifference: 0,
    });
    expect(r.score.stored.probabilityOfDefault).toBe(scored.payload.probabilityOfDefault);
    expect(r.score.replayed.probabilityOfDefault).toBe(scored.payload.probabilityOfDefault);
    expect(r.score.stored.contributions.map((c: any) => c.feature)).toEqual(r.score.replayed.contributions.map((c: any) => c.feature));
    expect(r.score.stored.contributions.map((c: any) => c.value)).toEqual(row.featureVector);
    expect(r.score.stored.contributions.find((c: any) => c.feature === 'debt_to_income')).toBeDefined();
    // local accuracy: base value + Σ contributions is the logit of the stored PD (float32 model output)
    const logit = r.score.replayed.contributions.reduce((s: number, c: any) => s + c.contribution, r.score.replayed.baseValue);
    expect(1 / (1 + Math.exp(-logit))).toBeCloseTo(scored.payload.probabilityOfDefault, 6);

    const byScore = await replay(tenant, { scoreId: scored.payload.scoreId });
    expect(byScore.data.score).toEqual(r.score);
  });

  it('reports a stored score that no longer matches its model, and replays scores stored without explanations', async () => {
    const tenant = 'replay-b';
    const altered = await submitAndScore(sg, tenant, submittedInput((treeVectors[7] as (typeof treeVectors)[number]).input));
    const legacy = await submitAndScore(sg, tenant, submittedInput((treeVectors[9] as (typeof treeVectors)[number]).input));
    const em = sg.orm.em.fork();
    const row = await em.findOneOrFail(ScoreRecord, { tenantId: tenant, applicationId: altered.payload.applicationId });
    const contributions = [...(row.contributions as number[])];
    contributions[2] = (contributions[2] as number) + 1e-3;
    await em.nativeUpdate(ScoreRecord, { id: row.id }, { probabilityOfDefault: row.probabilityOfDefault + 1e-6, contributions });
    await em.nativeUpdate(ScoreRecord, { applicationId: legacy.payload.applicationId }, { baseValue: null, contributions: null, modelSha256: null });

    const off = (await replay(tenant, { scoreId: altered.payload.scoreId })).data;
    expect(off.matches).toBe(false);
    expect(off.score.matches).toBe(false);
    expect(off.score.probabilityOfDefaultDifference).toBeCloseTo(1e-6, 12);
    expect(off.score.maxContributionDifference).toBeCloseTo(1e-3, 9);
    expect(off.score.baseValueDifference).toBe(0);
    expect(off.score.featuresReproduced).toBe(true);

    const old = (await replay(tenant, { applicationId: legacy.payload.applicationId })).data;
    expect(old.matches).toBe(true);
    expect(old.score).toMatchObject({
      baseValueDifference: null,
      maxContributionDifference: null,
      probabilityOfDefaultDifference: 0,
      modelSha256: defaultSha256,
    });
    expect(old.score.stored).toMatchObject({ baseValue: null, contributions: null });
    expect(old.score.replayed.contributions).toHaveLength(19);

    // a score whose recorded model file is nowhere to be found cannot be replayed
    await em.nativeUpdate(ScoreRecord, { applicationId: legacy.payload.applicationId }, { modelSha256: '0'.repeat(64) });
    const gone = await replay(tenant, { applicationId: legacy.payload.applicationId });
    expect(gone.code).toBe('NOT_FOUND');
    expect(gone.errors?.[0]?.message).toMatch(/no longer available/);
  });

  it('replays the champion and the challenger shadow score with their own registered versions', async () => {
    const tenant = 'replay-c';
    const card = JSON.parse(readBaseline('model-card.json').toString('utf8'));
    for (const version of ['0.1.0', '0.1.0-shadow']) {
      const { body } = await sg.call(testCaller('admin', tenant), REGISTER, {
        input: {
          name: 'credit-default',
          version,
          onnxBase64: readBaseline('model.onnx').toString('base64'),
          modelCardJson: JSON.stringify({ ...card, version }),
          testVectorsJson: readBaseline('test-vectors.json').toString('utf8'),
        },
      });
      expect(body.errors).toBeUndefined();
    }
    expect((await sg.call(testCaller('admin', tenant), PROMOTE, { name: 'credit-default', version: '0.1.0' })).body.errors).toBeUndefined();
    expect((await sg.call(testCaller('admin', tenant), CHALLENGER, { name: 'credit-default', version: '0.1.0-shadow' })).body.errors).toBeUndefined();

    const scored = await submitAndScore(sg, tenant, submittedInput((baselineVectors[2] as (typeof baselineVectors)[number]).input));
    const shadowRow = await sg.orm.em.fork().findOneOrFail(ShadowScoreRecord, { tenantId: tenant, applicationId: scored.payload.applicationId });
    expect(shadowRow.contributions).toHaveLength(card.features.length);
    expect(typeof shadowRow.baseValue).toBe('number');

    const r = (await replay(tenant, { applicationId: scored.payload.applicationId })).data;
    expect(r.matches).toBe(true);
    expect(r.score).toMatchObject({ modelVersion: '0.1.0', shadow: false, matches: true, maxContributionDifference: 0 });
    expect(r.shadows).toHaveLength(1);
    expect(r.shadows[0]).toMatchObject({ modelVersion: '0.1.0-shadow', shadow: true, matches: true, featuresReproduced: true, maxContributionDifference: 0 });
    expect(r.shadows[0].stored.probabilityOfDefault).toBe(shadowRow.probabilityOfDefault);
  });

  it('refuses other tenants, callers without audit:view, and ambiguous or unknown references', async () => {
    const tenant = 'replay-d';
    const scored = await submitAndScore(sg, tenant, submittedInput((treeVectors[1] as (typeof treeVectors)[number]).input));
    expect((await replay('replay-other', { applicationId: scored.payload.applicationId })).code).toBe('NOT_FOUND');
    expect((await replay('replay-other', { scoreId: scored.payload.scoreId })).code).toBe('NOT_FOUND');
    for (const role of ['senior_analyst', 'analyst', 'readonly', 'api_consumer'] as const) {
      const { body } = await sg.call(testCaller(role, tenant), REPLAY, { scoreId: scored.payload.scoreId });
      expect(body.errors?.[0]?.extensions?.code, role).toBe('FORBIDDEN');
    }
    expect((await replay(tenant, {})).code).toBe('BAD_USER_INPUT');
    expect((await replay(tenant, { scoreId: scored.payload.scoreId, applicationId: scored.payload.applicationId })).code).toBe('BAD_USER_INPUT');
    expect((await replay(tenant, { scoreId: 'not-a-uuid' })).code).toBe('NOT_FOUND');
    expect((await replay(tenant, { applicationId: '00000000-0000-4000-8000-000000000000' })).code).toBe('NOT_FOUND');
  });
});
