import type { EntityManager } from '@mikro-orm/postgresql';

/** A table of the subgraph's own PostgreSQL schema, quoted for raw SQL: `"queue".queue_entries`. */
export function schemaTable(owner: { config: Pick<EntityManager['config'], 'get'> }, table: string): string {
  return `"${owner.config.get('schema')}".${table}`;
}
