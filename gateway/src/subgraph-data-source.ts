import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { INTERNAL_CONTEXT_HEADER, REQUEST_ID_HEADER, type TandemConfig } from '@tandem/platform';
import { signInternalContext } from '@tandem/platform';
import type { GatewayContext } from './gateway-context.js';

const CALLER_CODES = new Set(['BAD_USER_INPUT', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'RATE_LIMITED']);

/**
 * How the gateway talks to a subgraph: every request carries the signed
 * internal context and the request id. A subgraph's non-2xx answer (e.g. 400
 * for a Money variable only the subgraph can parse) reaches the caller as the
 * subgraph's own coded error, never as "400: Bad Request" with internal URLs.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(url: string, private readonly config: TandemConfig, fetcher: RemoteGraphQLDataSource['fetcher']) {
    super({ url, fetcher });
  }

  override async willSendRequest({ request, context }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['willSendRequest']>>[0]) {
    // Sign once per client request; every subgraph it fans out to gets the same context.
    context.internalToken ??= signInternalContext(context.caller, this.config.internalSecret, context.requestId);
    request.http?.headers.set(INTERNAL_CONTEXT_HEADER, await context.internalToken);
    request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
  }

  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<GraphQLError> {
    const body = (await this.parseBody(response).catch(() => undefined)) as { errors?: { message?: string; extensions?: { code?: string } }[] } | undefined;
    const first = typeof body === 'object' ? body?.errors?.[0] : undefined;
    const code = first?.extensions?.code;
    if (first?.message && code && CALLER_CODES.has(code)) return new GraphQLError(first.message, { extensions: { code } });
    return new GraphQLError(`Subgraph answered ${response.status}`, { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  }
}
