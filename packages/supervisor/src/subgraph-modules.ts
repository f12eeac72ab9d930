import type { SubgraphModule } from '@tandem/platform';
import { identitySubgraph } from '@tandem/identity';
import { applicationsSubgraph } from '@tandem/applications';
import { scoringSubgraph } from '@tandem/scoring';
import { queueSubgraph } from '@tandem/queue';
import { decisionsSubgraph } from '@tandem/decisions';
import { analyticsSubgraph } from '@tandem/analytics';

/** Every subgraph, in start order (identity first: the others' demo data refers to its tenants). */
// Each module has its own services type; the runners treat them alike.
// biome-ignore lint/suspicious/noExplicitAny: heterogeneous list of modules
export const SUBGRAPH_MODULES: SubgraphModule<any>[] = [
  identitySubgraph,
  applicationsSubgraph,
  scoringSubgraph,
  queueSubgraph,
  decisionsSubgraph,
  analyticsSubgraph,
];
