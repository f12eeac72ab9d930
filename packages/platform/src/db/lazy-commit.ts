import type { EntityManager } from '@mikro-orm/postgresql';
import { sendWithNextStatement } from './deferred-statements.js';

/**
 * Lets the current transaction's commit return before PostgreSQL has flushed
 * its WAL to disk (`SET LOCAL synchronous_commit TO OFF`, sent with the
 * transaction's next statement). Its effects are visible to everyone at once;
 * only a crash of PostgreSQL within the next fraction of a second (three
 * wal_writer_delay, 600 ms by default) can lose them, and then they are lost
 * together with everything written after them, never out of order: the WAL
 * is flushed as a prefix, and a synchronous commit flushes all of it before
 * its own record.
 *
 * Only for work that is done again when it is lost:
 * - the outbox relay's pass: a lost delete of the delivered rows means the
 *   events go out again, and consumers absorb the duplicates in their inboxes;
 * - a consumer's transaction when the delete that ends its event's delivery is
 *   written after it in the same PostgreSQL (the in-process bus): a lost
 *   consumer commit takes the relay's delete with it, so the event is delivered
 *   again. On Redis the acknowledgement goes to Redis, which PostgreSQL's
 *   crash does not roll back, so consumers there commit durably.
 * Never for what a caller is told succeeded (a request's transaction).
 *
 * Why: a synchronous commit waits for an fsync. Behind each decision the
 * relays and consumers of five subgraphs commit several times, and on these
 * machines their flushes queued on PostgreSQL's WAL lock ahead of the
 * decisions' own (pg_stat_activity at 300 decisions/s: backends waiting on
 * WALWrite and WalSync).
 */
export function commitLazily(em: EntityManager): Promise<unknown> {
  return sendWithNextStatement(() => em.execute('SET LOCAL synchronous_commit TO OFF'));
}
