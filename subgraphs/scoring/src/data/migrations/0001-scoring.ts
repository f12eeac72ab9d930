import { Migration } from '@mikro-orm/migrations';

export class ScoringTables extends Migration {
  override up(): void {
    this.addSql(`CREATE TABLE scores (
      id uuid PRIMARY KEY,
      tenant_id text NOT NULL,
      application_id uuid NOT NULL,
      model_name text NOT NULL,
      model_version text NOT NULL,
      inputs jsonb NOT NULL,
      feature_vector jsonb NOT NULL,
      probability_of_default double precision NOT NULL CHECK (probability_of_default BETWEEN 0 AND 1),
      score integer NOT NULL,
      risk_band text NOT NULL,
      route text NOT NULL CHECK (route IN ('AUTO_APPROVE','AUTO_DECLINE','HUMAN_REVIEW')),
      route_reason text NOT NULL,
      model_recommendation text NOT NULL CHECK (model_recommendation IN ('APPROVE','DECLINE','REVIEW')),
      top_factors jsonb NOT NULL,
      reason_codes jsonb NOT NULL,
      policy_version integer NOT NULL CHECK (policy_version >= 0),
      scored_at timestamptz NOT NULL,
      CONSTRAINT scores_tenant_application_unique UNIQUE (tenant_id, application_id)
    )`);
    this.addSql('CREATE INDEX scores_tenant_scored_idx ON scores (tenant_id, scored_at DESC)');
    this.addSql(`CREATE TABLE routing_policies (
      tenant_id text NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      auto_approve_below double precision NOT NULL,
      auto_decline_above double precision NOT NULL,
      max_auto_amount numeric(14,2) NOT NULL CHECK (max_auto_amount > 0),
      max_auto_term_months integer CHECK (max_auto_term_months > 0),
      review_purposes text[] NOT NULL DEFAULT '{}',
      effective_from timestamptz NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, version),
      CHECK (0 < auto_approve_below AND auto_approve_below < auto_decline_above AND auto_decline_above < 1)
    )`);
  }
}

export const scoringMigrations = [{ name: '0001_scoring', class: ScoringTables }];
