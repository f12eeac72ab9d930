import { runSubgraphProcess } from '@tandem/platform';
import { analyticsSubgraph } from './server.js';

await runSubgraphProcess(analyticsSubgraph);
