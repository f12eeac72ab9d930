export { analyticsSubgraph } from './server.js';
