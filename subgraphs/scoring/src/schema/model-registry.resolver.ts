import { badInput, Permission, type SubgraphContext, servicesOf, tenantOf } from '@tandem/platform';
import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { ModelRegistryRepository } from '../data/model-registry.repository.js';
import {
  type ModelArtefacts,
  promoteModelVersion,
  readArtefactsFromDir,
  registerModelVersion,
  rollbackModel,
  setChallenger,
} from '../data/model-registry-commands.js';
import type { ModelDeploymentRecord } from '../data/model-version.entity.js';
import { MonitoringRepository } from '../data/monitoring.repository.js';
import { defaultModelsDir } from '../data/onnx-model.js';
import { auc } from '../domain/model-performance.js';
import type { ScoringServices } from '../server.js';
import { ChampionChallengerComparison, ModelDeployment, ModelRegistryAuditEntry, ModelVersion, RegisterModelVersionInput } from './model-registry.types.js';
import { toModelVersion, windowOf } from './monitoring.mapper.js';
import { MonitoringWindowInput } from './monitoring.types.js';

const MAX_MODEL_BYTES = 50 * 1024 * 1024;

function parseJson(field: string, text: string | null | undefined, required: boolean): unknown {
  if (text == null) {
    if (required) throw badInput(`${field} is required with onnxBase64`);
    return null;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw badInput(`${field} is not valid JSON`);
  }
}

async function artefactsOf(input: RegisterModelVersionInput): Promise<ModelArtefacts> {
  const inline = input.onnxBase64 != null || input.modelCardJson != null || input.testVectorsJson != null || input.referenceJson != null;
  if (input.modelPath != null) {
    if (inline) throw badInput('give either modelPath or the inline artefacts (onnxBase64, modelCardJson, …), not both');
    return readArtefactsFromDir(defaultModelsDir(), input.modelPath, input.name, input.version);
  }
  if (input.onnxBase64 == null) throw badInput('give modelPath, or onnxBase64 with modelCardJson and testVectorsJson');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(input.onnxBase64) || input.onnxBase64.length * 0.75 > MAX_MODEL_BYTES) {
    throw badInput(`onnxBase64 must be base64 of at most ${MAX_MODEL_BYTES} bytes`);
  }
  return {
    name: input.name,
    version: input.version,
    onnx: Buffer.from(input.onnxBase64, 'base64'),
    card: parseJson('modelCardJson', input.modelCardJson, true),
    testVectors: parseJson('testVectorsJson', input.testVectorsJson, true),
    reference: parseJson('referenceJson', input.referenceJson, false),
  };
}

function toDeployment(d: ModelDeploymentRecord | null, name: string, services: ScoringServices): ModelDeployment {
  return {
    name,
    championVersion: d?.championVersion ?? null,
    challengerVersion: d?.challengerVersion ?? null,
    servingVersion: d?.championVersion ?? services.model.card.version,
    previousChampions: d?.previousChampions ?? [],
  };
}

@Resolver()
export class ModelRegistryResolver {
  @Authorized(Permission.AnalyticsView)
  @Query(() => [ModelVersion], { description: 'Model versions registered by your tenant (optionally of one model). Requires analytics:view.' })
  async modelVersions(@Ctx() ctx: SubgraphContext, @Arg('name', () => String, { nullable: true }) name?: string | null): Promise<ModelVersion[]> {
    const tenantId = tenantOf(ctx);
    const repo = new ModelRegistryRepository(ctx.em);
    const [versions, deployments] = await Promise.all([repo.versions(tenantId, name), repo.deployments(tenantId)]);
    return versions.map((v) => toModelVersion(v, deployments.find((d) => d.name === v.name) ?? null));
  }

  @Authorized(Permission.AnalyticsView)
  @Query(() => ModelDeployment, { description: 'Champion and challenger of a model for your tenant. Requires analytics:view.' })
  async modelDeployment(@Arg('name') name: string, @Ctx() ctx: SubgraphContext): Promise<ModelDeployment> {
    const services = servicesOf<ScoringServices>(ctx);
    return toDeployment(await new ModelRegistryRepository(ctx.em).deployment(tenantOf(ctx), name), name, services);
  }

  @Authorized(Permission.AnalyticsView)
  @Query(() => [ModelRegistryAuditEntry], { description: 'Registry changes, newest first. Requires analytics:view.' })
  async modelRegistryAudit(@Ctx() ctx: SubgraphContext, @Arg('limit', () => Int, { defaultValue: 50 }) limit: number): Promise<ModelRegistryAuditEntry[]> {
    if (limit < 1 || limit > 500) throw badInput('limit must be 1 to 500');
    const rows = await new ModelRegistryRepository(ctx.em).auditLog(tenantOf(ctx), limit);
    return rows.map((r) => ({ action: r.action, name: r.name, version: r.version ?? null, actor: r.actor, at: r.at, detailsJson: JSON.stringify(r.details) }));
  }

  @Authorized(Permission.ConfigManage)
  @Mutation(() => ModelVersion, {
    description:
      'Registers a model version after scoring its test vectors: refused (BAD_USER_INPUT) when any PD differs by more than 1e-5. Does not promote it. Requires config:manage.',
  })
  async registerModelVersion(
    @Arg('input', () => RegisterModelVersionInput) input: RegisterModelVersionInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ModelVersion> {
    const tenantId = tenantOf(ctx);
    const services = servicesOf<ScoringServices>(ctx);
    const record = await registerModelVersion(ctx.em, services.registry, tenantId, ctx.caller, await artefactsOf(input), ctx.requestId);
    ctx.log.info({ name: record.name, version: record.version, sha256: record.sha256 }, 'model version registered');
    return toModelVersion(record, await new ModelRegistryRepository(ctx.em).deployment(tenantId, record.name));
  }

  @Authorized(Permission.ConfigManage)
  @Mutation(() => ModelDeployment, { description: 'Makes a registered version the champion: it scores and routes from now on. Requires config:manage.' })
  async promoteModelVersion(@Arg('name') name: string, @Arg('version') version: string, @Ctx() ctx: SubgraphContext): Promise<ModelDeployment> {
    const d = await promoteModelVersion(ctx.em, tenantOf(ctx), ctx.caller, name, version, ctx.requestId);
    ctx.log.info({ name, version }, 'model promoted');
    return toDeployment(d, name, servicesOf<ScoringServices>(ctx));
  }

  @Authorized(Permission.ConfigManage)
  @Mutation(() => ModelDeployment, { description: 'Returns to the previous champion (CONFLICT when there is none). Requires config:manage.' })
  async rollbackModel(@Arg('name') name: string, @Ctx() ctx: SubgraphContext): Promise<ModelDeployment> {
    const d = await rollbackModel(ctx.em, tenantOf(ctx), ctx.caller, name, ctx.requestId);
    ctx.log.info({ name, champion: d.championVersion }, 'model rolled back');
    return toDeployment(d, name, servicesOf<ScoringServices>(ctx));
  }

  @Authorized(Permission.ConfigManage)
  @Mutation(() => ModelDeployment, {
    description: 'Sets the challenger (null clears it): it scores every application in shadow, never routes. Requires config:manage.',
  })
  async setChallenger(
    @Arg('name') name: string,
    @Arg('version', () => String, { nullable: true }) version: string | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ModelDeployment> {
    const d = await setChallenger(ctx.em, tenantOf(ctx), ctx.caller, name, version ?? null, ctx.requestId);
    return toDeployment(d, name, servicesOf<ScoringServices>(ctx));
  }

  @Authorized(Permission.AnalyticsView)
  @Query(() => ChampionChallengerComparison, {
    description: "The challenger's shadow scores against the champion's scores of the same applications. Requires analytics:view.",
  })
  async championChallengerComparison(
    @Arg('name') name: string,
    @Arg('window', () => MonitoringWindowInput, { nullable: true }) window: MonitoringWindowInput | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ChampionChallengerComparison> {
    const tenantId = tenantOf(ctx);
    const { from, to } = windowOf(window);
    const services = servicesOf<ScoringServices>(ctx);
    const deployment = await new ModelRegistryRepository(ctx.em).deployment(tenantId, name);
    if (!deployment?.challengerVersion) throw badInput(`${name} has no challenger: set one with setChallenger`);
    const championVersion = deployment.championVersion ?? services.model.card.version;
    const monitoring = new MonitoringRepository(ctx.em);
    const shadows = await monitoring.shadowScoresInWindow(tenantId, name, deployment.challengerVersion, from, to);
    const champions = await monitoring.scoresByApplication(
      tenantId,
      shadows.map((s) => s.applicationId),
    );
    const pairs = shadows.flatMap((s) => {
      const c = champions.get(s.applicationId);
      return c && c.modelVersion === championVersion ? [{ shadow: s, champion: c }] : [];
    });
    const outcomes = await monitoring.outcomes(
      tenantId,
      pairs.map((p) => p.champion.applicationId),
    );
    const known = pairs.filter((p) => outcomes.has(p.champion.applicationId));
    const defaulted = (id: string) => outcomes.get(id) === 'DEFAULTED';
    return {
      name,
      championVersion,
      challengerVersion: deployment.challengerVersion,
      from,
      to,
      comparedApplications: pairs.length,
      agreementRate: pairs.length ? pairs.filter((p) => p.shadow.modelRecommendation === p.champion.modelRecommendation).length / pairs.length : null,
      meanAbsolutePdDifference: pairs.length
        ? pairs.reduce((s, p) => s + Math.abs(p.shadow.probabilityOfDefault - p.champion.probabilityOfDefault), 0) / pairs.length
        : null,
      withOutcome: known.length,
      championAuc: auc(known.map((p) => ({ probabilityOfDefault: p.champion.probabilityOfDefault, defaulted: defaulted(p.champion.applicationId) }))),
      challengerAuc: auc(known.map((p) => ({ probabilityOfDefault: p.shadow.probabilityOfDefault, defaulted: defaulted(p.champion.applicationId) }))),
    };
  }
}
