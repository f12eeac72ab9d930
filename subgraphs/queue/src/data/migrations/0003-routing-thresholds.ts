import { Migration } from '@mikro-orm/migrations';

/** Each case keeps the thresholds it was routed by, so its priority measures distance from the policy that applied. */
export class RoutingThresholdColumns extends Migration {
  override up(): void {
    this.addSql('ALTER TABLE queue_entries ADD COLUMN auto_approve_below double precision, ADD COLUMN auto_decline_above double precision');
  }
}
