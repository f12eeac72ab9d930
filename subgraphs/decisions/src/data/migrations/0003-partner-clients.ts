import { Migration } from '@mikro-orm/migrations';

/**
 * The tenant's API clients as identity announces them: a webhook endpoint is
 * set only for a client the tenant has (identity owns the clients; this is
 * what decisions has heard of them).
 */
export class PartnerClientsTable extends Migration {
  override up(): void {
    this.addSql(`CREATE TABLE partner_clients (
      tenant_id text NOT NULL,
      client_id text NOT NULL,
      name text NOT NULL,
      registered_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, client_id)
    )`);
  }
}
