import type { ApolloServerPlugin } from '@apollo/server';
import { operationDuration, operationErrors } from './metrics.js';

/** Records latency per operation and errors per code, for every Apollo server. */
export function metricsPlugin(service: string): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const start = process.hrtime.bigint();
      return {
        async didEncounterErrors({ errors }) {
          for (const e of errors) operationErrors.inc({ service, code: String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
        },
        async willSendResponse({ operationName, operation }) {
          const seconds = Number(process.hrtime.bigint() - start) / 1e9;
          operationDuration.observe({ service, operation: operationName ?? 'anonymous', type: operation?.operation ?? 'unknown' }, seconds);
        },
      };
    },
  };
}
