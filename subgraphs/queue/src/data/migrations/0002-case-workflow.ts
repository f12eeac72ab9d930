import { Migration } from '@mikro-orm/migrations';

/** Issue 4: business calendars, the paused SLA clock, overrides awaiting approval, analysts, notifications, the assignment log. */
export class CaseWorkflowTables extends Migration {
  override up(): void {
    this.addSql(`ALTER TABLE sla_policies
      ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC',
      ADD COLUMN working_days integer[] NOT NULL DEFAULT '{1,2,3,4,5,6,7}',
      ADD COLUMN working_start text NOT NULL DEFAULT '00:00',
      ADD COLUMN working_end text NOT NULL DEFAULT '24:00',
      ADD COLUMN holidays text[] NOT NULL DEFAULT '{}'`);

    this.addSql(`ALTER TABLE queue_entries
      ADD COLUMN sla_paused_at timestamptz,
      ADD COLUMN awaiting_override_decision_id uuid`);
    // The watcher runs every second: it scans only open, running clocks.
    this.addSql('DROP INDEX queue_entries_open_warning_idx');
    this.addSql(`CREATE INDEX queue_entries_open_warning_idx ON queue_entries (sla_warning_at) WHERE status <> 'COMPLETED' AND sla_paused_at IS NULL`);
    // Auto-assign looks for pending cases near their deadline.
    this.addSql(
      `CREATE INDEX queue_entries_pending_warning_idx ON queue_entries (tenant_id, sla_warning_at) WHERE status = 'PENDING' AND sla_paused_at IS NULL`,
    );

    // The people the queue knows as analysts: whoever took a case or set their availability.
    this.addSql(`CREATE TABLE analysts (
      tenant_id text NOT NULL,
      analyst_id text NOT NULL,
      available boolean NOT NULL DEFAULT false,
      -- had queue:assign when last seen: receives escalations
      senior boolean NOT NULL DEFAULT false,
      last_assigned_at timestamptz,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, analyst_id)
    )`);

    this.addSql(`CREATE TABLE notifications (
      id uuid PRIMARY KEY,
      tenant_id text NOT NULL,
      recipient_id text NOT NULL,
      kind text NOT NULL,
      message text NOT NULL,
      entry_id uuid,
      application_id uuid,
      created_at timestamptz NOT NULL,
      read_at timestamptz
    )`);
    this.addSql('CREATE INDEX notifications_recipient_idx ON notifications (tenant_id, recipient_id, created_at DESC, id DESC)');
    this.addSql('CREATE INDEX notifications_unread_idx ON notifications (tenant_id, recipient_id, created_at DESC) WHERE read_at IS NULL');

    // Assignment moves, append-only, until the graph-wide audit trail takes them.
    this.addSql(`CREATE TABLE queue_audit_log (
      id uuid PRIMARY KEY,
      tenant_id text NOT NULL,
      entry_id uuid NOT NULL,
      action text NOT NULL,
      actor_id text NOT NULL,
      from_status text NOT NULL,
      to_status text NOT NULL,
      from_assignee text,
      to_assignee text,
      reason text,
      at timestamptz NOT NULL
    )`);
    this.addSql('CREATE INDEX queue_audit_log_entry_idx ON queue_audit_log (tenant_id, entry_id, at)');
  }
}
