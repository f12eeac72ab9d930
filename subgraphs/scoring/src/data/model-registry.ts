/**
 * Serving side of the model registry: opens registered versions (bytes from
 * PostgreSQL, written once per process to a content-addressed directory that
 * onnxruntime reads) and validates candidates against their test vectors.
 * A tenant without a champion is scored by the built-in default model.
 */

import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ModelReference } from '../domain/drift-report.js';
import { extractFeatures, type ModelCard, type ScoringInput } from '../domain/features.js';
import { comparePds, FEATURE_TOLERANCE, type TestVector, type VectorCheck } from '../domain/model-validation.js';
import { ModelRegistryRepository } from './model-registry.repository.js';
import type { ModelVersionRecord } from './model-version.entity.js';
import { loadCreditModel, OnnxCreditModel } from './onnx-model.js';

export interface ServingModel {
  name: string;
  version: string;
  model: OnnxCreditModel;
  /** true when the tenant has promoted no version and the built-in default serves */
  builtIn: boolean;
}

export class ModelValidationError extends Error {}

export class ModelRegistry {
  constructor(
    /** where registered models are materialised for onnxruntime */
    private readonly cacheDir: string,
    /** the built-in model, serving tenants that promoted nothing */
    readonly defaultModel: OnnxCreditModel,
  ) {}

  /** The tenant's champion, or the built-in default. */
  async champion(em: EntityManager, tenantId: string, name = this.defaultModel.card.name): Promise<ServingModel> {
    const deployment = await new ModelRegistryRepository(em).deployment(tenantId, name);
    if (!deployment?.championVersion) return this.builtIn();
    return this.open(em, tenantId, name, deployment.championVersion);
  }

  /** Champion and challenger with one look-up of the deployment (the scoring path). */
  async serving(em: EntityManager, tenantId: string, name = this.defaultModel.card.name): Promise<{ champion: ServingModel; challenger: ServingModel | null }> {
    const deployment = await new ModelRegistryRepository(em).deployment(tenantId, name);
    const champion = deployment?.championVersion ? await this.open(em, tenantId, name, deployment.championVersion) : this.builtIn();
    const challenger = deployment?.challengerVersion ? await this.open(em, tenantId, name, deployment.challengerVersion) : null;
    return { champion, challenger };
  }

  /**
   * The model that produced a stored score, to replay it: the tenant's
   * registered version of that name and version, or the built-in model when
   * it is that version. With the stored sha256 (scores since migration 0003)
   * only the byte-identical ONNX file qualifies; null when none is available.
   */
  async forReplay(em: EntityManager, tenantId: string, name: string, version: string, sha256: string | null): Promise<ServingModel | null> {
    const candidates: ServingModel[] = [];
    if (await new ModelRegistryRepository(em).findVersion(tenantId, name, version)) candidates.push(await this.open(em, tenantId, name, version));
    const builtIn = this.builtIn();
    if (builtIn.name === name && builtIn.version === version) candidates.push(builtIn);
    return candidates.find((c) => sha256 === null || c.model.sha256 === sha256) ?? null;
  }

  builtIn(): ServingModel {
    return { name: this.defaultModel.card.name, version: this.defaultModel.card.version, model: this.defaultModel, builtIn: true };
  }

  /**
   * Opens every tenant's champion and challenger, so that no request pays for it: opening builds the
   * explanation tables, hundreds of milliseconds of CPU on the one event loop. A version that fails to open
   * is reported and left for the first request to try again.
   */
  async openDeployed(em: EntityManager): Promise<{ opened: number; failed: { key: string; err: unknown }[] }> {
    const failed: { key: string; err: unknown }[] = [];
    let opened = 0;
    for (const d of await new ModelRegistryRepository(em).deploymentsOfEveryTenant()) {
      for (const version of [d.championVersion, d.challengerVersion]) {
        if (!version) continue;
        try {
          await this.open(em, d.tenantId, d.name, version);
          opened++;
        } catch (err) {
          failed.push({ key: `${d.tenantId}/${d.name}@${version}`, err });
        }
      }
    }
    return { opened, failed };
  }

  /** Registered versions never change, so each is resolved once per process (a failed open is retried next time). */
  readonly #opened = new Map<string, Promise<ServingModel>>();

  /** A registered version as an onnxruntime session (loaded once per process and content). */
  open(em: EntityManager, tenantId: string, name: string, version: string): Promise<ServingModel> {
    const key = JSON.stringify([tenantId, name, version]);
    let serving = this.#opened.get(key);
    if (!serving) {
      serving = this.#open(em, tenantId, name, version);
      this.#opened.set(key, serving);
      serving.catch(() => this.#opened.delete(key));
    }
    return serving;
  }

  async #open(em: EntityManager, tenantId: string, name: string, version: string): Promise<ServingModel> {
    const repo = new ModelRegistryRepository(em);
    const record = await repo.findVersion(tenantId, name, version);
    if (!record) throw new Error(`model ${name}@${version} is not registered for tenant ${tenantId}`);
    const dir = join(this.cacheDir, contentKey(record.sha256, record.card));
    if (!existsSync(join(dir, 'model-card.json'))) {
      const full = await repo.findVersionWithArtefacts(tenantId, name, version);
      if (!full) throw new Error(`model ${name}@${version} disappeared`);
      await materialise(dir, full.onnx, full.card);
    }
    return { name, version, model: await loadCreditModel(dir), builtIn: false };
  }

  /** The reference distributions of the version: stored with it, or reference.json beside the built-in model. */
  async reference(em: EntityManager, tenantId: string, serving: ServingModel): Promise<ModelReference | null> {
    if (serving.builtIn) {
      const file = join(serving.model.directory, 'reference.json');
      return existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as ModelReference) : null;
    }
    const record = await new ModelRegistryRepository(em).findVersion(tenantId, serving.name, serving.version);
    return record?.reference ?? null;
  }

  /**
   * Opens the candidate in a scratch directory and scores its test vectors:
   * each input through the feature extractor (checked against the vector's
   * expected features when it gives them) and the ONNX graph. Throws
   * ModelValidationError with the reason when the model cannot be opened or
   * any feature or PD is off.
   */
  async validate(onnx: Buffer, card: ModelCard, vectors: readonly TestVector[]): Promise<VectorCheck> {
    const scratch = join(this.cacheDir, `validate-${randomUUID()}`);
    await materialise(scratch, onnx, card);
    let model: OnnxCreditModel | undefined;
    try {
      try {
        model = await OnnxCreditModel.open(scratch);
      } catch (err) {
        throw new ModelValidationError(`the ONNX file cannot be served with this card: ${(err as Error).message}`);
      }
      const rows = vectors.map((v, i) => {
        if (v.input !== undefined) {
          let extracted: number[];
          try {
            extracted = extractFeatures(v.input as ScoringInput, card).modelInput;
          } catch (err) {
            throw new ModelValidationError(`test vector ${i}: ${(err as Error).message}`);
          }
          const expected = v.expected.features;
          if (expected) {
            const off = extracted.findIndex((x, k) => !(Math.abs(x - (expected[k] as number)) <= FEATURE_TOLERANCE));
            if (off >= 0 || expected.length !== extracted.length) {
              throw new ModelValidationError(
                `test vector ${i}: feature ${card.features[Math.max(off, 0)]?.name} is ${extracted[off]}, the vector expects ${expected[off]}`,
              );
            }
          }
          return Float32Array.from(extracted);
        }
        if (!v.expected.features || v.expected.features.length !== card.features.length) {
          throw new ModelValidationError(`test vector ${i} has neither an input nor ${card.features.length} expected features`);
        }
        return Float32Array.from(v.expected.features);
      });
      let pds: number[];
      try {
        pds = await model.scoreBatch(rows);
      } catch (err) {
        throw new ModelValidationError(`the ONNX model failed on the test vectors: ${(err as Error).message}`);
      }
      return comparePds(vectors, pds);
    } finally {
      await model?.release();
      await rm(scratch, { recursive: true, force: true });
    }
  }
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The same ONNX bytes with another card are another served model. */
function contentKey(onnxSha256: string, card: ModelCard): string {
  return sha256(`${onnxSha256}\n${JSON.stringify(card)}`).slice(0, 32);
}

/** Writes model.onnx + model-card.json (card pointing at model.onnx, whatever file name it gave), atomically. */
async function materialise(dir: string, onnx: Buffer, card: ModelCard): Promise<void> {
  const tmp = `${dir}.tmp-${randomUUID()}`;
  await mkdir(tmp, { recursive: true });
  await writeFile(join(tmp, 'model.onnx'), onnx);
  await writeFile(join(tmp, 'model-card.json'), JSON.stringify({ ...card, onnx: { ...card.onnx, file: 'model.onnx' } }));
  try {
    await rename(tmp, dir);
  } catch (err) {
    // another process (or request) materialised it first: theirs is identical
    await rm(tmp, { recursive: true, force: true });
    if (!existsSync(join(dir, 'model-card.json'))) throw err;
  }
}

export type { ModelVersionRecord };
