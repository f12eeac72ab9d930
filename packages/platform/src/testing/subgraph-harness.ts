import { randomUUID } from 'node:crypto';
import { loadConfig, type TandemConfig } from '../config/config.js';
import { InProcessBus } from '../events/in-process-bus.js';
import type { EventBus } from '../events/event-bus.js';
import type { EventEnvelope } from '../events/event-envelope.js';
import { startSubgraph, type RunningSubgraph, type SubgraphModule } from '../graphql/subgraph.js';
import { TimerScheduler } from '../jobs/scheduler.js';
import { INTERNAL_CONTEXT_HEADER, signInternalContext, type Caller } from '../auth/request-context.js';
import { ROLE_PERMISSIONS, type Role } from '../auth/permissions.js';
import { createTestDatabase } from './test-infra.js';

export interface GraphQLResult<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[];
}

export const testCaller = (role: Role, tenantId = 'tenant-a', id = `${role}-1`): Caller => ({
  kind: role === 'api_consumer' ? 'client' : 'user',
  id,
  tenantId,
  role,
  permissions: ROLE_PERMISSIONS[role],
});

/** Calls a subgraph as the gateway would: with a signed internal context. */
export async function callSubgraph<T = Record<string, unknown>>(
  url: string,
  config: TandemConfig,
  caller: Caller | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ status: number; body: GraphQLResult<T> }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (caller) headers[INTERNAL_CONTEXT_HEADER] = await signInternalContext(caller, config.internalSecret, randomUUID());
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: (await res.json()) as GraphQLResult<T> };
}

/**
 * One subgraph on a fresh database of the test server, on a free port, with
 * an in-process bus whose events the test can read (`published`).
 */
export async function startSubgraphForTest<S>(module: SubgraphModule<S>, serverUrl: string, bus: EventBus = new InProcessBus()) {
  const config = loadConfig({ TANDEM_MODE: 'demo' });
  const databaseUrl = await createTestDatabase(serverUrl);
  const published: EventEnvelope[] = [];
  const unlisten = bus.listen((e) => {
    published.push(e);
  });
  const scheduler = new TimerScheduler();
  const running: RunningSubgraph<S> = await startSubgraph(module, { config, databaseUrl, bus, scheduler, port: 0 });
  return {
    ...running,
    config,
    bus,
    databaseUrl,
    published,
    call: <T = Record<string, unknown>>(caller: Caller | null, query: string, variables?: Record<string, unknown>) =>
      callSubgraph<T>(running.url, config, caller, query, variables),
    async close() {
      await unlisten();
      await running.stop();
      await scheduler.stop();
    },
  };
}
