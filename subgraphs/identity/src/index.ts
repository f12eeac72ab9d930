export { identitySubgraph } from './server.js';
