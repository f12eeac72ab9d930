export { decisionsSubgraph } from './server.js';
