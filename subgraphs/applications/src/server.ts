import type { SubgraphContext, SubgraphModule } from '@tandem/platform';
import { tenantOf } from '@tandem/platform';
import { ApplicationRecord } from './data/application.entity.js';
import { applicationsMigrations } from './data/migrations/0001-applications.js';
import { applicationConsumers } from './events/application-events.js';
import { toApplication } from './schema/application.mapper.js';
import { ApplicationResolver, applicationLoader } from './schema/application.resolver.js';

/** The applications subgraph: owns Application, its lifecycle and the applicant's data. */
export const applicationsSubgraph: SubgraphModule = {
  name: 'applications',
  resolvers: [ApplicationResolver],
  entities: [ApplicationRecord],
  migrations: applicationsMigrations,
  referenceResolvers: {
    Application: async (ref: { id: string }, ctx: SubgraphContext) => {
      tenantOf(ctx);
      const record = await applicationLoader(ctx).load(ref.id);
      return record ? toApplication(record) : null;
    },
  },
  consumers: () => applicationConsumers(),
};
