import type { SubgraphModule } from '@tandem/platform';
import { identitySubgraph } from '@tandem/identity';
import { applicationsSubgraph } from '@tandem/applications';
import { scoringSubgraph } from '@tandem/scoring';
import { queueSubgraph } from '@tandem/queue';
import { decisionsSubgraph } from '@tandem/decisions';
import { analyticsSubgraph } from '@tandem/analytics';

/** Every subgraph, in start order (identity first: the others' demo data refers to its tenants). */
export const SUBGRAPH_MODULES: SubgraphModule<never>[] = [
  identitySubgraph,
  applicationsSubgraph,
  scoringSubgraph,
  queueSubgraph,
  decisionsSubgraph,
  analyticsSubgraph,
] as SubgraphModule<never>[];
