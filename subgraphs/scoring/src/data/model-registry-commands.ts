/**
 * Registry writes: register (validated), promote, roll back, set a challenger.
 * Each runs in one transaction under a per-(tenant, model) lock and writes an
 * audit row with the change.
 */

import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, conflict, notFound } from '@tandem/platform';
import type { ModelReference } from '../domain/drift-report.js';
import type { ModelCard } from '../domain/features.js';
import { cardProblems, PD_TOLERANCE, parseTestVectors } from '../domain/model-validation.js';
import { type AuditActor, auditDeploymentChanged, auditModelRegistered, deploymentAuditSnapshot } from '../events/scoring-audit.js';
import { type ModelRegistry, ModelValidationError, sha256 } from './model-registry.js';
import { ModelRegistryRepository } from './model-registry.repository.js';
import type { ModelDeploymentRecord, ModelVersionRecord } from './model-version.entity.js';

/** The registry's own log names its actors by id. */
const actorName = (actor: AuditActor): string => actor.id ?? 'unknown';
const DEMO_SEED: AuditActor = { kind: 'system', id: 'demo-seed' };

export interface ModelArtefacts {
  name: string;
  version: string;
  onnx: Buffer;
  card: unknown;
  testVectors: unknown;
  reference: unknown | null;
}

/**
 * The artefacts of `<modelsDir>/<path>` (model.onnx, model-card.json,
 * test-vectors.json, reference.json if present). `path` must stay inside modelsDir.
 */
export async function readArtefactsFromDir(modelsDir: string, path: string, name: string, version: string): Promise<ModelArtefacts> {
  const root = resolve(modelsDir);
  const dir = resolve(root, path);
  const rel = relative(root, dir);
  if (!rel || rel.startsWith('..') || rel.split(sep).includes('..')) throw badInput('modelPath must be a directory inside models/, e.g. credit-default/1.0.0');
  if (!existsSync(join(dir, 'model-card.json'))) throw badInput(`models/${rel} has no model-card.json`);
  const json = async (file: string) => {
    try {
      return JSON.parse(await readFile(join(dir, file), 'utf8')) as unknown;
    } catch (err) {
      throw badInput(`models/${rel}/${file} cannot be read as JSON: ${(err as Error).message}`);
    }
  };
  const card = await json('model-card.json');
  const onnxFile = (card as Partial<ModelCard>)?.onnx?.file ?? 'model.onnx';
  if (typeof onnxFile !== 'string' || onnxFile.includes('/') || onnxFile.includes('\\') || !existsSync(join(dir, onnxFile)))
    throw badInput(`models/${rel} has no ONNX file ${onnxFile}`);
  if (!existsSync(join(dir, 'test-vectors.json'))) throw badInput(`models/${rel} has no test-vectors.json`);
  return {
    name,
    version,
    onnx: await readFile(join(dir, onnxFile)),
    card,
    testVectors: await json('test-vectors.json'),
    reference: existsSync(join(dir, 'reference.json')) ? await json('reference.json') : null,
  };
}

function referenceProblem(reference: unknown): string | null {
  if (reference === null) return null;
  const r = reference as Partial<ModelReference>;
  if (typeof r !== 'object' || typeof r.features !== 'object' || r.features === null || !r.score?.pd?.histogram) {
    return 'reference must give per-feature distributions ("features") and the score distribution ("score.pd")';
  }
  return null;
}

/** Validates and stores a new version. CONFLICT if it exists; BAD_USER_INPUT if any check fails. */
export async function registerModelVersion(
  em: EntityManager,
  registry: ModelRegistry,
  tenantId: string,
  actor: AuditActor,
  a: ModelArtefacts,
  requestId?: string,
): Promise<ModelVersionRecord> {
  const problems = cardProblems(a.card, a.name, a.version);
  if (problems.length) throw badInput(`Invalid model card: ${problems.join('; ')}`, { problems });
  const card = a.card as ModelCard;
  const vectors = parseTestVectors(a.testVectors);
  if (typeof vectors === 'string') throw badInput(vectors);
  const refProblem = referenceProblem(a.reference);
  if (refProblem) throw badInput(refProblem);
  if (a.onnx.length === 0) throw badInput('the ONNX file is empty');
  if (await new ModelRegistryRepository(em).findVersion(tenantId, a.name, a.version)) throw conflict(`${a.name}@${a.version} is already registered`);

  let check: Awaited<ReturnType<ModelRegistry['validate']>>;
  try {
    check = await registry.validate(a.onnx, card, vectors);
  } catch (err) {
    if (err instanceof ModelValidationError) throw badInput(`Model refused: ${err.message}`);
    throw err;
  }
  if (check.failures.length) {
    const first = check.failures[0];
    throw badInput(
      `Model refused: ${check.failures.length} of ${vectors.length} test vectors differ from the expected PD by more than ${PD_TOLERANCE.toExponential()} (vector ${first?.index}: expected ${first?.expected}, got ${first?.actual})`,
      { failures: check.failures.slice(0, 20) },
    );
  }

  return em.transactional(async (tx) => {
    const repo = new ModelRegistryRepository(tx);
    await repo.lock(tenantId, a.name);
    if (await repo.findVersion(tenantId, a.name, a.version)) throw conflict(`${a.name}@${a.version} is already registered`);
    const record = repo.addVersion({
      tenantId,
      name: a.name,
      version: a.version,
      card,
      reference: (a.reference as ModelReference | null) ?? null,
      testVectors: a.testVectors,
      onnx: a.onnx,
      sha256: sha256(a.onnx),
      maxPdDifference: check.maxPdDifference,
      registeredBy: actorName(actor),
      registeredAt: new Date(),
    });
    auditModelRegistered(tx, record, vectors.length, actor, requestId);
    repo.audit(tenantId, 'REGISTER', a.name, a.version, actorName(actor), {
      sha256: record.sha256,
      testVectors: vectors.length,
      maxPdDifference: check.maxPdDifference,
    });
    return record;
  });
}

async function requireVersion(repo: ModelRegistryRepository, tenantId: string, name: string, version: string): Promise<ModelVersionRecord> {
  const record = await repo.findVersion(tenantId, name, version);
  if (!record) throw notFound('Model version', `${name}@${version}`);
  return record;
}

/** Makes `version` the champion; the current one is remembered for rollback. */
export function promoteModelVersion(
  em: EntityManager,
  tenantId: string,
  actor: AuditActor,
  name: string,
  version: string,
  requestId?: string,
): Promise<ModelDeploymentRecord> {
  return em.transactional(async (tx) => {
    const repo = new ModelRegistryRepository(tx);
    await repo.lock(tenantId, name);
    await requireVersion(repo, tenantId, name, version);
    const deployment = await repo.deploymentForUpdate(tenantId, name);
    if (deployment.championVersion === version) throw conflict(`${name}@${version} is already the champion`);
    const before = deploymentAuditSnapshot(deployment);
    const previous = deployment.championVersion ?? null;
    if (previous) deployment.previousChampions = [...deployment.previousChampions, previous];
    deployment.championVersion = version;
    // A promoted challenger stops shadowing itself.
    if (deployment.challengerVersion === version) deployment.challengerVersion = null;
    deployment.updatedAt = new Date();
    repo.audit(tenantId, 'PROMOTE', name, version, actorName(actor), { previousChampion: previous });
    auditDeploymentChanged(tx, before, deployment, 'PROMOTED', actor, requestId);
    return deployment;
  });
}

/** Returns to the previous champion. CONFLICT when there is none. */
export function rollbackModel(em: EntityManager, tenantId: string, actor: AuditActor, name: string, requestId?: string): Promise<ModelDeploymentRecord> {
  return em.transactional(async (tx) => {
    const repo = new ModelRegistryRepository(tx);
    await repo.lock(tenantId, name);
    const deployment = await repo.deployment(tenantId, name);
    if (!deployment?.championVersion) throw notFound('Champion of model', name);
    const previous = deployment.previousChampions.at(-1);
    if (!previous) throw conflict(`${name} has no previous champion to roll back to`);
    const from = deployment.championVersion;
    const before = deploymentAuditSnapshot(deployment);
    deployment.previousChampions = deployment.previousChampions.slice(0, -1);
    deployment.championVersion = previous;
    deployment.updatedAt = new Date();
    repo.audit(tenantId, 'ROLLBACK', name, previous, actorName(actor), { from });
    auditDeploymentChanged(tx, before, deployment, 'ROLLED_BACK', actor, requestId);
    return deployment;
  });
}

/** Sets (or with null clears) the shadow challenger; it must not be the champion. */
export function setChallenger(
  em: EntityManager,
  tenantId: string,
  actor: AuditActor,
  name: string,
  version: string | null,
  requestId?: string,
): Promise<ModelDeploymentRecord> {
  return em.transactional(async (tx) => {
    const repo = new ModelRegistryRepository(tx);
    await repo.lock(tenantId, name);
    if (version) await requireVersion(repo, tenantId, name, version);
    const deployment = await repo.deploymentForUpdate(tenantId, name);
    if (version && deployment.championVersion === version) throw conflict(`${name}@${version} is the champion; a challenger must be another version`);
    const before = deploymentAuditSnapshot(deployment);
    deployment.challengerVersion = version;
    deployment.updatedAt = new Date();
    repo.audit(tenantId, version ? 'SET_CHALLENGER' : 'CLEAR_CHALLENGER', name, version, actorName(actor));
    auditDeploymentChanged(tx, before, deployment, version ? 'CHALLENGER_SET' : 'CHALLENGER_CLEARED', actor, requestId);
    return deployment;
  });
}

/**
 * Demo mode: every version under models/<default name>/ is registered for
 * each demo tenant (0.1.0, the logistic baseline, and the default), and the
 * built-in default becomes the champion. Idempotent.
 */
export async function seedDemoModels(em: EntityManager, registry: ModelRegistry, tenantIds: readonly string[]): Promise<void> {
  const name = registry.defaultModel.card.name;
  const modelsRoot = resolve(registry.defaultModel.directory, '..', '..');
  const versionsDir = join(modelsRoot, name);
  const versions = (await readdir(versionsDir, { withFileTypes: true }))
    .filter((d) => d.isDirectory() && existsSync(join(versionsDir, d.name, 'test-vectors.json')))
    .map((d) => d.name);
  for (const tenantId of tenantIds) {
    const repo = new ModelRegistryRepository(em.fork());
    for (const version of versions) {
      if (await repo.findVersion(tenantId, name, version)) continue;
      const artefacts = await readArtefactsFromDir(modelsRoot, join(name, version), name, version);
      try {
        await registerModelVersion(em.fork(), registry, tenantId, DEMO_SEED, artefacts);
      } catch (err) {
        // another process seeded it meanwhile
        if ((err as { extensions?: { code?: string } }).extensions?.code !== 'CONFLICT') throw err;
      }
    }
    const defaultVersion = registry.defaultModel.card.version;
    const deployment = await repo.deployment(tenantId, name);
    if (!deployment?.championVersion && (await repo.findVersion(tenantId, name, defaultVersion))) {
      await promoteModelVersion(em.fork(), tenantId, DEMO_SEED, name, defaultVersion).catch((err) => {
        if ((err as { extensions?: { code?: string } }).extensions?.code !== 'CONFLICT') throw err;
      });
    }
  }
}
