import type pg from 'pg';
import { createLogger } from '../logging/logger.js';

const log = createLogger('db');

/**
 * Keeps a connection the server drops while it is checked out from ending the
 * process. pg-pool listens for errors only on idle connections; one held by a
 * transaction between two statements (a PostgreSQL restart, a failover,
 * `pg_terminate_backend`, embedded PostgreSQL stopping first on Ctrl-C) emits
 * 'error' with no listener: an uncaught exception. With a listener for the
 * connection's whole life the error is logged, the transaction's next
 * statement fails like any database error, its rollback is answered without
 * the server (deferred-statements.ts), and the pool discards the connection
 * when it is released.
 */
export function surviveDroppedConnections(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    client.on('error', (err) => {
      // Idle, pg-pool's own listener is there too and reports it (the pool's 'error' event): said once.
      if (client.listenerCount('error') === 1) log.warn({ err }, 'a database connection in use was lost');
    });
  });
}
