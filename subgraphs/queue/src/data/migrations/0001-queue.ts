import { Migration } from '@mikro-orm/migrations';

export class QueueTables extends Migration {
  override up(): void {
    this.addSql(`CREATE TABLE queue_entries (
      id uuid PRIMARY KEY,
      tenant_id text NOT NULL,
      application_id uuid NOT NULL,
      status text NOT NULL CHECK (status IN ('PENDING','ASSIGNED','IN_PROGRESS','COMPLETED')),
      priority integer NOT NULL CHECK (priority BETWEEN 0 AND 100),
      probability_of_default double precision NOT NULL CHECK (probability_of_default BETWEEN 0 AND 1),
      route_reason text NOT NULL,
      model_recommendation text NOT NULL CHECK (model_recommendation IN ('APPROVE','DECLINE','REVIEW')),
      loan_amount numeric(14,2) NOT NULL,
      sla_deadline timestamptz NOT NULL,
      sla_warning_at timestamptz NOT NULL,
      sla_escalate_at timestamptz NOT NULL,
      warning_sent_at timestamptz,
      breach_sent_at timestamptz,
      escalation_sent_at timestamptz,
      assignee_id text,
      assigned_at timestamptz,
      started_at timestamptz,
      completed_at timestamptz,
      release_reason text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      version integer NOT NULL DEFAULT 1,
      -- held cases have an assignee, waiting ones do not
      CONSTRAINT queue_entries_assignee_matches_status CHECK (
        (status = 'PENDING' AND assignee_id IS NULL) OR (status IN ('ASSIGNED','IN_PROGRESS') AND assignee_id IS NOT NULL) OR status = 'COMPLETED'
      )
    )`);
    // One open case per application: a rescoring or a redelivered event cannot queue it twice.
    this.addSql(`CREATE UNIQUE INDEX queue_entries_open_application_unique ON queue_entries (tenant_id, application_id) WHERE status <> 'COMPLETED'`);
    this.addSql('CREATE INDEX queue_entries_tenant_application_idx ON queue_entries (tenant_id, application_id, created_at DESC)');
    // pickNextCase and the default list order.
    this.addSql(`CREATE INDEX queue_entries_pending_priority_idx ON queue_entries (tenant_id, priority DESC, sla_deadline, id) WHERE status = 'PENDING'`);
    this.addSql('CREATE INDEX queue_entries_tenant_status_idx ON queue_entries (tenant_id, status, created_at)');
    // The per-analyst cap counts these.
    this.addSql(`CREATE INDEX queue_entries_active_assignee_idx ON queue_entries (tenant_id, assignee_id) WHERE status IN ('ASSIGNED','IN_PROGRESS')`);
    // The SLA watcher scans open entries by their next alert time.
    this.addSql(`CREATE INDEX queue_entries_open_warning_idx ON queue_entries (sla_warning_at) WHERE status <> 'COMPLETED'`);

    this.addSql(`CREATE TABLE sla_policies (
      tenant_id text PRIMARY KEY,
      review_sla_seconds integer NOT NULL CHECK (review_sla_seconds > 0),
      warning_seconds_before integer NOT NULL CHECK (warning_seconds_before >= 0 AND warning_seconds_before <= review_sla_seconds),
      escalate_seconds_after integer NOT NULL CHECK (escalate_seconds_after >= 0),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }
}
