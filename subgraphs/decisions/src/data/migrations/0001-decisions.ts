import { Migration } from '@mikro-orm/migrations';

export class DecisionsTables extends Migration {
  override up(): void {
    this.addSql(`CREATE TABLE application_scores (
      tenant_id text NOT NULL,
      application_id text NOT NULL,
      score_id text NOT NULL,
      model_version text NOT NULL,
      probability_of_default double precision NOT NULL,
      score double precision NOT NULL,
      risk_band text NOT NULL,
      route text NOT NULL CHECK (route IN ('AUTO_APPROVE','AUTO_DECLINE','HUMAN_REVIEW')),
      route_reason text NOT NULL,
      model_recommendation text NOT NULL CHECK (model_recommendation IN ('APPROVE','DECLINE','REVIEW')),
      reason_codes jsonb NOT NULL,
      loan_amount numeric(14,2) NOT NULL,
      term_months integer NOT NULL,
      scored_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, application_id)
    )`);
    this.addSql(`CREATE TABLE review_cases (
      tenant_id text NOT NULL,
      application_id text NOT NULL,
      entry_id text NOT NULL,
      status text NOT NULL CHECK (status IN ('PENDING','ASSIGNED','IN_PROGRESS','COMPLETED')),
      assignee_id text,
      started_at timestamptz,
      sla_deadline timestamptz NOT NULL,
      last_change_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, application_id)
    )`);
    this.addSql(`CREATE TABLE decisions (
      id uuid PRIMARY KEY,
      tenant_id text NOT NULL,
      application_id text NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('APPROVED','APPROVED_WITH_CONDITIONS','DECLINED','DOCUMENTS_REQUESTED')),
      reasoning text,
      conditions jsonb NOT NULL DEFAULT '[]',
      approved_amount numeric(14,2),
      approved_term_months integer,
      is_override boolean NOT NULL,
      override_direction text CHECK (override_direction IN ('APPROVE_OVER_DECLINE','DECLINE_OVER_APPROVE')),
      override_status text CHECK (override_status IN ('PENDING','APPROVED','REJECTED')),
      override_justification text,
      automated boolean NOT NULL,
      decided_by text,
      decided_at timestamptz NOT NULL,
      review_seconds integer,
      within_sla boolean,
      model_version text,
      score_snapshot jsonb,
      reason_codes jsonb NOT NULL DEFAULT '[]',
      final boolean NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT decisions_override_consistent CHECK (is_override = (override_direction IS NOT NULL)),
      CONSTRAINT decisions_human_has_decider CHECK (automated OR decided_by IS NOT NULL)
    )`);
    // The last line of defence for "one final decision per application", under any race.
    this.addSql('CREATE UNIQUE INDEX decisions_one_final_per_application ON decisions (tenant_id, application_id) WHERE final');
    this.addSql('CREATE INDEX decisions_tenant_application_idx ON decisions (tenant_id, application_id, decided_at)');
  }
}
