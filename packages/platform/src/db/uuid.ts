const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids come from callers; anything that is not a uuid cannot match a row and
 * must not reach a uuid column, where PostgreSQL would fail the whole query.
 */
export const isUuid = (id: unknown): id is string => typeof id === 'string' && UUID.test(id);
