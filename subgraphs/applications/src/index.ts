export { applicationsSubgraph } from './server.js';
