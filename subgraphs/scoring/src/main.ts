import { runSubgraphProcess } from '@tandem/platform';
import { scoringSubgraph } from './server.js';

await runSubgraphProcess(scoringSubgraph);
