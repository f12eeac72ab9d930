import { InProcessBus, loadConfig } from '@tandem/platform';
import { createTestDatabase } from '@tandem/platform/testing';
import { inject } from 'vitest';
import { type RunningTandem, startTandem } from '../src/tandem.js';

/**
 * Tandem as most graph tests need it: demo mode (demo tenants, users and
 * partners), a fresh database of its own, the in-process bus, and free ports
 * for the gateway and every subgraph. `env` adds to the configuration.
 */
export async function startTestTandem(env: Record<string, string> = {}): Promise<RunningTandem> {
  const databaseUrl = await createTestDatabase(inject('databaseUrl'));
  return startTandem({
    config: loadConfig({ TANDEM_MODE: 'demo', ...env }),
    databaseUrl,
    bus: new InProcessBus(),
    gatewayPort: 0,
    subgraphPortsFromZero: true,
  });
}
