export { startGateway, type GatewayOptions, type RunningGateway } from './gateway-server.js';
export { readSupergraph, supergraphPath } from './supergraph-file.js';
export { DEFAULT_SECURITY, type GatewaySecurityOptions } from './security/security-options.js';
export { readTrustedDocuments, sha256Hex, trustedDocuments, type TrustedDocuments } from './security/trusted-documents.js';
