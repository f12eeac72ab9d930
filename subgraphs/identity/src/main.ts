import { runSubgraphProcess } from '@tandem/platform';
import { identitySubgraph } from './server.js';

await runSubgraphProcess(identitySubgraph);
