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
      hookTimeout: 120_000,
      pool: 'forks',
      env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'error' },
    },
  });
}
