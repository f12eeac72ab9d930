/**
 * Where the fan-out bench keeps the frames it reads while events run, to
 * parse them afterwards: their bytes copied end to end into large buffers
 * (off the JS heap), and the time read and the reading client in typed
 * arrays. Nothing per frame is a JS object, so half a million frames add
 * no garbage-collector work to the measuring process: kept as a Buffer and
 * an object each, its heap grew by ~140 MB and its mark-compact pauses
 * (10–20 ms, every few seconds) landed in the middle of events, read as
 * delivery latency.
 */
export class FrameStore {
  private readonly chunks: Buffer[] = [];
  private chunk: Buffer;
  private chunkIndex = 0;
  private used = 0;
  private readonly chunkOf: Uint16Array;
  private readonly offset: Uint32Array;
  private readonly length: Uint32Array;
  private readonly client: Uint32Array;
  private readonly at: Float64Array;
  private count = 0;

  /**
   * `frames`: the most this store takes (more are counted as dropped); `expectedBytes`: what to allocate at
   * once, before the measured window (a chunk more is added when it runs out).
   */
  constructor(
    readonly frames: number,
    expectedBytes: number,
    private readonly chunkBytes = 64 * 1024 * 1024,
  ) {
    this.chunkOf = new Uint16Array(frames);
    this.offset = new Uint32Array(frames);
    this.length = new Uint32Array(frames);
    this.client = new Uint32Array(frames);
    this.at = new Float64Array(frames);
    for (let allocated = 0; allocated < Math.max(1, expectedBytes); allocated += chunkBytes) this.chunks.push(Buffer.alloc(chunkBytes)); // zeroed: its pages are touched now, not on first copy during an event
    this.chunk = this.chunks[0];
  }

  dropped = 0;

  get size(): number {
    return this.count;
  }

  /** Copies `bytes` (the reader's shared buffer may be reused at once) with the time read and the reading client's number. */
  push(bytes: Buffer, at: number, client: number): void {
    if (this.count >= this.frames || bytes.length > this.chunkBytes) {
      this.dropped++;
      return;
    }
    if (this.used + bytes.length > this.chunk.length) {
      this.chunkIndex++;
      if (this.chunkIndex === this.chunks.length) this.chunks.push(Buffer.allocUnsafeSlow(this.chunkBytes));
      this.chunk = this.chunks[this.chunkIndex];
      this.used = 0;
    }
    const n = this.count++;
    this.chunkOf[n] = this.chunkIndex;
    this.offset[n] = this.used;
    this.length[n] = bytes.length;
    this.client[n] = client;
    this.at[n] = at;
    bytes.copy(this.chunk, this.used);
    this.used += bytes.length;
  }

  /** Every frame in the order read; `bytes` is a view into the store, valid until `clear`. */
  forEach(visit: (bytes: Buffer, at: number, client: number) => void): void {
    for (let n = 0; n < this.count; n++) {
      const start = this.offset[n];
      visit(this.chunks[this.chunkOf[n]].subarray(start, start + this.length[n]), this.at[n], this.client[n]);
    }
  }

  clear(): void {
    this.count = 0;
    this.used = 0;
    this.chunkIndex = 0;
    this.chunk = this.chunks[0];
  }
}
