import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';
import { inTurn } from '../process/background-work.js';
import { forgetPrepared, type PreparingClient, preparedExecution } from './prepared-statements.js';

/** What a pg client answers for a statement, as far as MikroORM's driver (Kysely) reads it. */
type QueryResult = Pick<pg.QueryResult, 'command' | 'rowCount' | 'rows' | 'fields'>;

const answered = (command: string, rowCount: number | null = null): QueryResult => ({ command, rowCount, rows: [], fields: [] });

interface DeferringClient extends PreparingClient {
  query: (...args: unknown[]) => unknown;
  /** Statements acknowledged but not yet sent, in order: a `begin`, then held writes. They travel with the next statement. */
  tandemPending?: string[];
  /** Between `begin` and `commit`/`rollback`, as the caller sees it (the `begin` itself may still be pending). */
  tandemInTransaction?: boolean;
}

/** What is held in the current scope: a flush's inserts ({@link holdWritesUntilCommit}), or every statement ({@link sendWithNextStatement}). */
const holding = new AsyncLocalStorage<'inserts' | 'all'>();

/** A write whose answer a unit of work's flush does not read: a plain insert (the keys are set in JavaScript), nothing returned. */
const HOLDABLE = /^\s*insert\s+into\s/i;
const RETURNING = /\breturning\b/i;

/**
 * Runs `work` (a unit of work's flush, at the end of a transaction) with its
 * inserts held back: each is answered at once and sent with the transaction's
 * next statement, normally its `commit`, so the writes and the commit share
 * one round trip. A held insert that fails fails the statement it travels
 * with, with its own error (a unique violation is still a unique violation),
 * and the transaction rolls back as before.
 *
 * Only for writes nobody reads the answer of: a held insert answers with no
 * rows and a row count of 0. A MikroORM flush of entities whose keys are set
 * in JavaScript (uuids) and that return nothing is such a write; an insert
 * with RETURNING, or any statement outside a transaction, is sent at once.
 */
export function holdWritesUntilCommit<T>(work: () => Promise<T>): Promise<T> {
  return holding.run('inserts', work);
}

/**
 * Runs `work`, whose statements in a transaction are answered at once (no
 * rows, row count 0) and sent ahead of the transaction's next statement, in
 * the same message. For a statement whose answer nothing reads: an advisory
 * lock taken for the read it guards (which still runs holding it), the last
 * update before a commit. Its failure fails the statement it travels with.
 */
export function sendWithNextStatement<T>(work: () => Promise<T>): Promise<T> {
  return holding.run('all', work);
}

/**
 * Saves round trips on a pg client without changing what PostgreSQL sees:
 * a transaction's `begin` travels with its first statement (`begin; <statement>`,
 * one simple-protocol query), and writes held by {@link holdWritesUntilCommit}
 * (and statements sent by {@link sendWithNextStatement}) travel with the
 * statement after them. Each round trip costs both processes
 * a wake-up, and on these machines that is most of what a short transaction
 * costs (`npm run bench`: submitDecision, the consumers behind it).
 *
 * The same statements arrive in the same order on the same connection. A
 * failing first statement leaves the transaction aborted exactly as before,
 * and the caller rolls it back. A transaction with no statement sends nothing
 * at all; a rollback drops the writes held for it. When a statement cannot
 * share the message (bound parameters, a callback, a query object), what is
 * pending is queued ahead of it: pg runs a client's queries in order, so the
 * server still sees it first.
 */
export function deferStatements(client: pg.ClientBase): void {
  // Each client is wrapped once, when the pool connects it.
  const c = client as unknown as DeferringClient;
  if (c.tandemPending !== undefined) return;
  c.tandemPending = [];
  c.tandemInTransaction = false;
  const send = c.query.bind(client);
  // Background work (relays, consumers, jobs) takes its answers in its own turn: requests' answers first.
  c.query = (...args: unknown[]): unknown => {
    const answer = query(...args);
    return answer instanceof Promise ? inTurn(answer) : answer;
  };
  const query = (...args: unknown[]): unknown => {
    const pending = c.tandemPending!;
    let [text] = args;
    const [, values, callback] = args;
    const plain = typeof text === 'string' && (values === undefined || (Array.isArray(values) && values.length === 0)) && callback === undefined;
    // One of our prepared statements: under this connection's name for it, its PREPARE sent ahead the first time.
    const prepared = plain ? preparedExecution(c, text as string) : undefined;
    if (prepared !== undefined) {
      if (prepared.prepare !== undefined) pending.push(prepared.prepare);
      text = args[0] = prepared.text;
    }
    // Kysely sends these in lower case; anything longer is not one of them.
    const keyword = plain && typeof text === 'string' && text.length <= 10 ? text.trim().toLowerCase() : undefined;
    if (keyword === 'begin' && !c.tandemInTransaction) {
      c.tandemInTransaction = true;
      pending.push('begin');
      return Promise.resolve(answered('BEGIN'));
    }
    const control = keyword === 'begin' || keyword === 'commit' || keyword === 'rollback';
    const held = plain && !control && c.tandemInTransaction ? holding.getStore() : undefined;
    if (held && typeof text === 'string' && (held === 'all' || (HOLDABLE.test(text) && !RETURNING.test(text)))) {
      pending.push(text);
      return Promise.resolve(answered(/^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? '', 0));
    }
    if (keyword === 'commit' || keyword === 'rollback') {
      c.tandemInTransaction = false;
      // Nothing reached the server: there is no transaction there to end.
      if (pending[0] === 'begin' && (keyword === 'rollback' || pending.length === 1)) {
        forgetPrepared(c, pending);
        pending.length = 0;
        return Promise.resolve(answered(keyword.toUpperCase()));
      }
      // A rollback undoes the held writes: they need not be sent at all.
      if (keyword === 'rollback') {
        forgetPrepared(c, pending);
        pending.length = 0;
        // The connection is gone (dropped-connections.ts), and its transaction with it: answered here, so the caller
        // goes on to release the connection, which the pool then discards, instead of failing before it and leaking it.
        if ((client as unknown as { _queryable?: boolean })._queryable === false) return Promise.resolve(answered('ROLLBACK'));
      }
    }
    if (pending.length === 0) {
      const sent = send(...args);
      // A statement we believed prepared, which PostgreSQL no longer has.
      if (prepared !== undefined) (sent as Promise<unknown>).catch((err) => forgetPrepared(c, [], err));
      return sent;
    }
    const ahead = pending.splice(0);
    if (!plain) {
      const queued = send(ahead.join(';\n')) as Promise<unknown>;
      queued.catch((err) => forgetPrepared(c, ahead, err));
      const own = send(...args);
      // The held writes' own error, not the aborted transaction's, is what the statement behind them reports.
      const onlyBegin = ahead.length === 1 && ahead[0] === 'begin';
      return own instanceof Promise && !onlyBegin
        ? own.catch((err) =>
            queued.then(
              () => Promise.reject(err),
              (first) => Promise.reject(first),
            ),
          )
        : own;
    }
    return (send(`${ahead.join(';\n')};\n${text}`) as Promise<QueryResult | QueryResult[]>).then(
      (results) => {
        // Several statements answer with one result each: the pending ones' come first.
        if (!Array.isArray(results)) return results;
        const own = results.slice(ahead.length);
        return own.length === 1 ? own[0] : own;
      },
      (err) => {
        forgetPrepared(c, ahead, err);
        throw err;
      },
    );
  };
}

/**
 * Defers statements on every client of the pool. A client handed out again
 * never carries what its last user left pending (a transaction abandoned
 * before its first statement never began on the server).
 */
export function deferStatementsOnPool(pool: pg.Pool): void {
  pool.on('connect', (client) => deferStatements(client));
  pool.on('acquire', (client) => {
    const c = client as unknown as DeferringClient;
    if (c.tandemPending?.[0] === 'begin') {
      forgetPrepared(c, c.tandemPending);
      c.tandemPending.length = 0;
      c.tandemInTransaction = false;
    }
  });
}
