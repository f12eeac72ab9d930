import type { EntityManager } from '@mikro-orm/postgresql';
import { sendWithNextStatement } from './deferred-statements.js';

/**
 * Takes a transaction-scoped advisory lock on `key` (within `namespace`, when
 * given: `pg_advisory_xact_lock(namespace, hashtext(key))`, else
 * `pg_advisory_xact_lock(hashtext(key))`), held until the transaction ends.
 * Call inside a transaction. The lock travels with the transaction's next
 * statement, in the same message and ahead of it, so what it guards still runs
 * holding it, one round trip sooner.
 */
export function lockForTransaction(em: EntityManager, key: string, namespace?: number): Promise<void> {
  return sendWithNextStatement(async () => {
    if (namespace === undefined) await em.execute('SELECT pg_advisory_xact_lock(hashtext(?))', [key]);
    else await em.execute('SELECT pg_advisory_xact_lock(?::int, hashtext(?))', [namespace, key]);
  });
}
