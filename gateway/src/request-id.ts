import { randomUUID } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { createLogger, type Logger, REQUEST_ID_HEADER } from '@tandem/platform';
import type { GatewayContext } from './gateway-context.js';

// Ids a caller's tracing may send (UUIDs, W3C trace ids, ULIDs…); anything else would let a caller write what it likes into every log line.
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The caller's x-request-id when it is a plausible id, else a new one: it follows the request through every subgraph and log line. */
export function requestIdOf(header: string | string[] | undefined): string {
  const sent = Array.isArray(header) ? header[0] : header;
  return sent && ACCEPTABLE_ID.test(sent) ? sent : randomUUID();
}

/**
 * Answers with the request id, so a caller can quote it when reporting a
 * problem, and logs every internal failure of an operation with it (and the
 * subgraph and path it came from): the caller sees only "Internal error", the
 * operator finds the request by its id.
 */
export function requestIdPlugin(log: Logger = createLogger('gateway')): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async didEncounterErrors({ errors, operationName }) {
          for (const e of errors) {
            const code = e.extensions?.code;
            if (code !== undefined && code !== 'INTERNAL_SERVER_ERROR') continue;
            log.error(
              {
                requestId: contextValue.requestId,
                operation: operationName ?? 'anonymous',
                path: e.path,
                subgraph: e.extensions?.serviceName,
                message: e.message,
              },
              'operation failed',
            );
          }
        },
        async willSendResponse({ response }) {
          response.http.headers.set(REQUEST_ID_HEADER, contextValue.requestId);
        },
      };
    },
  };
}
