import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The vitest set-up every server workspace shares: sources of sibling
 * workspaces are resolved through their `source` export condition (no build
 * needed), one copy of graphql (else "another module or realm"), and real
 * PostgreSQL and Redis started once per run for integration tests.
 */
export function serverTestConfig(opts: { integration?: boolean } = {}) {
  return defineConfig({
    resolve: {
      conditions: ['source'],
      alias: { graphql: `${root}node_modules/graphql/index.js` },
    },
    ssr: { resolve: { conditions: ['source'] } },
    test: {
      environment: 'node',
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      globalSetup: opts.integration ? [`${root}packages/platform/src/testing/global-setup.ts`] : [],
      testTimeout: 60_000,
      // Events cross the bus asynchronously; on a loaded 2-core CI machine a
      // second is not always enough, and a poll that gives up early is a false failure.
      expect: { poll: { timeout: 15_000, interval: 50 } },
      hookTimeout: 120_000,
      pool: 'forks',
      env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'error' },
    },
  });
}
