import { Migration } from '@mikro-orm/migrations';

/**
 * Each waiting case keeps the instant its priority next goes up, so the
 * refresh job reads the few cases that have reached it through this index
 * instead of every waiting case each pass. Cases queued before get "now":
 * the first pass ranks them and stores their instants.
 */
export class PriorityRiseColumn extends Migration {
  override up(): void {
    this.addSql('ALTER TABLE queue_entries ADD COLUMN priority_rises_at timestamptz');
    this.addSql(`UPDATE queue_entries SET priority_rises_at = now() WHERE status = 'PENDING'`);
    this.addSql(`CREATE INDEX queue_entries_priority_rise_idx ON queue_entries (priority_rises_at, id) WHERE status = 'PENDING'`);
  }
}
