import type { SubgraphModule } from '@tandem/platform';
import { ApplicationFact } from './data/application-fact.entity.js';
import { analyticsMigrations } from './data/migrations/0001-application-facts.js';
import { auditTrailMigration } from './data/migrations/0002-audit-trail.js';
import { analyticsConsumers } from './events/analytics-events.js';
import { auditConsumers } from './events/audit-events.js';
import { AuditResolver } from './schema/audit.resolver.js';
import { DashboardResolver } from './schema/dashboard.resolver.js';

/** The analytics subgraph: decision analytics from its own read model of other subgraphs' events, and the graph's audit trail. */
export const analyticsSubgraph: SubgraphModule = {
  name: 'analytics',
  resolvers: [DashboardResolver, AuditResolver],
  entities: [ApplicationFact],
  migrations: [...analyticsMigrations, auditTrailMigration],
  consumers: () => ({ ...analyticsConsumers(), ...auditConsumers() }),
};
