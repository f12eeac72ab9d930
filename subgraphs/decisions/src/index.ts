export { createDecisionsSubgraph, type DecisionsOptions, decisionsSubgraph } from './server.js';
