import { runSubgraphProcess } from '@tandem/platform';
import { queueSubgraph } from './server.js';

await runSubgraphProcess(queueSubgraph);
