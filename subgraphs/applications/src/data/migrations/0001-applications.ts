import { Migration } from '@mikro-orm/migrations';

export class ApplicationsTables extends Migration {
  override up(): void {
    this.addSql(`CREATE TABLE applications (
      id uuid PRIMARY KEY,
      tenant_id text NOT NULL,
      external_id text NOT NULL,
      status text NOT NULL CHECK (status IN ('PENDING','SCORING','REVIEW','APPROVED','DECLINED')),
      applicant jsonb NOT NULL,
      financials jsonb NOT NULL,
      loan jsonb NOT NULL,
      loan_amount numeric(14,2) NOT NULL,
      monthly_instalment numeric(14,2) NOT NULL,
      debt_to_income double precision,
      loan_to_income double precision,
      payment_to_income double precision,
      fingerprint text NOT NULL,
      submitted_by text NOT NULL,
      submitted_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT applications_tenant_external_unique UNIQUE (tenant_id, external_id)
    )`);
    this.addSql('CREATE INDEX applications_tenant_submitted_idx ON applications (tenant_id, submitted_at DESC, id)');
    this.addSql('CREATE INDEX applications_tenant_status_idx ON applications (tenant_id, status)');
  }
}

export const applicationsMigrations = [{ name: '0001_applications', class: ApplicationsTables }];
