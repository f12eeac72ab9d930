const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids come from callers; anything that is not a uuid cannot match a row and
 * must not reach a uuid column, where PostgreSQL would fail the whole query.
 */
export const isUuid = (id: unknown): id is string => typeof id === 'string' && UUID.test(id);

/**
 * A PostgreSQL array literal of uuids (`{…,…}`), for a prepared statement's
 * `$n::uuid[]`: one parameter whatever the count, so one text and one plan.
 * Throws on anything that is not a uuid, which could not be in the column
 * and would otherwise change the array's shape.
 */
export function uuidArray(ids: readonly string[]): string {
  for (const id of ids) if (!isUuid(id)) throw new TypeError(`not a uuid: ${JSON.stringify(id).slice(0, 60)}`);
  return `{${ids.join(',')}}`;
}
