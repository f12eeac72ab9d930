export type { ScoringServices } from './server.js';
export { scoringSubgraph } from './server.js';
