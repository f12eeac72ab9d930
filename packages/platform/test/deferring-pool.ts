import pg from 'pg';
import { deferStatementsOnPool } from '../src/db/deferred-statements.js';

/** A pool of `max` connections (one by default) with deferred statements; `sent` records every message that reaches the server. */
export function deferringPool(url: string, sent: string[], max = 1): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  // Registered first, so it sits under the deferring wrapper and sees what reaches the server.
  pool.on('connect', (c) => {
    const client = c as unknown as { query: (...args: unknown[]) => unknown };
    const query = client.query.bind(c);
    client.query = (...args: unknown[]) => {
      sent.push(typeof args[0] === 'string' ? args[0] : '(query object)');
      return query(...args);
    };
  });
  deferStatementsOnPool(pool);
  return pool;
}
