import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Migration } from '@mikro-orm/migrations';

/**
 * Transactional outbox: a domain change and the events it causes commit in
 * one transaction; the relay publishes them afterwards and deletes what was
 * delivered. An event is never published for a change that rolled back, and
 * never lost for one that committed. The table holds only what is still to publish.
 */
@Entity({ tableName: 'outbox_events' })
export class OutboxEvent {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  type!: string;

  @Property({ type: 'text' })
  tenantId!: string;

  @Property({ type: 'text' })
  source!: string;

  @Property({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Property({ type: 'text', nullable: true })
  requestId?: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'integer' })
  attempts = 0;

  @Property({ type: 'timestamptz', nullable: true })
  nextAttemptAt?: Date;
}

/** Inbox: one row per (consumer, event) handled, written in the handler's own transaction. */
@Entity({ tableName: 'processed_events' })
export class ProcessedEvent {
  @PrimaryKey({ type: 'text' })
  consumer!: string;

  @PrimaryKey({ type: 'uuid' })
  eventId!: string;

  @Property({ type: 'timestamptz' })
  processedAt: Date = new Date();
}

export class PlatformTablesMigration extends Migration {
  override up(): void {
    // seq gives a total publication order, even for events staged in one transaction.
    this.addSql(`CREATE TABLE outbox_events (
      seq bigint GENERATED ALWAYS AS IDENTITY,
      id uuid PRIMARY KEY,
      type text NOT NULL,
      tenant_id text NOT NULL,
      source text NOT NULL,
      payload jsonb NOT NULL,
      request_id text,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      published_at timestamptz,
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz
    )`);
    // The relay only ever scans unpublished rows.
    this.addSql('CREATE INDEX outbox_events_unpublished_idx ON outbox_events (seq) WHERE published_at IS NULL');
    this.addSql(`CREATE TABLE processed_events (
      consumer text NOT NULL,
      event_id uuid NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, event_id)
    )`);
  }
}

/**
 * The relay deletes a row once its event is delivered, instead of marking it published: the table held every event
 * ever made, and each mark wrote a whole new row version (payload and all) to the WAL. Published rows go; the relay
 * finds what is due by `seq` alone.
 */
export class OutboxDeletesDeliveredMigration extends Migration {
  override up(): void {
    this.addSql('DELETE FROM outbox_events WHERE published_at IS NOT NULL');
    // Drops outbox_events_unpublished_idx with it: its predicate names the column.
    this.addSql('ALTER TABLE outbox_events DROP COLUMN published_at');
    this.addSql('CREATE INDEX outbox_events_seq_idx ON outbox_events (seq)');
  }
}
