import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Caller } from '../auth/request-context.js';
import { unauthenticated } from '../errors/errors.js';

/** What every subgraph resolver receives. */
export interface SubgraphContext {
  requestId: string;
  caller: Caller;
  /** A fork of the subgraph's entity manager, one per request. */
  em: EntityManager;
  log: Logger;
  /** Per-request DataLoaders, created lazily by name. */
  loaders: Map<string, unknown>;
}

/** The caller's tenant; every tenant-owned read and write is scoped by it. */
export function tenantOf(ctx: SubgraphContext): string {
  if (!ctx.caller.tenantId) throw unauthenticated();
  return ctx.caller.tenantId;
}

export function loader<L>(ctx: SubgraphContext, name: string, create: () => L): L {
  let l = ctx.loaders.get(name) as L | undefined;
  if (!l) {
    l = create();
    ctx.loaders.set(name, l);
  }
  return l;
}
