import 'reflect-metadata';
import type { Constructor } from '@mikro-orm/core';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import type { Migration } from '@mikro-orm/migrations';
import { Migrator } from '@mikro-orm/migrations';
import { type EntityManager, MikroORM, type Options, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import pg from 'pg';
import { DEFAULT_DATABASE_POOL_IDLE_SECONDS, DEFAULT_DATABASE_POOL_SIZE } from '../config/config.js';
import { outboxStaging } from '../events/outbox-staging.js';
import { OutboxDeletesDeliveredMigration, OutboxEvent, PlatformTablesMigration, ProcessedEvent } from '../events/outbox-tables.js';
import { createLogger } from '../logging/logger.js';
import { giveBackgroundItsOwnPool, splitPoolSize } from './background-pool.js';
import { deferStatementsOnPool } from './deferred-statements.js';
import { surviveDroppedConnections } from './dropped-connections.js';

export type { EntityManager };
export type Orm = MikroORM;

export { schemaTable } from './schema-table.js';

const log = createLogger('orm');

/**
 * A unique violation, as MikroORM converts it, or as PostgreSQL reports it where MikroORM does not convert:
 * an insert held until the commit (holdWritesUntilCommit) fails the commit with pg's own error.
 */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof UniqueConstraintViolationException || (err as { code?: unknown } | null)?.code === '23505';
}

export interface SubgraphDatabaseOptions {
  /** PostgreSQL URL of the shared cluster; each subgraph keeps to its own schema. */
  url: string;
  /** The subgraph's PostgreSQL schema, e.g. `queue`. */
  schema: string;
  // biome-ignore lint/suspicious/noExplicitAny: MikroORM accepts any entity class
  entities: any[];
  /** Ordered migrations; the outbox/inbox tables are prepended for every subgraph. */
  migrations: { name: string; class: Constructor<Migration> }[];
  /** Connections this subgraph's ORM may hold at once (TandemConfig.databasePoolSize); DEFAULT_DATABASE_POOL_SIZE otherwise. */
  poolSize?: number;
  /** Seconds an unused connection stays open (TandemConfig.databasePoolIdleSeconds; 0: for good); DEFAULT_DATABASE_POOL_IDLE_SECONDS otherwise. */
  poolIdleSeconds?: number;
  contextName?: string;
  debug?: boolean;
}

/** Creates the subgraph's schema if needed, opens its ORM and brings its migrations up to date. */
export async function openSubgraphDatabase(opts: SubgraphDatabaseOptions): Promise<MikroORM> {
  await ensureSchema(opts.url, opts.schema);
  // A `?host=/dir` parameter (as libpq and node-postgres read it) names a Unix socket directory; MikroORM reads only the URL's host.
  const socketHost = new URL(opts.url).searchParams.get('host');
  // Background work (relays, consumers, jobs) keeps a quarter of the connections to itself (background-pool.ts).
  const connections = splitPoolSize(opts.poolSize ?? DEFAULT_DATABASE_POOL_SIZE);
  const config: Options = {
    clientUrl: opts.url,
    ...(socketHost ? { host: socketHost } : {}),
    schema: opts.schema,
    // Each subgraph's ORM needs its own context name: in one process, a
    // consumer's transaction must not be mistaken for the publisher's.
    contextName: opts.contextName ?? opts.schema,
    entities: [OutboxEvent, ProcessedEvent, ...opts.entities],
    // Events recorded in a transaction are written at its flush by one statement (recordEvent).
    subscribers: [outboxStaging],
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    // Entity references (Ref.load, __resolveReference) are batched per tick.
    dataloader: true,
    allowGlobalContext: false,
    // pg-pool reads an idle timeout of 0 as "never close".
    pool: { min: 0, max: connections.requests, idleTimeoutMillis: (opts.poolIdleSeconds ?? DEFAULT_DATABASE_POOL_IDLE_SECONDS) * 1000 },
    // A transaction's `begin` travels with its first statement, and held writes with the statement after them (deferred-statements.ts).
    driverOptions: {
      onPoolCreated: (pool: pg.Pool) => {
        deferStatementsOnPool(pool);
        surviveDroppedConnections(pool);
        giveBackgroundItsOwnPool(pool, connections.background);
      },
    },
    debug: opts.debug ?? false,
    migrations: {
      tableName: 'mikro_orm_migrations',
      schema: opts.schema,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
      migrationsList: [
        { name: '0000_platform_tables', class: PlatformTablesMigration },
        { name: '0000_platform_tables_outbox_deletes_delivered', class: OutboxDeletesDeliveredMigration },
        ...opts.migrations,
      ],
    },
  };
  const orm = await MikroORM.init(config);
  const applied = await orm.migrator.up();
  if (applied.length) log.info({ schema: opts.schema, migrations: applied.map((m) => m.name) }, 'migrations applied');
  return orm;
}

async function ensureSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${client.escapeIdentifier(schema)}`);
  } catch (err) {
    // Two processes racing to create the same schema: the loser sees a unique violation.
    if (!isUniqueViolation(err)) throw err;
  } finally {
    await client.end();
  }
}
