import pg from 'pg';
import { createLogger } from '../logging/logger.js';
import { inBackground } from '../process/background-work.js';
import { deferStatementsOnPool } from './deferred-statements.js';
import { surviveDroppedConnections } from './dropped-connections.js';

const log = createLogger('background-pool');

/** How a subgraph's DATABASE_POOL_SIZE is split: a quarter for background work (at least one), the rest for requests. */
export function splitPoolSize(size: number): { requests: number; background: number } {
  if (size < 2) return { requests: size, background: 0 };
  const background = Math.max(1, Math.round(size / 4));
  return { requests: size - background, background };
}

/**
 * Gives background work (see process/background-work.ts) connections of its
 * own, `size` of them, beside the request pool MikroORM made: a request never
 * waits for a connection behind the consumers. MikroORM's driver asks the pool for
 * a connection with `connect()`; that call is routed by who asks.
 */
export function giveBackgroundItsOwnPool(pool: pg.Pool, size: number): void {
  if (size < 1) return;
  const options = (pool as unknown as { options: pg.PoolConfig }).options;
  // pg-pool keeps the password out of the options' enumerable keys (so it never reaches a log): copy it by name.
  const background = new pg.Pool({ ...options, password: options.password, max: size });
  deferStatementsOnPool(background);
  surviveDroppedConnections(background);
  // As MikroORM does for its own pool: a connection the server dropped is discarded, never fatal.
  background.on('error', (err) => log.warn({ err }, 'background connection lost'));
  type Connect = (...args: unknown[]) => unknown;
  const connect = pool.connect.bind(pool) as Connect;
  const connectBackground = background.connect.bind(background) as Connect;
  (pool as unknown as { connect: Connect }).connect = (...args) => (inBackground() ? connectBackground(...args) : connect(...args));
  const end = pool.end.bind(pool) as () => Promise<void>;
  let ending: Promise<void> | undefined;
  (pool as unknown as { end: () => Promise<void> }).end = () => {
    ending ??= Promise.all([background.end(), end()]).then(() => undefined);
    return ending;
  };
}
