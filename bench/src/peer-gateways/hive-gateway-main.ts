import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { readSupergraph } from '@tandem/gateway';
import {
  type Caller,
  createRevocationList,
  INTERNAL_CONTEXT_HEADER,
  loadConfig,
  readAccessToken,
  SUBGRAPHS,
  signInternalContext,
  subgraphUrl,
} from '@tandem/platform';

/**
 * The peer in the federated side-by-side: @graphql-hive/gateway-runtime over
 * the same supergraph and the same subgraphs as Tandem's gateway. To be a
 * fair peer it does the auth work Tandem's gateway does per request: verify
 * the bearer token, check revocation, and sign the internal context the
 * subgraphs demand. It has none of Tandem's other layers (armor, rate limits,
 * trusted documents); the bench says so when it prints.
 */
const config = loadConfig();
const revocations = createRevocationList();
const anonymous: Caller = { kind: 'anonymous', permissions: [] };
// One signed context per client request, shared by all of its subgraph fetches.
const signed = new WeakMap<object, Promise<string>>();

async function contextHeader(request: Request): Promise<string> {
  const m = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '');
  let caller = anonymous;
  if (m) {
    const token = await readAccessToken(m[1], config.jwtSecret);
    const userId = token?.caller.kind === 'user' ? token.caller.id : undefined;
    if (token && !(await revocations.isRevoked({ sessionId: token.sessionId, userId, issuedAtMs: token.issuedAtMs }))) caller = token.caller;
  }
  return signInternalContext(caller, config.internalSecret, request.headers.get('x-request-id') ?? crypto.randomUUID());
}

// Subgraph URLs come from the same config as Tandem's gateway, written into the supergraph's join__graph urls.
let supergraph = readSupergraph();
for (const name of SUBGRAPHS) {
  supergraph = supergraph.replace(new RegExp(`(join__graph\\(name: "${name}", url: ")[^"]*(")`), `$1${subgraphUrl(config, name)}$2`);
}

const gateway = createGatewayRuntime({
  supergraph,
  logging: false,
  landingPage: false,
  graphqlEndpoint: '/graphql',
  propagateHeaders: {
    async fromClientToSubgraphs({ context, request }) {
      let header = signed.get(context);
      if (!header) {
        header = contextHeader(request);
        signed.set(context, header);
      }
      return { [INTERNAL_CONTEXT_HEADER]: await header };
    },
  },
});

const server = createServer(gateway);
server.listen(config.gatewayPort, '127.0.0.1', () => console.log(`hive-gateway listening on ${config.gatewayPort}`));
const stop = () => server.close(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
