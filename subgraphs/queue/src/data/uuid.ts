const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids come from callers; anything that is not a uuid cannot match a row (and must not reach a uuid column). */
export const isUuid = (id: string) => UUID.test(id);
