import { Queue, Worker } from 'bullmq';
import { createLogger } from '../logging/logger.js';
import { runAsBackground } from '../process/background-work.js';

const log = createLogger('scheduler');

export type JobFn = () => Promise<void>;

/**
 * Repeating background work (SLA watcher, auto-assign, drift checks). In the
 * embedded default a timer runs it; with Redis a BullMQ repeatable job does,
 * so that with many processes each tick runs once, somewhere.
 */
export interface Scheduler {
  every(name: string, intervalMs: number, fn: JobFn): Promise<void>;
  stop(): Promise<void>;
}

export class TimerScheduler implements Scheduler {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  async every(name: string, intervalMs: number, fn: JobFn): Promise<void> {
    let busy = false;
    const t = setInterval(() => {
      if (busy) return; // never overlap a slow tick with the next
      busy = true;
      const p = runAsBackground(fn)
        .catch((err) => log.error({ err, job: name }, 'job failed'))
        .finally(() => {
          busy = false;
          this.inFlight.delete(p);
        });
      this.inFlight.add(p);
    }, intervalMs);
    t.unref();
    this.timers.push(t);
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await Promise.all(this.inFlight);
  }
}

export class BullScheduler implements Scheduler {
  private readonly queues: Queue[] = [];
  private readonly workers: Worker[] = [];

  constructor(
    private readonly redisUrl: string,
    private readonly prefix: string,
  ) {}

  async every(name: string, intervalMs: number, fn: JobFn): Promise<void> {
    const connection = { url: this.redisUrl, maxRetriesPerRequest: null };
    const queueName = `${this.prefix}-${name}`;
    const queue = new Queue(queueName, { connection });
    await queue.upsertJobScheduler(name, { every: intervalMs }, { name, opts: { removeOnComplete: 100, removeOnFail: 100 } });
    const worker = new Worker(queueName, async () => runAsBackground(fn), { connection, concurrency: 1 });
    worker.on('failed', (_job, err) => log.error({ err, job: name }, 'job failed'));
    this.queues.push(queue);
    this.workers.push(worker);
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all(this.queues.map((q) => q.close()));
  }
}

export function createScheduler(redisUrl: string | undefined, prefix: string): Scheduler {
  return redisUrl ? new BullScheduler(redisUrl, prefix) : new TimerScheduler();
}
