import type { SubgraphContext, SubgraphModule } from '@tandem/platform';
import { tenantOf } from '@tandem/platform';
import { DecisionRecord } from './data/decision.entity.js';
import { decisionsMigrations } from './data/migrations/0001-decisions.js';
import { ReviewCaseRecord } from './data/review-case.entity.js';
import { ScoreSnapshotRecord } from './data/score-snapshot.entity.js';
import { decisionConsumers } from './events/decision-events.js';
import { toDecision } from './schema/decision.mapper.js';
import { Application } from './schema/decision.types.js';
import { ApplicationDecisionsResolver, DecisionResolver, decisionLoader } from './schema/decision.resolver.js';

/**
 * The decisions subgraph: owns Decision — the routing policy's automated
 * decisions and analysts' decisions with their overrides — and adds
 * `decisions` to Application. Knows scores and review cases only from events.
 */
export const decisionsSubgraph: SubgraphModule = {
  name: 'decisions',
  resolvers: [DecisionResolver, ApplicationDecisionsResolver],
  // Application is reached by reference only (nothing here returns one), so it must be listed to be emitted.
  orphanedTypes: [Application],
  entities: [DecisionRecord, ScoreSnapshotRecord, ReviewCaseRecord],
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
};
