import { Migration } from '@mikro-orm/migrations';

/** Model registry (per tenant), shadow scores, loan outcomes, decisions seen, drift runs and alerts. */
export class RegistryAndMonitoringTables extends Migration {
  override up(): void {
    this.addSql('ALTER TABLE scores ADD COLUMN external_id text');
    this.addSql('CREATE INDEX scores_tenant_external_idx ON scores (tenant_id, external_id)');
    this.addSql(`CREATE TABLE model_versions (
      tenant_id text NOT NULL,
      name text NOT NULL,
      version text NOT NULL,
      card jsonb NOT NULL,
      reference jsonb,
      test_vectors jsonb NOT NULL,
      onnx bytea NOT NULL,
      sha256 text NOT NULL,
      max_pd_difference double precision NOT NULL,
      registered_by text NOT NULL,
      registered_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, name, version)
    )`);
    this.addSql(`CREATE TABLE model_deployments (
      tenant_id text NOT NULL,
      name text NOT NULL,
      champion_version text,
      challenger_version text,
      previous_champions text[] NOT NULL DEFAULT '{}',
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, name)
    )`);
    this.addSql(`CREATE TABLE model_registry_audit (
      id uuid PRIMARY KEY,
      tenant_id text NOT NULL,
      action text NOT NULL,
      name text NOT NULL,
      version text,
      actor text NOT NULL,
      details jsonb NOT NULL DEFAULT '{}',
      at timestamptz NOT NULL
    )`);
    this.addSql('CREATE INDEX model_registry_audit_tenant_idx ON model_registry_audit (tenant_id, at DESC)');
    this.addSql(`CREATE TABLE shadow_scores (
      id uuid PRIMARY KEY,
      tenant_id text NOT NULL,
      application_id uuid NOT NULL,
      model_name text NOT NULL,
      model_version text NOT NULL,
      feature_vector jsonb NOT NULL,
      probability_of_default double precision NOT NULL CHECK (probability_of_default BETWEEN 0 AND 1),
      risk_band text NOT NULL,
      model_recommendation text NOT NULL CHECK (model_recommendation IN ('APPROVE','DECLINE','REVIEW')),
      scored_at timestamptz NOT NULL,
      CONSTRAINT shadow_scores_unique UNIQUE (tenant_id, application_id, model_name, model_version)
    )`);
    this.addSql('CREATE INDEX shadow_scores_tenant_scored_idx ON shadow_scores (tenant_id, scored_at DESC)');
    this.addSql(`CREATE TABLE loan_outcomes (
      tenant_id text NOT NULL,
      application_id uuid NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('REPAID','DEFAULTED')),
      recorded_by text NOT NULL,
      recorded_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, application_id)
    )`);
    this.addSql(`CREATE TABLE application_decisions (
      tenant_id text NOT NULL,
      application_id uuid NOT NULL,
      outcome text NOT NULL,
      automated boolean NOT NULL,
      decided_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, application_id)
    )`);
    this.addSql(`CREATE TABLE drift_runs (
      id uuid PRIMARY KEY,
      tenant_id text NOT NULL,
      model_name text NOT NULL,
      model_version text NOT NULL,
      window_from timestamptz NOT NULL,
      window_to timestamptz NOT NULL,
      sample_size integer NOT NULL,
      trigger text NOT NULL CHECK (trigger IN ('SCHEDULED','ON_DEMAND')),
      rows jsonb NOT NULL,
      alerts_raised integer NOT NULL,
      ran_at timestamptz NOT NULL
    )`);
    this.addSql('CREATE INDEX drift_runs_tenant_idx ON drift_runs (tenant_id, ran_at DESC)');
    this.addSql(`CREATE TABLE drift_alerts (
      id uuid PRIMARY KEY,
      tenant_id text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('DRIFT','FAIRNESS')),
      feature text NOT NULL,
      metric text NOT NULL,
      value double precision NOT NULL,
      severity text NOT NULL CHECK (severity IN ('WARNING','CRITICAL')),
      status text NOT NULL CHECK (status IN ('OPEN','ACKNOWLEDGED','DISMISSED')),
      model_version text NOT NULL,
      run_id uuid,
      raised_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      resolved_by text,
      resolved_at timestamptz
    )`);
    // De-duplication: one open (not dismissed) alert per tenant, kind, feature and metric.
    this.addSql(`CREATE UNIQUE INDEX drift_alerts_open_unique ON drift_alerts (tenant_id, kind, feature, metric) WHERE status <> 'DISMISSED'`);
    this.addSql('CREATE INDEX drift_alerts_tenant_idx ON drift_alerts (tenant_id, status, raised_at DESC)');
  }
}

export const registryAndMonitoringMigrations = [{ name: '0002_registry_and_monitoring', class: RegistryAndMonitoringTables }];
