import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { holdWritesUntilCommit, sendWithNextStatement } from '../db/deferred-statements.js';
import { commitLazily } from '../db/lazy-commit.js';
import { executePrepared } from '../db/prepared-statements.js';
import { schemaTable } from '../db/schema-table.js';
import { uuidArray } from '../db/uuid.js';
import { createLogger } from '../logging/logger.js';
import { runAsBackground } from '../process/background-work.js';
import type { EventBus, EventHandler } from './event-bus.js';
import type { EventEnvelope } from './event-envelope.js';
import { flushWroteStagedRows } from './outbox-staging.js';
import { OutboxEvent } from './outbox-tables.js';

export { outboxStaging, recordEvent } from './outbox-staging.js';

const log = createLogger('outbox');

/**
 * Publishes committed outbox rows, and deletes each once delivered. Woken right after a flush that staged
 * events, and by a slow poll as a safety net (a crash between commit and
 * publish, or a failed publish). Rows are claimed with FOR UPDATE SKIP LOCKED
 * so several processes of one subgraph can relay side by side.
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private running = false;
  private again = false;
  private stopped = false;
  private idle?: Promise<void>;
  private readonly table: string;
  private readonly batchSize: number;

  constructor(
    private readonly orm: MikroORM,
    private readonly bus: EventBus,
    private readonly opts: { pollMs?: number; batchSize?: number } = {},
  ) {
    this.table = schemaTable(orm, 'outbox_events');
    this.batchSize = opts.batchSize ?? 100;
    // Wake the relay as soon as a transaction that staged events commits. Tracked per entity manager (each
    // transaction has its own fork): with one flag for all, another transaction's commit (the relay's own
    // empty pass, say) cleared it between a flush and its commit, and the event then waited for the poll.
    const awaitingCommit = new WeakSet<object>();
    // A staged flush inside a nested transaction: its savepoint's release is not the commit, and the outer
    // transaction's manager is not known here, so the next top-level commit of any transaction wakes the relay.
    let nestedStaged = false;
    orm.em.getEventManager().registerSubscriber({
      afterFlush: (args) => {
        const staged = flushWroteStagedRows(args.em);
        if (!staged && !args.uow.getChangeSets().some((cs) => cs.entity instanceof OutboxEvent)) return;
        // Outside an explicit transaction the flush committed its own, before this hook: publish now.
        if (args.em.isInTransaction()) awaitingCommit.add(args.em);
        else this.nudge();
      },
      afterTransactionCommit: (args) => {
        const savepoint = args.transaction !== undefined && typeof args.transaction === 'object' && 'savepointName' in args.transaction;
        if (savepoint) {
          if (awaitingCommit.delete(args.em)) nestedStaged = true;
          return;
        }
        if (awaitingCommit.delete(args.em) || nestedStaged) {
          nestedStaged = false;
          this.nudge();
        }
      },
    });
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.nudge(), this.opts.pollMs ?? 1000);
    this.timer.unref();
    this.nudge();
  }

  /** Run a relay pass soon; passes never overlap. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    // A nudge comes from a request's commit: the pass is not part of that request.
    this.idle = runAsBackground(async () => {
      try {
        do {
          this.again = false;
          // Only a full batch can have rows behind it. A short one took every row ready when it read; rows
          // committed since then nudged `again`, and a failed row waits for its backoff: no empty pass to find out.
          while ((await this.relayBatch()) === this.batchSize && !this.stopped) {
            /* drain */
          }
        } while (this.again && !this.stopped);
      } catch (err) {
        log.error({ err }, 'relay pass failed');
      } finally {
        this.running = false;
      }
    });
  }

  /** Publishes one batch; returns how many rows were published. */
  async relayBatch(): Promise<number> {
    const em = this.orm.em.fork();
    return em.transactional(async (tx) => {
      // A lost delete only sends the batch again (consumers dedupe): no need to wait for the flush.
      await commitLazily(tx);
      // Prepared, as are the delete and the inbox's insert: they run for every event, and were planned every time.
      const rows = await executePrepared<{
        id: string;
        type: string;
        tenant_id: string;
        source: string;
        payload: Record<string, unknown>;
        request_id: string | null;
        created_at: Date;
        attempts: number;
      }>(
        tx,
        `SELECT id, type, tenant_id, source, payload, request_id, created_at, attempts FROM ${this.table}
         WHERE next_attempt_at IS NULL OR next_attempt_at <= now()
         ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.batchSize],
      );
      if (rows.length === 0) return 0;
      const envelopes: EventEnvelope[] = rows.map((r) => ({
        id: r.id,
        type: r.type,
        tenantId: r.tenant_id,
        source: r.source,
        occurredAt: new Date(r.created_at).toISOString(),
        payload: r.payload,
        requestId: r.request_id ?? undefined,
      }));
      // The whole batch in one delivery and one DELETE: consumers work through it side by side instead of
      // the relay waiting on every event's slowest consumer, and the relay pays one round trip, not one per row.
      const { delivered, error } = await this.bus.publishBatch(envelopes);
      if (delivered > 0) {
        const ids = rows.slice(0, delivered).map((r) => r.id);
        // A delivered event leaves the outbox: the table holds only what is still to publish, instead of growing by every
        // event ever made, and a delete writes a fraction of the WAL an update writing a new row version does. What was
        // delivered is kept where it took effect: the consumers' inboxes and the audit trail. Nothing reads the answer:
        // it travels with the commit.
        await sendWithNextStatement(() => executePrepared(tx, `DELETE FROM ${this.table} WHERE id = ANY($1::uuid[])`, [uuidArray(ids)]));
      }
      const failed = rows[delivered];
      if (error && failed) {
        // Back off exponentially (capped at a minute); the row stays unpublished. The rows after it go out on the next pass.
        const delayMs = Math.min(60_000, 250 * 2 ** Math.min(failed.attempts, 8));
        await tx.execute(`UPDATE ${this.table} SET attempts = attempts + 1, next_attempt_at = now() + (? || ' milliseconds')::interval WHERE id = ?`, [
          String(delayMs),
          failed.id,
        ]);
        log.warn({ err: error, eventId: failed.id, type: failed.type, attempts: failed.attempts + 1 }, 'publish failed; will retry');
      }
      return delivered;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.idle;
  }
}

export interface ConsumedEvent<T> extends EventEnvelope<T> {}

/**
 * Handles one event type. `many`, when a handler has it, takes every event of
 * its type in a batch at once (or each run of them, with `consecutive`), in their order, where the first of them stands,
 * with the same effects as one call per event: for handlers whose work per call
 * is mostly round trips (a lock, a read of the head, an insert), done once.
 * Only for a type whose effects the consumer's other handlers do not read or
 * write, since the events of other types between them are handled after it.
 */
// biome-ignore lint/suspicious/noExplicitAny: handlers narrow the payload themselves
export interface ConsumerHandler<T = any> {
  (em: EntityManager, event: EventEnvelope<T>): Promise<void>;
  many?: (em: EntityManager, events: readonly EventEnvelope<T>[]) => Promise<void>;
  /**
   * `many` takes only events of its type that follow one another in the batch, so the batch's order holds
   * across types: for a type whose effects the consumer's other handlers read or write.
   */
  consecutive?: boolean;
}

export type ConsumerHandlers = Record<string, ConsumerHandler>;

/** A handler that takes all its events of a batch at once (see ConsumerHandler.many); one event alone is a batch of one. */
export function handlerWithBatch<T>(
  many: (em: EntityManager, events: readonly EventEnvelope<T>[]) => Promise<void>,
  opts: { consecutive?: boolean } = {},
): ConsumerHandler<T> {
  const one = (em: EntityManager, event: EventEnvelope<T>) => many(em, [event]);
  return Object.assign(one, { many, consecutive: opts.consecutive ?? false });
}

/**
 * An idempotent consumer: each event is handled at most once per consumer
 * name, because the inbox row and the handler's effects commit together.
 * Events of other types are ignored (and acknowledged). `batch` handles
 * several events in one transaction (one commit instead of one per event),
 * each handler flushed and given a clean identity map, as if alone.
 */
export function idempotentConsumer(
  orm: MikroORM,
  consumer: string,
  handlers: ConsumerHandlers,
  opts: {
    /** Commit without waiting for the WAL flush: only when a lost commit means redelivery (the in-process bus; see commitLazily). */
    lazyCommit?: boolean;
  } = {},
): EventHandler {
  // Records events in the inbox, one or a batch; returns the ids that were new (prepared: it runs for every delivery).
  const remember = `INSERT INTO ${schemaTable(orm, 'processed_events')} (consumer, event_id) SELECT $1, unnest($2::uuid[])
    ON CONFLICT DO NOTHING RETURNING event_id`;
  const handle = async (event: EventEnvelope): Promise<void> => {
    const handler = handlers[event.type];
    if (!handler) return;
    await orm.em.fork().transactional(async (em) => {
      if (opts.lazyCommit) await commitLazily(em);
      const inserted = await executePrepared<{ event_id: string }>(em, remember, [consumer, uuidArray([event.id])]);
      if (inserted.length === 0) return; // already handled: a redelivery
      await handler(em, event);
      // What the handler left to flush reaches PostgreSQL with the commit.
      await holdWritesUntilCommit(() => em.flush());
    });
  };
  handle.batch = async (events: readonly EventEnvelope[]): Promise<void> => {
    const relevant = events.filter((e) => handlers[e.type]);
    if (relevant.length === 0) return;
    if (relevant.length === 1) return handle(relevant[0]!);
    await orm.em.fork().transactional(async (em) => {
      if (opts.lazyCommit) await commitLazily(em);
      const inserted = await executePrepared<{ event_id: string }>(em, remember, [consumer, uuidArray(relevant.map((e) => e.id))]);
      const fresh = new Set(inserted.map((r) => r.event_id));
      // Each fresh event once (a batch may hold the same event twice); the others were handled before: redeliveries.
      const todo = relevant.filter((e) => fresh.delete(e.id));
      const takenAtOnce = new Set<string>();
      for (let i = 0; i < todo.length; i++) {
        const event = todo[i]!;
        const handler = handlers[event.type]!;
        if (!handler.many) await handler(em, event);
        else if (handler.consecutive) {
          let end = i + 1;
          while (end < todo.length && todo[end]!.type === event.type) end++;
          await handler.many(em, todo.slice(i, end));
          i = end - 1;
        } else if (takenAtOnce.has(event.type)) continue;
        else {
          takenAtOnce.add(event.type);
          await handler.many(
            em,
            todo.filter((e) => e.type === event.type),
          );
        }
        // Held until the next statement (the next handler's first, or the commit): pg runs them in order, so it reads them.
        await holdWritesUntilCommit(() => em.flush());
        em.clear();
      }
    });
  };
  return handle;
}
