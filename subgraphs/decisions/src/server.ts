import type { SubgraphContext, SubgraphModule } from '@tandem/platform';
import { tenantOf } from '@tandem/platform';
import { DecisionRecord } from './data/decision.entity.js';
import { decisionsMigrations } from './data/migrations/index.js';
import { ReviewCaseRecord } from './data/review-case.entity.js';
import { ScoreSnapshotRecord } from './data/score-snapshot.entity.js';
import { ConditionRecord, ContestRecord, DocumentSubmissionRecord, WebhookDeliveryRecord, WebhookEndpointRecord } from './data/workflow.entities.js';
import { decisionConsumers } from './events/decision-events.js';
import { DEFAULT_WEBHOOK_DELIVERY, deliverDueWebhooks, WEBHOOK_DELIVERY_INTERVAL_MS, type WebhookDeliveryOptions } from './jobs/deliver-webhooks.js';
import { toDecision } from './schema/decision.mapper.js';
import { ApplicationDecisionsResolver, DecisionResolver, DocumentsRequestResolver, decisionLoader } from './schema/decision.resolver.js';
import { Application } from './schema/decision.types.js';
import { PartnerResolver } from './schema/partner.resolver.js';
import { WebhookResolver } from './schema/webhook.resolver.js';

export interface DecisionsOptions {
  webhooks: WebhookDeliveryOptions;
  /** How often the webhook sender looks for due deliveries. */
  webhookIntervalMs: number;
}

/**
 * The decisions subgraph: owns Decision — the routing policy's automated
 * decisions and analysts' decisions with their overrides, conditions,
 * documents requests and contests — adds `decisions` to Application, and
 * pushes decisions to partners by signed webhooks. Knows scores and review
 * cases only from events. Options exist for tests (fast retries).
 */
export function createDecisionsSubgraph(options: Partial<DecisionsOptions> = {}): SubgraphModule {
  const webhooks = options.webhooks ?? DEFAULT_WEBHOOK_DELIVERY;
  return {
    name: 'decisions',
    resolvers: [DecisionResolver, DocumentsRequestResolver, ApplicationDecisionsResolver, PartnerResolver, WebhookResolver],
    // Application is reached by reference only (nothing here returns one), so it must be listed to be emitted.
    orphanedTypes: [Application],
    entities: [
      DecisionRecord,
      ScoreSnapshotRecord,
      ReviewCaseRecord,
      ConditionRecord,
      DocumentSubmissionRecord,
      ContestRecord,
      WebhookEndpointRecord,
      WebhookDeliveryRecord,
    ],
    migrations: decisionsMigrations,
    referenceResolvers: {
      Decision: async (ref: { id: string }, ctx: SubgraphContext) => {
        tenantOf(ctx);
        const record = await decisionLoader(ctx).load(ref.id);
        return record ? toDecision(record) : null;
      },
      // Owned by applications; the decisions field resolves per tenant from here.
      Application: (ref: { id: string }, ctx: SubgraphContext) => {
        tenantOf(ctx);
        return { id: ref.id };
      },
    },
    consumers: () => decisionConsumers(),
    jobs: (runtime) => [
      {
        name: 'deliver-webhooks',
        everyMs: options.webhookIntervalMs ?? WEBHOOK_DELIVERY_INTERVAL_MS,
        run: async () => void (await deliverDueWebhooks(runtime.orm, webhooks)),
      },
    ],
  };
}

export const decisionsSubgraph: SubgraphModule = createDecisionsSubgraph();
