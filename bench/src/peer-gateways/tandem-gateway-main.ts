import { startGateway } from '@tandem/gateway';
import { InProcessBus, loadConfig } from '@tandem/platform';

/**
 * Tandem's gateway as its own process for the federated side-by-side, over
 * the subgraphs of a running Tandem (ports from the config). All security
 * layers on; the rate-limit budget is set out of reach so the limiter still
 * counts every request but never refuses the bench.
 */
const config = loadConfig();
const gateway = await startGateway({
  config,
  bus: new InProcessBus(),
  port: config.gatewayPort,
  host: '127.0.0.1',
  security: { rateLimit: { windowSeconds: 60, perUser: 1e9, perClient: 1e9, perAnonymousAddress: 1e9 } },
  // Every request planned and executed, as the peer does (it has no cache); this process hears no events anyway.
  responseCache: { maxEntries: 0, maxBytes: 0, maxAgeMs: 0 },
});
console.log(`tandem-gateway listening on ${gateway.port}`);
const stop = () => void gateway.stop().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
