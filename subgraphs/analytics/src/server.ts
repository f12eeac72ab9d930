import type { SubgraphModule } from '@tandem/platform';
import { ApplicationFact } from './data/application-fact.entity.js';
import { analyticsMigrations } from './data/migrations/0001-application-facts.js';
import { analyticsConsumers } from './events/analytics-events.js';
import { DashboardResolver } from './schema/dashboard.resolver.js';

/** The analytics subgraph: decision analytics from its own read model of other subgraphs' events. */
export const analyticsSubgraph: SubgraphModule = {
  name: 'analytics',
  resolvers: [DashboardResolver],
  entities: [ApplicationFact],
  migrations: analyticsMigrations,
  consumers: () => analyticsConsumers(),
};
