import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Prepared statements for the hot hand-written queries, so PostgreSQL plans
 * them once per connection instead of on every call.
 *
 * Why: MikroORM's `execute` puts the parameters into the SQL text, so every
 * statement is parsed and planned afresh. At 300 decisions/s,
 * `pg_stat_statements` showed 0.47 ms of planning per decision against
 * 1.21 ms of execution, and the decision's locking read (four tables) planned
 * for 265 µs and ran for 131 µs.
 *
 * How: SQL-level `PREPARE name AS …` and `EXECUTE name(…)`, which are plain
 * text. A statement with bound parameters (the extended protocol, pg's named
 * statements) cannot travel in one message with a deferred `begin` or held
 * writes (deferred-statements.ts), and would cost a round trip. The
 * connection wrapper in deferred-statements.ts sends the `PREPARE` ahead of a
 * connection's first `EXECUTE` of a statement, in the same message.
 *
 * A prepared statement outlives a transaction that rolls back (PostgreSQL does
 * not undo `PREPARE`), but when the message that carried the `PREPARE` fails
 * we cannot tell whether the `PREPARE` itself ran. The connection then
 * prepares the statement again under a new name, never the same one twice.
 */

/** Every statement name starts with this, so the connection wrapper knows its own `EXECUTE`s. */
const PREFIX = 'tandem_';
const EXECUTE = /^EXECUTE (tandem_[0-9a-f]{16})\b/;

/** Statement text by name, for the whole process: the texts are fixed (one per statement and schema). */
const textByName = new Map<string, string>();
const nameByText = new Map<string, string>();

/**
 * Registers `sql` (with `$1`, `$2`… placeholders; the same one may appear
 * more than once) and returns the name to `EXECUTE` it by. The name is a
 * hash of the text, so two processes, or two schemas, never disagree on it.
 * Only for fixed texts: each distinct text is kept for the process's life.
 */
export function preparedStatementName(sql: string): string {
  let name = nameByText.get(sql);
  if (name === undefined) {
    name = PREFIX + createHash('sha256').update(sql).digest('hex').slice(0, 16);
    nameByText.set(sql, name);
    textByName.set(name, sql);
  }
  return name;
}

/**
 * Runs `sql` as a prepared statement in the entity manager's transaction (or
 * on a pool connection outside one) and returns its rows. `params` fill `$1`,
 * `$2`… in order, written in as literals as `em.execute` writes them.
 */
export function executePrepared<T extends object>(em: EntityManager, sql: string, params: readonly unknown[]): Promise<T[]> {
  const name = preparedStatementName(sql);
  const args = params.length === 0 ? '' : `(${params.map(() => '?').join(', ')})`;
  return em.execute<T[]>(`EXECUTE ${name}${args}`, [...params]);
}

/** What a pg client has prepared, per statement: the name it has it under on its connection. */
export interface PreparingClient {
  tandemPrepared?: Map<string, string>;
  /** Bumped for each `PREPARE` this connection sends, so a name is never prepared twice on it. */
  tandemPrepareCount?: number;
}

/**
 * For the connection wrapper: when `text` executes one of our statements,
 * the text to send instead (with the name this connection knows it by) and,
 * if the connection has not prepared it yet, the `PREPARE` to send ahead of
 * it. Undefined for any other text.
 */
export function preparedExecution(client: PreparingClient, text: string): { prepare?: string; text: string } | undefined {
  const match = text.startsWith('EXECUTE tandem_') ? EXECUTE.exec(text) : null;
  if (match === null) return undefined;
  const name = match[1]!;
  const sql = textByName.get(name);
  if (sql === undefined) return undefined; // not registered in this process: PostgreSQL will say it does not exist
  client.tandemPrepared ??= new Map();
  const known = client.tandemPrepared.get(name);
  if (known !== undefined) return { text: `EXECUTE ${known}${text.slice(match[0].length)}` };
  client.tandemPrepareCount = (client.tandemPrepareCount ?? 0) + 1;
  const local = `${name}_${client.tandemPrepareCount}`;
  client.tandemPrepared.set(name, local);
  return { prepare: `PREPARE ${local} AS ${sql}`, text: `EXECUTE ${local}${text.slice(match[0].length)}` };
}

/**
 * For the connection wrapper, when a message failed or was never sent: the
 * `PREPARE`s among `statements` may not have run, so their statements are
 * prepared afresh under new names next time. When PostgreSQL answers that a
 * prepared statement does not exist (code 26000: something deallocated it),
 * everything this connection believed prepared is forgotten.
 */
export function forgetPrepared(client: PreparingClient, statements: readonly string[], err?: unknown): void {
  const prepared = client.tandemPrepared;
  if (prepared === undefined || prepared.size === 0) return;
  if ((err as { code?: unknown } | undefined)?.code === '26000') {
    prepared.clear();
    return;
  }
  for (const statement of statements) {
    if (!statement.startsWith('PREPARE tandem_')) continue;
    const local = statement.slice('PREPARE '.length, statement.indexOf(' AS '));
    const name = local.slice(0, local.lastIndexOf('_')); // the connection's name is the statement's, then `_<count>`
    if (prepared.get(name) === local) prepared.delete(name);
  }
}
