import { Migration } from '@mikro-orm/migrations';

/**
 * The review queue lists open cases of one tenant in one of three orders, a
 * page at a time. One partial index per order (open cases only, the order's
 * columns ending in the id) lets PostgreSQL read a page straight off the
 * index and stop, whatever the size of the queue; completed cases, which
 * only grow, stay out of them. pickNextCase keeps its PENDING-only index.
 */
export class ListingIndexes extends Migration {
  override up(): void {
    this.addSql(`CREATE INDEX queue_entries_open_priority_idx ON queue_entries (tenant_id, priority DESC, sla_deadline, id) WHERE status <> 'COMPLETED'`);
    this.addSql(`CREATE INDEX queue_entries_open_created_idx ON queue_entries (tenant_id, created_at, id) WHERE status <> 'COMPLETED'`);
    this.addSql(`CREATE INDEX queue_entries_open_sla_idx ON queue_entries (tenant_id, sla_deadline, priority DESC, id) WHERE status <> 'COMPLETED'`);
  }
}
