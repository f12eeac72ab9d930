import { Migration } from '@mikro-orm/migrations';

/**
 * Typed conditions with their fulfilment, documents requests and answers,
 * override reviews, contests of automated decisions, and partner webhooks
 * (endpoints per API client and a durable delivery table).
 */
export class DecisionWorkflowTables extends Migration {
  override up(): void {
    this.addSql(`ALTER TABLE decisions
      ADD COLUMN monthly_instalment numeric(14,2),
      ADD COLUMN documents_checklist jsonb,
      ADD COLUMN documents_due_at timestamptz,
      ADD COLUMN documents_answered_at timestamptz,
      ADD COLUMN override_reviewed_by text,
      ADD COLUMN override_reviewed_at timestamptz,
      ADD COLUMN override_rejection_reason text,
      ADD CONSTRAINT decisions_rejected_override_not_final CHECK (override_status IS DISTINCT FROM 'REJECTED' OR NOT final)`);
    this.addSql(`CREATE INDEX decisions_pending_overrides_idx ON decisions (tenant_id, decided_at) WHERE override_status = 'PENDING'`);

    this.addSql(`CREATE TABLE decision_conditions (
      id uuid PRIMARY KEY,
      tenant_id text NOT NULL,
      decision_id uuid NOT NULL REFERENCES decisions (id),
      position integer NOT NULL,
      kind text NOT NULL CHECK (kind IN ('DOCUMENTATION','COLLATERAL','GUARANTOR','REDUCED_AMOUNT','REDUCED_TERM','OTHER')),
      description text NOT NULL,
      amount numeric(14,2),
      term_months integer,
      fulfilled_at timestamptz,
      fulfilled_by text,
      UNIQUE (decision_id, position)
    )`);
    this.addSql('CREATE INDEX decision_conditions_tenant_decision_idx ON decision_conditions (tenant_id, decision_id)');

    this.addSql(`CREATE TABLE document_submissions (
      id uuid PRIMARY KEY,
      tenant_id text NOT NULL,
      application_id text NOT NULL,
      request_decision_id uuid NOT NULL UNIQUE REFERENCES decisions (id),
      documents jsonb NOT NULL,
      submitted_by text NOT NULL,
      submitted_at timestamptz NOT NULL
    )`);
    this.addSql('CREATE INDEX document_submissions_tenant_application_idx ON document_submissions (tenant_id, application_id)');

    this.addSql(`CREATE TABLE decision_contests (
      id uuid PRIMARY KEY,
      tenant_id text NOT NULL,
      application_id text NOT NULL,
      decision_id uuid NOT NULL UNIQUE REFERENCES decisions (id),
      statement text NOT NULL,
      contested_by text NOT NULL,
      contested_at timestamptz NOT NULL,
      model_version text,
      score_snapshot jsonb
    )`);
    this.addSql('CREATE INDEX decision_contests_tenant_application_idx ON decision_contests (tenant_id, application_id)');

    this.addSql(`CREATE TABLE webhook_endpoints (
      tenant_id text NOT NULL,
      client_id text NOT NULL,
      url text NOT NULL,
      secret text NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, client_id)
    )`);
    // The outbox of partner notifications: a row is written in the transaction
    // of the change it reports, and only a 2xx answer or dead-lettering ends it.
    this.addSql(`CREATE TABLE webhook_deliveries (
      id uuid PRIMARY KEY,
      tenant_id text NOT NULL,
      client_id text NOT NULL,
      event_type text NOT NULL,
      body text NOT NULL,
      status text NOT NULL CHECK (status IN ('PENDING','DELIVERED','DEAD')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL,
      last_status_code integer,
      last_error text,
      created_at timestamptz NOT NULL,
      delivered_at timestamptz,
      dead_at timestamptz
    )`);
    this.addSql(`CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING'`);
    this.addSql(`CREATE INDEX webhook_deliveries_dead_idx ON webhook_deliveries (tenant_id, client_id, dead_at) WHERE status = 'DEAD'`);
  }
}
