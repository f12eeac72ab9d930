import type { ApolloServerPlugin } from '@apollo/server';
import { operationDuration, operationErrors } from './metrics.js';

/**
 * Operation names are chosen by callers: each distinct one is a new time
 * series, so a caller sending random names could grow /metrics (and memory)
 * without bound. The first names a process sees (the workbench's, partners')
 * keep their own series; any further one is counted as "other".
 */
export const MAX_OPERATION_LABELS = 500;

export function operationLabeller(max = MAX_OPERATION_LABELS): (name: string | null | undefined) => string {
  const known = new Set<string>();
  return (name) => {
    const label = name ?? 'anonymous';
    if (known.has(label)) return label;
    if (known.size >= max) return 'other';
    known.add(label);
    return label;
  };
}

/** Records latency per operation and errors per code, for every Apollo server. */
export function metricsPlugin(service: string): ApolloServerPlugin {
  const labelOf = operationLabeller();
  return {
    async requestDidStart() {
      const start = process.hrtime.bigint();
      return {
        async didEncounterErrors({ errors }) {
          for (const e of errors) operationErrors.inc({ service, code: String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
        },
        async willSendResponse({ operationName, operation }) {
          const seconds = Number(process.hrtime.bigint() - start) / 1e9;
          operationDuration.observe({ service, operation: labelOf(operationName), type: operation?.operation ?? 'unknown' }, seconds);
        },
      };
    },
  };
}
