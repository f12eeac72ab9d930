export { startGateway, type GatewayOptions, type RunningGateway } from './gateway-server.js';
export { readSupergraph, supergraphPath } from './supergraph-file.js';
