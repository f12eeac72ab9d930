import { runSubgraphProcess } from '@tandem/platform';
import { decisionsSubgraph } from './server.js';

await runSubgraphProcess(decisionsSubgraph);
