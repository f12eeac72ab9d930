import { Migration } from '@mikro-orm/migrations';

/**
 * Announces the API clients that existed before identity published
 * identity.api_client_registered: through the outbox, so the relay publishes
 * them like any other event once the subgraph starts.
 */
export class AnnounceExistingApiClients extends Migration {
  override up(): void {
    this.addSql(`INSERT INTO outbox_events (id, type, tenant_id, source, payload)
      SELECT gen_random_uuid(), 'identity.api_client_registered', tenant_id, 'identity', jsonb_build_object('clientId', client_id, 'name', name)
      FROM api_clients ORDER BY created_at`);
  }
}
