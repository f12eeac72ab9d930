import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { createLogger } from '../logging/logger.js';
import { runAsBackground } from '../process/background-work.js';
import type { BatchDelivery, EventBus, EventHandler, EventListener, Unsubscribe } from './event-bus.js';
import type { EventEnvelope } from './event-envelope.js';

const log = createLogger('redis-bus');

const STREAM = 'tandem:events';
// Keep about a day of a busy lender's traffic; consumers ack long before that.
const MAX_LEN = 500_000;
// A delivery not acked for this long is taken over by another group member.
const RECLAIM_IDLE_MS = 30_000;

/**
 * Redis Streams: one stream, one consumer group per consuming service
 * (competing members, at-least-once via XACK and XAUTOCLAIM), and plain
 * XREAD from the tail for listeners (every gateway process sees everything).
 */
export class RedisStreamBus implements EventBus {
  readonly kind = 'redis' as const;
  private readonly publisher: Redis;
  private readonly readers = new Set<Redis>();
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly stream = STREAM,
  ) {
    this.publisher = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
  }

  async publish(event: EventEnvelope<object>): Promise<void> {
    await this.publisher.xadd(this.stream, 'MAXLEN', '~', String(MAX_LEN), '*', 'e', JSON.stringify(event));
  }

  /** One round trip for the batch (a pipeline keeps the order); the delivered prefix ends at the first refused XADD. */
  async publishBatch(events: readonly EventEnvelope[]): Promise<BatchDelivery> {
    const pipeline = this.publisher.pipeline();
    for (const event of events) pipeline.xadd(this.stream, 'MAXLEN', '~', String(MAX_LEN), '*', 'e', JSON.stringify(event));
    let replies: [Error | null, unknown][] | null;
    try {
      replies = await pipeline.exec();
    } catch (error) {
      return { delivered: 0, error };
    }
    if (!replies || replies.length < events.length) return { delivered: 0, error: new Error('Redis answered no XADD replies') };
    const failed = replies.findIndex(([err]) => err);
    return failed < 0 ? { delivered: events.length } : { delivered: failed, error: replies[failed]![0] };
  }

  consume(group: string, handler: EventHandler): Unsubscribe {
    const reader = this.newReader();
    const consumer = `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    let running = true;
    // The event being handled, which unsubscribing waits for (the rest of a read stays pending: reclaimed later).
    let handling: Promise<void> = Promise.resolve();
    const handleWhileRunning = async (entries: [string, string[]][]) => {
      for (const [id, fields] of entries) {
        if (!running || this.closed) return;
        handling = this.handle(reader, group, id, fields, handler);
        await handling;
      }
    };
    const loop = async () => {
      try {
        await reader.xgroup('CREATE', this.stream, group, '0', 'MKSTREAM');
      } catch (err) {
        if (!String(err).includes('BUSYGROUP')) throw err;
      }
      // First our own unacked deliveries (we died mid-way last time), then new ones.
      let cursor: '0' | '>' = '0';
      let lastReclaim = 0;
      while (running && !this.closed) {
        try {
          if (Date.now() - lastReclaim > RECLAIM_IDLE_MS / 2) {
            lastReclaim = Date.now();
            const claimed = (await reader.xautoclaim(this.stream, group, consumer, RECLAIM_IDLE_MS, '0-0', 'COUNT', 100)) as [string, [string, string[]][]];
            await handleWhileRunning(claimed[1] ?? []);
          }
          const res = (await reader.xreadgroup('GROUP', group, consumer, 'COUNT', 100, 'BLOCK', 1000, 'STREAMS', this.stream, cursor)) as
            | [string, [string, string[]][]][]
            | null;
          const entries = res?.[0]?.[1] ?? [];
          if (cursor === '0' && entries.length === 0) cursor = '>';
          await handleWhileRunning(entries);
        } catch (err) {
          if (!running || this.closed) break;
          log.error({ err, group }, 'consumer loop error; retrying');
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    };
    void runAsBackground(loop);
    return async () => {
      running = false;
      await handling.catch(() => undefined);
      this.readers.delete(reader);
      reader.disconnect();
    };
  }

  private async handle(reader: Redis, group: string, id: string, fields: string[], handler: EventHandler) {
    const raw = fields?.[1];
    if (!raw) {
      await reader.xack(this.stream, group, id);
      return;
    }
    const event = JSON.parse(raw) as EventEnvelope;
    try {
      await handler(event);
      await reader.xack(this.stream, group, id);
    } catch (err) {
      // Left pending: XAUTOCLAIM hands it out again after RECLAIM_IDLE_MS.
      log.warn({ err, group, eventId: event.id, type: event.type }, 'consumer failed; will be redelivered');
    }
  }

  listen(listener: EventListener): Unsubscribe {
    const reader = this.newReader();
    let running = true;
    const loop = async () => {
      let last = '$';
      while (running && !this.closed) {
        try {
          const res = (await reader.xread('COUNT', 500, 'BLOCK', 1000, 'STREAMS', this.stream, last)) as [string, [string, string[]][]][] | null;
          for (const [id, fields] of res?.[0]?.[1] ?? []) {
            last = id;
            try {
              listener(JSON.parse(fields[1]) as EventEnvelope);
            } catch (err) {
              log.error({ err }, 'listener threw');
            }
          }
        } catch (err) {
          if (!running || this.closed) break;
          log.error({ err }, 'listen loop error; retrying');
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    };
    void loop();
    return async () => {
      running = false;
      this.readers.delete(reader);
      reader.disconnect();
    };
  }

  private newReader(): Redis {
    // Blocking reads need their own connection each.
    const r = new Redis(this.url, { maxRetriesPerRequest: null });
    this.readers.add(r);
    return r;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const r of this.readers) r.disconnect();
    this.readers.clear();
    await this.publisher.quit().catch(() => undefined);
  }
}
