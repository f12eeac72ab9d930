export { queueSubgraph } from './server.js';
