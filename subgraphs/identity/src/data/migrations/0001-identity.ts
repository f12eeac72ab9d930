import { Migration } from '@mikro-orm/migrations';

export class IdentityTables extends Migration {
  override up(): void {
    this.addSql(`CREATE TABLE tenants (
      id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]*$'),
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    this.addSql(`CREATE TABLE users (
      id uuid PRIMARY KEY,
      tenant_id text NOT NULL REFERENCES tenants (id),
      email text NOT NULL CHECK (email = lower(btrim(email))),
      name text NOT NULL,
      role text NOT NULL,
      password_hash text NOT NULL,
      grants text[] NOT NULL DEFAULT '{}',
      revocations text[] NOT NULL DEFAULT '{}',
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      -- Login by email names no tenant, so an email is unique across all of them.
      CONSTRAINT users_email_unique UNIQUE (email)
    )`);
    this.addSql('CREATE INDEX users_tenant_idx ON users (tenant_id)');
    this.addSql(`CREATE TABLE api_clients (
      id uuid PRIMARY KEY,
      tenant_id text NOT NULL REFERENCES tenants (id),
      client_id text NOT NULL,
      name text NOT NULL,
      secret_hash text NOT NULL,
      role text NOT NULL DEFAULT 'api_consumer',
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      rotated_at timestamptz,
      CONSTRAINT api_clients_client_id_unique UNIQUE (client_id)
    )`);
    this.addSql('CREATE INDEX api_clients_tenant_idx ON api_clients (tenant_id)');
    this.addSql(`CREATE TABLE refresh_tokens (
      id uuid PRIMARY KEY,
      family_id uuid NOT NULL,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      token_hash text NOT NULL,
      expires_at timestamptz NOT NULL,
      rotated_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT refresh_tokens_hash_unique UNIQUE (token_hash)
    )`);
    this.addSql('CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)');
    this.addSql('CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at)');
  }
}
