import type pg from 'pg';

/** What a pg client answers for a statement, as far as MikroORM's driver (Kysely) reads it. */
type QueryResult = Pick<pg.QueryResult, 'command' | 'rowCount' | 'rows' | 'fields'>;

const answered = (command: string): QueryResult => ({ command, rowCount: null, rows: [], fields: [] });

interface DeferringClient {
  query: (...args: unknown[]) => unknown;
  /** A `begin` acknowledged but not yet sent: it travels with the transaction's first statement. */
  tandemBeginPending?: boolean;
}

/**
 * Sends a transaction's `begin` in the same message as its first statement
 * (`begin; <statement>`, one simple-protocol query) instead of as a round
 * trip of its own. Each round trip costs both processes a wake-up, and on
 * these machines that is most of what a short transaction costs
 * (`npm run bench`: submitDecision, the consumers behind it).
 *
 * Nothing changes for PostgreSQL: the same statements arrive in the same
 * order on the same connection. A failing first statement leaves the
 * transaction aborted exactly as before, and the caller rolls it back. A
 * transaction with no statement sends nothing at all. When the first
 * statement cannot share the message (bound parameters, a callback, a
 * query object), `begin` is queued ahead of it: pg runs a client's queries
 * in order, so it is still the first thing the server sees.
 */
export function deferBegin(client: pg.ClientBase): void {
  // Each client is wrapped once, when the pool connects it.
  const c = client as unknown as DeferringClient;
  if (c.tandemBeginPending !== undefined) return;
  c.tandemBeginPending = false;
  const send = c.query.bind(client);
  c.query = (...args: unknown[]): unknown => {
    const [text, values, callback] = args;
    const plain = typeof text === 'string' && (values === undefined || (Array.isArray(values) && values.length === 0)) && callback === undefined;
    if (plain && text === 'begin' && !c.tandemBeginPending) {
      c.tandemBeginPending = true;
      return Promise.resolve(answered('BEGIN'));
    }
    if (!c.tandemBeginPending) return send(...args);
    c.tandemBeginPending = false;
    if (plain && (text === 'commit' || text === 'rollback')) return Promise.resolve(answered(text.toUpperCase()));
    if (!plain) {
      // Queued first; a failure of `begin` itself (the connection lost) fails the statement behind it too.
      (send('begin') as Promise<unknown>).catch(() => undefined);
      return send(...args);
    }
    return (send(`begin;\n${text}`) as Promise<QueryResult | QueryResult[]>).then((results) => {
      // Several statements answer with one result each: the first is `begin`'s.
      if (!Array.isArray(results)) return results;
      return results.length === 2 ? results[1] : results.slice(1);
    });
  };
}

/**
 * Defers `begin` on every client of the pool. A client handed out again
 * never carries a deferred `begin` from its last user (a transaction
 * abandoned before its first statement never began on the server).
 */
export function deferBeginOnPool(pool: pg.Pool): void {
  pool.on('connect', (client) => deferBegin(client));
  pool.on('acquire', (client) => {
    (client as unknown as DeferringClient).tandemBeginPending &&= false;
  });
}
