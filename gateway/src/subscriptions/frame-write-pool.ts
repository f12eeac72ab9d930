import { writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { createLogger } from '@tandem/platform';
import { fanoutFramesWritten } from './subscription-metrics.js';
import { writeTextFrameHeader } from './ws-frames.js';

const log = createLogger('subscriptions');

/**
 * A socket a frame can be written to straight through its file descriptor,
 * and so from any thread (see ws-frames.ts, `directWriteTarget`).
 */
export interface DirectTarget {
  /** The socket's descriptor while nothing is queued for it (in ws, node's stream or libuv) and it is open; -1 otherwise. */
  fd(): number;
  /** Queues bytes on the socket behind anything already queued: a frame's unwritten rest. */
  writeQueued(bytes: Buffer): void;
}

/** Where a frame goes when it cannot be written straight: the connection's own ordered path. */
export interface FrameFallback {
  send(head: Buffer, tail: Buffer): void;
}

// Layout of the control words shared with the helper thread.
const STATE = 0; // IDLE, POSTED (a batch is open for the helper), WORKING (the helper is on it), STOP
const NEXT = 1; // the next batch entry to take: both threads take entries with Atomics.add
const COUNT = 2; // entries added to the open batch so far
const SEALED = 3; // 1 once the batch takes no more entries
const WAITING = 4; // 1 while the helper waits for entries to be added
const IDLE = 0;
const POSTED = 1;
const WORKING = 2;
const STOP = 3;
const CONTROL_WORDS = 5;

/** A batch holds at most this many frames and bytes; a fan-out slice that needs more writes several batches. */
const MAX_ENTRIES = 2048;
const SLAB_BYTES = 1 << 20;
/** Frames larger than this go the connection's ordered path (they would crowd the slab). */
const MAX_DIRECT_FRAME = 64 * 1024;
/** If the helper has not finished a batch in this long it is taken to be broken (a non-blocking write never takes this long). */
const HELPER_STUCK_MS = 5_000;

/** Written results: bytes written, 0 when the socket would block, FAILED for any other error (the socket is going away). */
const FAILED = -1;
const UNTRIED = -2;

/*
 * The helper thread: while a batch is open, takes its entries as they are
 * added and writes each frame to its descriptor, until the batch is sealed
 * and no entry is left. Plain JavaScript (CommonJS) evaluated in the worker,
 * so the same code runs from dist and under vitest.
 */
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const control = new Int32Array(workerData.control);
const fds = new Int32Array(workerData.fds);
const offsets = new Int32Array(workerData.offsets);
const lengths = new Int32Array(workerData.lengths);
const results = new Int32Array(workerData.results);
const slab = Buffer.from(workerData.slab);
for (;;) {
  Atomics.wait(control, ${STATE}, ${IDLE});
  const state = Atomics.compareExchange(control, ${STATE}, ${POSTED}, ${WORKING});
  if (state === ${STOP}) break;
  if (state !== ${POSTED}) continue; // taken back by the posting thread before this one woke
  for (;;) {
    const i = Atomics.add(control, ${NEXT}, 1);
    // Entry i may not be added yet: wait for it, unless the batch is sealed without it.
    let count = Atomics.load(control, ${COUNT});
    while (i >= count && Atomics.load(control, ${SEALED}) === 0) {
      Atomics.store(control, ${WAITING}, 1);
      if (Atomics.load(control, ${COUNT}) === count && Atomics.load(control, ${SEALED}) === 0) Atomics.wait(control, ${COUNT}, count, 5);
      Atomics.store(control, ${WAITING}, 0);
      count = Atomics.load(control, ${COUNT});
    }
    if (i >= Atomics.load(control, ${COUNT})) break;
    try {
      results[i] = writeSync(fds[i], slab, offsets[i], lengths[i]);
    } catch (err) {
      results[i] = err && err.code === 'EAGAIN' ? 0 : ${FAILED};
    }
  }
  Atomics.store(control, ${STATE}, ${IDLE});
  Atomics.notify(control, ${STATE});
}
`;

/**
 * Writes a fan-out's frames to their sockets with two threads at once.
 *
 * Why: a fan-out to thousands of sockets is one small write(2) each, and on
 * loopback (and on any busy server) each costs 8–14 µs of kernel time: for
 * 5,000 subscribers, tens of milliseconds on the event loop's thread while
 * the other core idles. A frame written straight to the socket's descriptor
 * needs no event loop, so a helper thread can take part of them: it writes
 * frames as soon as they are added, while the event loop's thread frames the
 * rest, then both write what is left.
 *
 * Why it is safe: a descriptor is only reused after libuv closes its socket,
 * and libuv closes sockets on the event loop's thread, which is busy filling
 * the batch and then waits in `flush()` until the helper is done with it; so
 * every descriptor in a batch belongs to the socket it was taken from until
 * the batch is written. A frame only goes direct when nothing is queued for
 * its socket and a socket appears at most once per batch, so frames keep
 * their order; what a full socket did not take is queued on its stream, in
 * order, before anything else is written to it.
 */
export class FrameWritePool {
  private readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  private readonly fds = new Int32Array(new SharedArrayBuffer(MAX_ENTRIES * 4));
  private readonly offsets = new Int32Array(new SharedArrayBuffer(MAX_ENTRIES * 4));
  private readonly lengths = new Int32Array(new SharedArrayBuffer(MAX_ENTRIES * 4));
  private readonly results = new Int32Array(new SharedArrayBuffer(MAX_ENTRIES * 4));
  private readonly slab = Buffer.from(new SharedArrayBuffer(SLAB_BYTES));
  private helper?: Worker;
  private batch?: FrameBatch;
  /** Whether the open batch was offered to the helper. */
  private posted = false;
  /** Frames written by each thread since start (how much of the fan-outs the helper takes); also a metric. */
  readonly written = { caller: 0, helper: 0 };
  private readonly metric = { caller: fanoutFramesWritten.labels('event-loop'), helper: fanoutFramesWritten.labels('helper') };

  constructor(options: { helperThread: boolean }) {
    if (options.helperThread) this.startHelper();
  }

  private startHelper(): void {
    const helper = new Worker(HELPER_SOURCE, {
      eval: true,
      workerData: {
        control: this.control.buffer,
        fds: this.fds.buffer,
        offsets: this.offsets.buffer,
        lengths: this.lengths.buffer,
        results: this.results.buffer,
        slab: this.slab.buffer,
      },
      // Its own small heap: it holds no objects, only the shared buffers.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    });
    helper.unref();
    helper.on('error', (err) => {
      log.error({ err }, 'the fan-out write helper failed; writing on one thread');
      if (this.helper === helper) this.helper = undefined;
    });
    helper.on('exit', () => {
      if (this.helper === helper) this.helper = undefined;
    });
    this.helper = helper;
  }

  /** The batch to fill for one slice of a fan-out; `flush()` writes it. One at a time. */
  begin(): FrameBatch {
    this.batch ??= new FrameBatch(this);
    return this.batch;
  }

  async close(): Promise<void> {
    const helper = this.helper;
    this.helper = undefined;
    if (!helper) return;
    Atomics.store(this.control, STATE, STOP);
    Atomics.notify(this.control, STATE);
    await helper.terminate();
  }

  /** @internal Entry `i` is ready (FrameBatch wrote its arrays): the helper may take it. The first one opens the batch to the helper. */
  published(i: number): void {
    const { control } = this;
    this.results[i] = UNTRIED;
    if (i === 0) {
      Atomics.store(control, NEXT, 0);
      Atomics.store(control, SEALED, 0);
      Atomics.store(control, COUNT, 1);
      this.posted = this.helper !== undefined;
      if (this.posted) {
        Atomics.store(control, STATE, POSTED);
        Atomics.notify(control, STATE, 1);
      }
      return;
    }
    Atomics.store(control, COUNT, i + 1);
    if (Atomics.load(control, WAITING) === 1) Atomics.notify(control, COUNT, 1);
  }

  /** @internal Seals the open batch of `count` entries, writes what the helper has not taken, and returns once every entry is written. */
  finish(count: number): void {
    const { control, results } = this;
    Atomics.store(control, SEALED, 1);
    if (Atomics.load(control, WAITING) === 1) Atomics.notify(control, COUNT, 1);
    let mine = 0;
    for (let i = Atomics.add(control, NEXT, 1); i < count; i = Atomics.add(control, NEXT, 1)) {
      results[i] = this.writeOne(i);
      mine++;
    }
    this.written.caller += mine;
    this.metric.caller.inc(mine);
    if (!this.posted) return;
    this.posted = false;
    // The helper never woke for this batch: take it back. Otherwise wait for its last write.
    if (Atomics.compareExchange(control, STATE, POSTED, IDLE) === POSTED) return;
    const deadline = Date.now() + HELPER_STUCK_MS;
    while (Atomics.load(control, STATE) === WORKING) {
      if (Date.now() > deadline) {
        log.error('the fan-out write helper stopped answering; writing on one thread');
        const helper = this.helper;
        this.helper = undefined;
        void helper?.terminate();
        break;
      }
      Atomics.wait(control, STATE, WORKING, 100);
    }
    this.written.helper += count - mine;
    this.metric.helper.inc(count - mine);
  }

  private writeOne(i: number): number {
    try {
      return writeSync(this.fds[i]!, this.slab, this.offsets[i]!, this.lengths[i]!);
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EAGAIN' ? 0 : FAILED;
    }
  }

  /** @internal FrameBatch's view of the shared arrays. */
  get arrays() {
    return { fds: this.fds, offsets: this.offsets, lengths: this.lengths, results: this.results, slab: this.slab };
  }
}

/**
 * One batch of frames: each added frame is written by `flush()` straight to
 * its socket, or, when it cannot go direct, through its connection in order.
 */
export class FrameBatch {
  private count = 0;
  private used = 0;
  private readonly targets: DirectTarget[] = [];
  private readonly inBatch = new Set<number>();
  /** Frames for a socket already in the batch: sent through the connection once the batch is written. */
  private readonly after: [FrameFallback, Buffer, Buffer][] = [];

  /** The pool's shared arrays, read once (add runs once per subscriber per event). */
  private readonly arrays: FrameWritePool['arrays'];

  constructor(private readonly pool: FrameWritePool) {
    this.arrays = pool.arrays;
  }

  /**
   * Takes one text frame (`head` then `tail`) for the socket behind `target` when the socket can be written
   * directly: in this batch, or, when the batch already holds a frame for it, through `fallback` right after.
   * False, taking nothing, when something is queued for the socket (or it is closing, or encrypted, or the frame
   * is large): its own path keeps the order.
   */
  add(target: DirectTarget, fallback: FrameFallback, head: Buffer, tail: Buffer): boolean {
    const length = head.length + tail.length;
    const fd = length <= MAX_DIRECT_FRAME ? target.fd() : -1;
    if (fd < 0) return false;
    if (this.inBatch.has(fd)) {
      this.after.push([fallback, head, tail]);
      return true;
    }
    // At most MAX_DIRECT_FRAME bytes: a header of 2 or 4.
    if (this.count === MAX_ENTRIES || this.used + 4 + length > SLAB_BYTES) this.flush();
    const { fds, offsets, lengths, slab } = this.arrays;
    const at = this.used;
    const headerLength = writeTextFrameHeader(slab, at, length);
    head.copy(slab, at + headerLength);
    tail.copy(slab, at + headerLength + head.length);
    const i = this.count++;
    fds[i] = fd;
    offsets[i] = at;
    lengths[i] = headerLength + length;
    this.targets[i] = target;
    this.used = at + headerLength + length;
    this.inBatch.add(fd);
    this.pool.published(i);
    return true;
  }

  /** Writes every frame added; what a socket did not take (it was full) is queued on it, then the deferred frames follow. */
  flush(): void {
    const count = this.count;
    if (count > 0) {
      this.pool.finish(count);
      const { offsets, lengths, results, slab } = this.arrays;
      for (let i = 0; i < count; i++) {
        const written = results[i]!;
        const length = lengths[i]!;
        // FAILED: the socket is broken; libuv sees it on its next read or write and closes it.
        if (written === length || written === FAILED) continue;
        const from = Math.max(written, 0);
        // Copied out: the slab is written over by the next batch.
        this.targets[i]!.writeQueued(Buffer.from(slab.subarray(offsets[i]! + from, offsets[i]! + length)));
      }
      this.count = 0;
      this.used = 0;
      this.targets.length = 0;
      this.inBatch.clear();
    }
    if (this.after.length) {
      const after = this.after.splice(0);
      for (const [fallback, head, tail] of after) fallback.send(head, tail);
    }
  }
}
