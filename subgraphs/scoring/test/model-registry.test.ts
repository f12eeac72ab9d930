import { DEMO_TENANTS, Topic } from '@tandem/platform';
import { startSubgraphForTest, testCaller } from '@tandem/platform/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelRegistry } from '../src/data/model-registry.js';
import { ShadowScoreRecord } from '../src/data/shadow-score.entity.js';
import { type ScoringServices, scoringSubgraph } from '../src/server.js';
import { auditsOf, baselineVectors, PROMOTE, REGISTER, readBaseline, submitAndScore, submittedInput, type TestSubgraph } from './helpers.js';

const VERSIONS = /* GraphQL */ `
  query Versions($name: String) { modelVersions(name: $name) { name version status maxPdDifference hasReference registeredBy } }`;
const DEPLOYMENT = /* GraphQL */ `
  query Deployment($name: String!) { modelDeployment(name: $name) { championVersion challengerVersion servingVersion previousChampions } }`;
const ROLLBACK = /* GraphQL */ `
  mutation Rollback($name: String!) { rollbackModel(name: $name) { championVersion challengerVersion previousChampions } }`;
const CHALLENGER = /* GraphQL */ `
  mutation Challenger($name: String!, $version: String) { setChallenger(name: $name, version: $version) { championVersion challengerVersion } }`;
const COMPARISON = /* GraphQL */ `
  query Compare($name: String!) {
    championChallengerComparison(name: $name, window: { lastHours: 1 }) {
      championVersion challengerVersion comparedApplications agreementRate meanAbsolutePdDifference withOutcome championAuc challengerAuc
    }
  }`;
const AUDIT = /* GraphQL */ `query Audit { modelRegistryAudit { action name version actor } }`;
const OUTCOME = /* GraphQL */ `
  mutation Outcome($applicationId: ID, $externalId: String, $outcome: LoanOutcome!) {
    recordLoanOutcome(applicationId: $applicationId, externalId: $externalId, outcome: $outcome) { applicationId outcome recordedBy }
  }`;

const MODEL = 'credit-default';
const card = () => JSON.parse(readBaseline('model-card.json').toString('utf8'));
const vectorsJson = () => readBaseline('test-vectors.json').toString('utf8');
/** The baseline's artefacts inline, under another version (same ONNX: a challenger that agrees with its champion). */
const inlineBaseline = (version: string, overrides: { card?: unknown; testVectorsJson?: string; onnxBase64?: string } = {}) => ({
  name: MODEL,
  version,
  onnxBase64: overrides.onnxBase64 ?? readBaseline('model.onnx').toString('base64'),
  modelCardJson: JSON.stringify(overrides.card ?? { ...card(), version }),
  testVectorsJson: overrides.testVectorsJson ?? vectorsJson(),
  referenceJson: readBaseline('reference.json').toString('utf8'),
});

describe('model registry', () => {
  let sg: TestSubgraph;
  const admin = (tenantId: string) => testCaller('admin', tenantId, `admin-of-${tenantId}`);

  beforeAll(async () => {
    sg = await startSubgraphForTest<ScoringServices>(scoringSubgraph, inject('databaseUrl'));
  });
  afterAll(async () => sg?.close());

  it('registers a version from models/ after checking its test vectors, once, for config:manage only', async () => {
    const tenant = 'registry-a';
    const { body } = await sg.call(admin(tenant), REGISTER, { input: { name: MODEL, version: '0.1.0', modelPath: 'credit-default/0.1.0' } });
    expect(body.errors).toBeUndefined();
    const registered = (body.data as any).registerModelVersion;
    expect(registered).toMatchObject({ name: MODEL, version: '0.1.0', status: 'REGISTERED', hasReference: true, registeredBy: `admin-of-${tenant}` });
    expect(registered.maxPdDifference).toBeLessThanOrEqual(1e-5);
    expect(registered.features).toContain('debt_to_income');

    const again = await sg.call(admin(tenant), REGISTER, { input: { name: MODEL, version: '0.1.0', modelPath: 'credit-default/0.1.0' } });
    expect(again.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const analyst = await sg.call(testCaller('analyst', tenant), REGISTER, { input: { name: MODEL, version: '0.1.9', modelPath: 'credit-default/0.1.0' } });
    expect(analyst.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const readonly = await sg.call(testCaller('readonly', tenant), VERSIONS, { name: MODEL });
    expect(readonly.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const list = await sg.call(testCaller('analyst', tenant), VERSIONS, { name: MODEL });
    expect((list.body.data as any).modelVersions.map((v: any) => v.version)).toEqual(['0.1.0']);
    // another tenant sees nothing of it
    const other = await sg.call(admin('registry-other'), VERSIONS, { name: MODEL });
    expect((other.body.data as any).modelVersions).toEqual([]);
  });

  it('refuses a model whose ONNX does not reproduce its test vectors, or that cannot be read', async () => {
    const tenant = 'registry-b';
    const vectors = JSON.parse(vectorsJson());
    vectors.vectors[3].expected.pd += 2e-5;
    const off = await sg.call(admin(tenant), REGISTER, { input: inlineBaseline('0.1.1', { testVectorsJson: JSON.stringify(vectors) }) });
    expect(off.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(off.body.errors?.[0]?.message).toMatch(/1 of 20 test vectors differ from the expected PD by more than 1e-5 \(vector 3/);

    const garbage = await sg.call(admin(tenant), REGISTER, {
      input: inlineBaseline('0.1.2', { onnxBase64: Buffer.from('not an onnx graph').toString('base64') }),
    });
    expect(garbage.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(garbage.body.errors?.[0]?.message).toMatch(/ONNX/);

    const misnamed = await sg.call(admin(tenant), REGISTER, { input: inlineBaseline('0.1.3', { card: card() }) });
    expect(misnamed.body.errors?.[0]?.message).toMatch(/modelCard.version is "0.1.0", expected "0.1.3"/);

    const outside = await sg.call(admin(tenant), REGISTER, { input: { name: MODEL, version: '0.1.4', modelPath: '../../etc' } });
    expect(outside.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const both = await sg.call(admin(tenant), REGISTER, { input: { ...inlineBaseline('0.1.5'), modelPath: 'credit-default/0.1.0' } });
    expect(both.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const list = await sg.call(admin(tenant), VERSIONS, { name: MODEL });
    expect((list.body.data as any).modelVersions).toEqual([]);
    // the inline baseline itself is accepted
    const ok = await sg.call(admin(tenant), REGISTER, { input: inlineBaseline('0.1.6') });
    expect(ok.body.errors).toBeUndefined();
  });

  it('scores with the promoted champion, shadow-scores with the challenger, and rolls back', async () => {
    const tenant = 'registry-c';
    for (const input of [inlineBaseline('0.1.0'), inlineBaseline('0.1.0-shadow')]) {
      const { body } = await sg.call(admin(tenant), REGISTER, { input });
      expect(body.errors).toBeUndefined();
    }
    const promoted = await sg.call(admin(tenant), PROMOTE, { name: MODEL, version: '0.1.0' });
    expect((promoted.body.data as any).promoteModelVersion).toMatchObject({ championVersion: '0.1.0', servingVersion: '0.1.0', previousChampions: [] });
    const challenger = await sg.call(admin(tenant), CHALLENGER, { name: MODEL, version: '0.1.0-shadow' });
    expect((challenger.body.data as any).setChallenger).toEqual({ championVersion: '0.1.0', challengerVersion: '0.1.0-shadow' });
    const challengeChampion = await sg.call(admin(tenant), CHALLENGER, { name: MODEL, version: '0.1.0' });
    expect(challengeChampion.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    const scored = [];
    for (const tv of baselineVectors.slice(0, 6)) {
      const e = await submitAndScore(sg, tenant, submittedInput(tv.input));
      // routed by the champion, and its PD is the baseline's
      expect(e.payload.modelVersion).toBe('0.1.0');
      expect(Math.abs(e.payload.probabilityOfDefault - tv.expected.pd)).toBeLessThan(1e-5);
      scored.push(e);
    }
    const shadows = await sg.orm.em.fork().find(ShadowScoreRecord, { tenantId: tenant });
    expect(shadows).toHaveLength(6);
    expect(shadows.every((s) => s.modelVersion === '0.1.0-shadow')).toBe(true);
    // shadow scores are never published
    expect(sg.published.filter((e) => e.type === Topic.ApplicationScored && (e.payload as any).modelVersion === '0.1.0-shadow')).toHaveLength(0);

    const compared = await sg.call(testCaller('analyst', tenant), COMPARISON, { name: MODEL });
    expect(compared.body.errors).toBeUndefined();
    const comparison = (compared.body.data as any).championChallengerComparison;
    expect(comparison).toMatchObject({
      championVersion: '0.1.0',
      challengerVersion: '0.1.0-shadow',
      comparedApplications: 6,
      agreementRate: 1,
      withOutcome: 0,
      championAuc: null,
    });
    expect(comparison.meanAbsolutePdDifference).toBeLessThan(1e-9);

    // outcomes: two defaults, four repaid → both AUCs exist and, the model being the same, agree
    for (const [i, e] of scored.entries()) {
      const partner = testCaller('api_consumer', tenant);
      const byExternal = i % 2 === 0;
      const { body } = await sg.call(partner, OUTCOME, {
        ...(byExternal ? { externalId: `ext-${e.payload.applicationId}` } : { applicationId: e.payload.applicationId }),
        outcome: i < 2 ? 'DEFAULTED' : 'REPAID',
      });
      expect(body.errors).toBeUndefined();
    }
    const withOutcomes = (await sg.call(testCaller('analyst', tenant), COMPARISON, { name: MODEL })).body.data as any;
    expect(withOutcomes.championChallengerComparison.withOutcome).toBe(6);
    expect(withOutcomes.championChallengerComparison.championAuc).not.toBeNull();
    expect(withOutcomes.championChallengerComparison.challengerAuc).toBeCloseTo(withOutcomes.championChallengerComparison.championAuc, 9);

    // promote the challenger: it scores from now on, and stops shadowing
    const second = await sg.call(admin(tenant), PROMOTE, { name: MODEL, version: '0.1.0-shadow' });
    expect((second.body.data as any).promoteModelVersion).toMatchObject({
      championVersion: '0.1.0-shadow',
      challengerVersion: null,
      previousChampions: ['0.1.0'],
    });
    const afterPromotion = await submitAndScore(sg, tenant, submittedInput((baselineVectors[7] as any).input));
    expect(afterPromotion.payload.modelVersion).toBe('0.1.0-shadow');

    const rolledBack = await sg.call(admin(tenant), ROLLBACK, { name: MODEL });
    expect((rolledBack.body.data as any).rollbackModel).toMatchObject({ championVersion: '0.1.0', previousChampions: [] });
    const afterRollback = await submitAndScore(sg, tenant, submittedInput((baselineVectors[8] as any).input));
    expect(afterRollback.payload.modelVersion).toBe('0.1.0');
    const noFurther = await sg.call(admin(tenant), ROLLBACK, { name: MODEL });
    expect(noFurther.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const unknown = await sg.call(admin(tenant), PROMOTE, { name: MODEL, version: '9.9.9' });
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const audit = await sg.call(admin(tenant), AUDIT);
    expect((audit.body.data as any).modelRegistryAudit.map((a: any) => `${a.action} ${a.version}`).reverse()).toEqual([
      'REGISTER 0.1.0',
      'REGISTER 0.1.0-shadow',
      'PROMOTE 0.1.0',
      'SET_CHALLENGER 0.1.0-shadow',
      'PROMOTE 0.1.0-shadow',
      'ROLLBACK 0.1.0',
    ]);

    // the graph's audit trail has the same changes, with the caller as actor, and nothing of the refused ones
    const actor = { kind: 'user', id: `admin-of-${tenant}` };
    await expect.poll(() => auditsOf(sg, tenant, 'ModelVersion').map((a) => a.entityId)).toEqual([`${MODEL}@0.1.0`, `${MODEL}@0.1.0-shadow`]);
    expect(auditsOf(sg, tenant, 'ModelVersion')[0]).toMatchObject({
      action: 'REGISTERED',
      actor,
      oldValue: null,
      newValue: { version: '0.1.0', sha256: expect.any(String) },
    });
    const deployments = auditsOf(sg, tenant, 'ModelDeployment');
    expect(deployments.map((a) => a.action)).toEqual(['PROMOTED', 'CHALLENGER_SET', 'PROMOTED', 'ROLLED_BACK']);
    expect(deployments.every((a) => a.entityId === MODEL && a.actor.kind === actor.kind && a.actor.id === actor.id)).toBe(true);
    expect(deployments[0]).toMatchObject({ oldValue: { championVersion: null }, newValue: { championVersion: '0.1.0', previousChampions: [] } });
    expect(deployments[1].changes).toEqual([{ path: 'challengerVersion', kind: 'CHANGED', from: null, to: '0.1.0-shadow' }]);
    expect(deployments[3]).toMatchObject({
      oldValue: { championVersion: '0.1.0-shadow', previousChampions: ['0.1.0'] },
      newValue: { championVersion: '0.1.0', previousChampions: [] },
    });
  });

  it('opens every tenant’s champion and challenger before serving (a new process), and reports one that cannot be opened', async () => {
    const tenant = 'registry-warm';
    for (const version of ['0.1.0', '0.1.0-warm']) {
      const input = version === '0.1.0' ? { name: MODEL, version, modelPath: 'credit-default/0.1.0' } : inlineBaseline(version);
      expect((await sg.call(admin(tenant), REGISTER, { input })).body.errors).toBeUndefined();
    }
    expect((await sg.call(admin(tenant), PROMOTE, { name: MODEL, version: '0.1.0' })).body.errors).toBeUndefined();
    expect((await sg.call(admin(tenant), CHALLENGER, { name: MODEL, version: '0.1.0-warm' })).body.errors).toBeUndefined();

    // A new process: its own registry and model cache, nothing opened yet.
    const cache = await mkdtemp(join(tmpdir(), 'tandem-warm-'));
    try {
      const fresh = new ModelRegistry(cache, sg.services.model);
      const { opened, failed } = await fresh.openDeployed(sg.orm.em.fork());
      expect(failed).toEqual([]);
      // This tenant's two, and every other tenant's deployed versions (the demo tenants' champions among them).
      expect(opened).toBeGreaterThanOrEqual(2);
      expect(existsSync(join(cache, readdirSync(cache)[0]!, 'model.onnx'))).toBe(true);
      // Opened once: the scoring path gets the same session, already built.
      const before = readdirSync(cache).length;
      const serving = await fresh.serving(sg.orm.em.fork(), tenant, MODEL);
      expect([serving.champion.version, serving.challenger?.version]).toEqual(['0.1.0', '0.1.0-warm']);
      expect(readdirSync(cache).length).toBe(before);

      // A version whose bytes no longer open is reported, and the rest are still opened.
      await sg.orm.em.fork().execute(`UPDATE scoring.model_versions SET onnx = '\\x00'::bytea, sha256 = 'broken' WHERE tenant_id = ? AND version = ?`, [tenant, '0.1.0-warm']);
      const another = new ModelRegistry(await mkdtemp(join(tmpdir(), 'tandem-warm-')), sg.services.model);
      const second = await another.openDeployed(sg.orm.em.fork());
      expect(second.failed.map((f) => f.key)).toEqual([`${tenant}/${MODEL}@0.1.0-warm`]);
      expect(second.opened).toBe(opened - 1);
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });

  it('seeds the demo tenants with the committed versions and the default as champion', async () => {
    const tenant = (DEMO_TENANTS[0] as { id: string }).id;
    const { body } = await sg.call(admin(tenant), VERSIONS, { name: MODEL });
    const versions = (body.data as any).modelVersions as { version: string; status: string }[];
    expect(versions.map((v) => v.version)).toContain('0.1.0');
    const champion = versions.find((v) => v.status === 'CHAMPION');
    expect(champion?.version).toBe(sg.services.model.card.version);
    const deployment = await sg.call(admin(tenant), DEPLOYMENT, { name: MODEL });
    expect((deployment.body.data as any).modelDeployment.championVersion).toBe(sg.services.model.card.version);
  });
});
