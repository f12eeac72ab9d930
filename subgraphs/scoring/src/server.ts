import { join } from 'node:path';
import type { SubgraphContext, SubgraphModule } from '@tandem/platform';
import { createLogger, tenantOf } from '@tandem/platform';
import { DriftAlertRecord, DriftRunRecord } from './data/drift.entity.js';
import { ApplicationDecisionRecord, LoanOutcomeRecord } from './data/loan-outcome.entity.js';
import { scoringMigrations } from './data/migrations/0001-scoring.js';
import { registryAndMonitoringMigrations } from './data/migrations/0002-registry-and-monitoring.js';
import { scoreExplanationMigrations } from './data/migrations/0003-score-explanations.js';
import { ModelRegistry } from './data/model-registry.js';
import { seedDemoModels } from './data/model-registry-commands.js';
import { ModelDeploymentRecord, ModelRegistryAuditRecord, ModelVersionRecord } from './data/model-version.entity.js';
import { loadDefaultCreditModel, type OnnxCreditModel } from './data/onnx-model.js';
import { RoutingPolicyRecord } from './data/routing-policy.entity.js';
import { RoutingPolicyRepository } from './data/routing-policy.repository.js';
import { ScoreRecord } from './data/score.entity.js';
import { ShadowScoreRecord } from './data/shadow-score.entity.js';
import { policyFromCard } from './domain/routing.js';
import { DEFAULT_MAX_AUTO_AMOUNT } from './domain/routing-policy.js';
import { scoringConsumers } from './events/scoring-events.js';
import { MONITORING_EVERY_MS, runScheduledMonitoring } from './jobs/monitoring-job.js';
import { DriftAlertResolver } from './schema/drift-alert.resolver.js';
import { ModelRegistryResolver } from './schema/model-registry.resolver.js';
import { MonitoringResolver } from './schema/monitoring.resolver.js';
import { RoutingPolicyResolver } from './schema/routing-policy.resolver.js';
import { ScoreReplayResolver } from './schema/score-replay.resolver.js';
import { ApplicationScoringResolver } from './schema/scoring.resolver.js';
import { Application } from './schema/scoring.types.js';

const log = createLogger('subgraph:scoring');

/** Built once per process: the ONNX session is shared by every request and consumer. */
export interface ScoringServices {
  /** the built-in default model: serves tenants that promoted no registered version */
  model: OnnxCreditModel;
  /** tenants' registered models, champions and challengers */
  registry: ModelRegistry;
}

/** Demo tenants' automation limit: demo sends every loan above 20,000 to a human. */
const DEMO_MAX_AUTO_AMOUNT: Record<string, number> = { demo: 20_000, acme: 50_000 };

/**
 * The scoring subgraph: scores submitted applications with the credit model,
 * routes them by the tenant's versioned routing policy, adds Application.scoring.
 */
export const scoringSubgraph: SubgraphModule<ScoringServices> = {
  name: 'scoring',
  resolvers: [ApplicationScoringResolver, RoutingPolicyResolver, DriftAlertResolver, ModelRegistryResolver, MonitoringResolver, ScoreReplayResolver],
  // No query returns the Application stub: it enters the schema as an entity that _entities resolves.
  orphanedTypes: [Application],
  entities: [
    ScoreRecord,
    RoutingPolicyRecord,
    ModelVersionRecord,
    ModelDeploymentRecord,
    ModelRegistryAuditRecord,
    ShadowScoreRecord,
    LoanOutcomeRecord,
    ApplicationDecisionRecord,
    DriftRunRecord,
    DriftAlertRecord,
  ],
  migrations: [...scoringMigrations, ...registryAndMonitoringMigrations, ...scoreExplanationMigrations],
  referenceResolvers: {
    // Scoring holds no application data: the reference is the id, and `scoring` resolves from it per tenant.
    Application: (ref: { id: string }, ctx: SubgraphContext) => {
      tenantOf(ctx);
      return { id: ref.id };
    },
  },
  createServices: async (runtime) => {
    const model = await loadDefaultCreditModel();
    // Registered models are materialised here for onnxruntime (PostgreSQL holds the bytes).
    return { model, registry: new ModelRegistry(join(runtime.config.dataDir, 'model-cache'), model) };
  },
  // Tenants' served models are opened before the first application arrives, not by it.
  warmUp: async (runtime, services) => {
    const { opened, failed } = await services.registry.openDeployed(runtime.orm.em.fork());
    for (const { key, err } of failed) log.warn({ err, model: key }, 'a served model could not be opened at start; the first request will try again');
    log.info({ opened }, 'served models opened');
  },
  consumers: (_runtime, services) => scoringConsumers(services),
  jobs: (runtime, services) => [
    { name: 'scoring-monitoring', everyMs: MONITORING_EVERY_MS, run: () => runScheduledMonitoring(runtime.orm, services.registry) },
  ],
  seedDemo: async (runtime, services, tenants) => {
    const policies = new RoutingPolicyRepository(runtime.orm.em.fork());
    for (const tenant of tenants) {
      const maxAutoAmount = DEMO_MAX_AUTO_AMOUNT[tenant.id] ?? DEFAULT_MAX_AUTO_AMOUNT;
      await policies.addFirstVersionIfNone(
        tenant.id,
        { ...policyFromCard(services.model.card, { maxAutoAmount }), effectiveFrom: new Date() },
        {
          kind: 'system',
          id: 'demo-seed',
        },
      );
    }
    await seedDemoModels(
      runtime.orm.em.fork(),
      services.registry,
      tenants.map((t) => t.id),
    );
  },
};
