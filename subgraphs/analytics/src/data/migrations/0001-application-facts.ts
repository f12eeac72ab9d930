import { Migration } from '@mikro-orm/migrations';

export class ApplicationFactsTable extends Migration {
  override up(): void {
    this.addSql(`CREATE TABLE application_facts (
      tenant_id text NOT NULL,
      application_id uuid NOT NULL,
      submitted_at timestamptz,
      status text,
      status_changed_at timestamptz,
      route text,
      model_recommendation text,
      probability_of_default double precision,
      risk_band text,
      loan_amount numeric(14,2),
      scored_at timestamptz,
      decided_at timestamptz,
      outcome text,
      automated boolean,
      is_override boolean,
      override_status text,
      review_seconds double precision,
      within_sla boolean,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, application_id)
    )`);
    // Every dashboard query reads one tenant and a window on submitted_at.
    this.addSql('CREATE INDEX application_facts_tenant_submitted_idx ON application_facts (tenant_id, submitted_at)');
  }
}

export const analyticsMigrations = [{ name: '0001_application_facts', class: ApplicationFactsTable }];
