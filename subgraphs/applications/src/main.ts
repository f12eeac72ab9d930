import { runSubgraphProcess } from '@tandem/platform';
import { applicationsSubgraph } from './server.js';

await runSubgraphProcess(applicationsSubgraph);
