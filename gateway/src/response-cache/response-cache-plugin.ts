import { createHash } from 'node:crypto';
import { type ApolloServerPlugin, type GraphQLRequestContext, HeaderMap } from '@apollo/server';
import type { Caller } from '@tandem/platform';
import type { FieldNode, OperationDefinitionNode } from 'graphql';
import type { GatewayContext } from '../gateway-context.js';
import { type ResponseCache, stringifyResult } from './response-cache.js';

/**
 * The reads the workbench repeats all day, whose every input is covered by
 * an event or a mutation of the tenant. Anything else (webhook deliveries a
 * job updates, model reports, the caller's own session) always executes.
 */
export const CACHEABLE_ROOT_FIELDS: ReadonlySet<string> = new Set([
  'reviewQueue',
  'queueSummary',
  'queueEntry',
  'application',
  'applications',
  'pendingOverrides',
  'decisions',
]);

export const CACHE_HEADER = 'x-tandem-cache';

/** Only a query of allow-listed root fields, by a signed-in caller of a tenant, without fragments spread at the root. */
function cacheableOperation(operation: OperationDefinitionNode | undefined): boolean {
  if (operation?.operation !== 'query') return false;
  return operation.selectionSet.selections.every((s) => s.kind === 'Field' && CACHEABLE_ROOT_FIELDS.has((s as FieldNode).name.value));
}

/**
 * Whose answer this is: the tenant, the caller and their exact permissions,
 * and the exact request (document text, operation name, variables, and the
 * media types it accepts). The same function keys the HTTP fast path.
 */
export function responseCacheKey(
  caller: Caller,
  request: { query?: unknown; operationName?: unknown; variables?: unknown },
  accept: string | undefined,
): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        caller.tenantId,
        caller.kind,
        caller.id,
        [...caller.permissions].sort(),
        request.query,
        request.operationName ?? null,
        request.variables ?? null,
        accept ?? null,
      ]),
    )
    .digest('base64url');
}

function cacheKey(ctx: GraphQLRequestContext<GatewayContext>): string {
  return responseCacheKey(ctx.contextValue.caller, ctx.request, ctx.request.http?.headers.get('accept'));
}

/**
 * Decides what the cache keeps: a successful query of allow-listed root
 * fields, stored after execution with the tenant's generation from before it.
 * Most hits never reach Apollo (cached-answer.ts answers them after
 * admission); the ones that do (an Accept header with quality values,
 * graphql-ws queries) are served here, after validation, skipping planning
 * and execution. Mutations move their tenant's generation on when they start
 * and when they end, so this gateway's callers read their own writes at once;
 * other gateways learn of them from the change's event.
 */
export function responseCachePlugin(cache: ResponseCache): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      let key: string | undefined;
      let generation = 0;
      let hit = false;
      let mutatedTenant: string | undefined;
      let noStore = false;
      return {
        async responseForOperation(ctx) {
          const tenantId = ctx.contextValue.caller.tenantId;
          if (!tenantId || !cache.enabled) return null;
          if (ctx.operation?.operation === 'mutation') {
            mutatedTenant = tenantId;
            cache.invalidateTenant(tenantId);
            return null;
          }
          if (!cacheableOperation(ctx.operation)) return null;
          key = cacheKey(ctx);
          // As in HTTP: no-cache asks for a fresh answer (which then refreshes the entry); no-store, that nothing is kept.
          const cacheControl = ctx.request.http?.headers.get('cache-control') ?? '';
          noStore = cacheControl.includes('no-store');
          const cached = noStore || cacheControl.includes('no-cache') ? undefined : cache.get(key, tenantId);
          if (cached === undefined) {
            generation = cache.generation(tenantId);
            return null;
          }
          hit = true;
          // A shallow copy: a plugin adding extensions to this response must not add them to the cached one.
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { ...(cached as object) } } };
        },
        async willSendResponse(ctx) {
          if (mutatedTenant) {
            cache.invalidateTenant(mutatedTenant);
            return;
          }
          if (!key) return;
          ctx.response.http.headers.set(CACHE_HEADER, hit ? 'hit' : 'miss');
          const body = ctx.response.body;
          if (hit || noStore || body.kind !== 'single' || body.singleResult.errors?.length || !body.singleResult.data) return;
          const result = body.singleResult;
          cache.set(key, ctx.contextValue.caller.tenantId!, generation, result, stringifyResult(result));
        },
      };
    },
  };
}
