import { Migration } from '@mikro-orm/migrations';

/**
 * The graph's audit trail: one hash chain per tenant (see domain/audit-chain.ts).
 * Append-only is enforced by PostgreSQL itself: a trigger rejects every UPDATE,
 * DELETE and TRUNCATE, whoever runs it. The chain catches what gets past that
 * (a superuser dropping the trigger, an edit of the files underneath).
 */
export class AuditTrailTable extends Migration {
  override up(): void {
    this.addSql(`CREATE TABLE audit_trail (
      tenant_id text NOT NULL,
      seq bigint NOT NULL,
      event_id text NOT NULL,
      source text NOT NULL,
      entity_type text NOT NULL,
      entity_id text NOT NULL,
      action text NOT NULL,
      actor_kind text NOT NULL,
      actor_id text,
      occurred_at timestamptz NOT NULL,
      old_value jsonb,
      new_value jsonb,
      changes jsonb NOT NULL,
      prev_hash text NOT NULL,
      hash text NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, seq),
      UNIQUE (tenant_id, event_id),
      CHECK (seq >= 1)
    )`);
    // The trail's questions: one entity's history, one actor's actions, a time range; newest first.
    this.addSql('CREATE INDEX audit_trail_entity_idx ON audit_trail (tenant_id, entity_type, entity_id, seq)');
    this.addSql('CREATE INDEX audit_trail_actor_idx ON audit_trail (tenant_id, actor_id, seq)');
    this.addSql('CREATE INDEX audit_trail_occurred_idx ON audit_trail (tenant_id, occurred_at)');
    this.addSql(`CREATE FUNCTION audit_trail_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_trail is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
    $$`);
    this.addSql(`CREATE TRIGGER audit_trail_append_only BEFORE UPDATE OR DELETE ON audit_trail
      FOR EACH ROW EXECUTE FUNCTION audit_trail_reject_change()`);
    this.addSql(`CREATE TRIGGER audit_trail_no_truncate BEFORE TRUNCATE ON audit_trail
      FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_reject_change()`);
  }
}

export const auditTrailMigration = { name: '0002_audit_trail', class: AuditTrailTable };
