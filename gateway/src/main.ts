import { createEventBus, exitOnFatalError, loadConfig, onShutdown } from '@tandem/platform';
import { startGateway } from './gateway-server.js';

// One gateway process (cluster and production). Events reach it through Redis.
process.env.TANDEM_SERVICE ??= 'gateway';
exitOnFatalError('gateway');
const config = loadConfig();
if (!config.redisUrl) throw new Error('gateway: REDIS_URL must be set to run the gateway as its own process (npm start runs everything in one)');
const bus = createEventBus(config.redisUrl);
const gateway = await startGateway({ config, bus });
onShutdown('gateway', async () => {
  await gateway.stop();
  await bus.close();
});
