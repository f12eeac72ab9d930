/**
 * Whole responses to the workbench's hot reads, per caller, kept until
 * anything in the caller's tenant changes. Every event of a tenant (which
 * every committed change produces, through the outbox) and every mutation of
 * that tenant through this gateway moves the tenant's generation on; an entry
 * answers only while its tenant is still at the generation its request
 * started in, so a response never outlives a change it could have missed.
 * maxAgeMs bounds what only the clock changes (an SLA state computed from now).
 */
export interface ResponseCacheOptions {
  /** Entries kept at most (least recently used go first). */
  maxEntries: number;
  /** Serialised size of all entries at most. */
  maxBytes: number;
  /** An entry older than this is a miss whatever the generation; 0 turns the cache off. */
  maxAgeMs: number;
}

/**
 * The serialised form of each cached result, found by its data object (which
 * Apollo passes on untouched): a hit is written out without serialising the
 * same page again (the largest cost of a hit otherwise).
 */
const serialised = new WeakMap<object, string>();

/** Apollo's stringifyResult: a cached result's stored text, or JSON as Apollo writes it. */
export function stringifyResult(result: { data?: unknown; errors?: unknown; extensions?: unknown }): string {
  const text =
    result.errors === undefined && result.extensions === undefined && typeof result.data === 'object' && result.data ? serialised.get(result.data) : undefined;
  return text ?? `${JSON.stringify(result)}\n`;
}

interface Entry {
  tenantId: string;
  generation: number;
  storedAt: number;
  bytes: number;
  value: unknown;
  text: string;
}

/** What the cache holds now (hits, misses and stores go to onCount as they happen). */
export interface ResponseCacheStats {
  entries: number;
  bytes: number;
}

export class ResponseCache {
  // Map order is the recency order: a hit moves its entry to the end.
  private readonly entries = new Map<string, Entry>();
  private readonly generations = new Map<string, number>();
  private bytes = 0;

  constructor(
    private readonly options: ResponseCacheOptions,
    private readonly now: () => number = Date.now,
    /** Told of every hit, miss and store (the gateway counts them on /metrics). */
    private readonly onCount: (result: 'hit' | 'miss' | 'stored') => void = () => {},
  ) {}

  get enabled(): boolean {
    return this.options.maxAgeMs > 0 && this.options.maxEntries > 0 && this.options.maxBytes > 0;
  }

  /** The tenant's generation now: take it before executing, hand it to set() after. */
  generation(tenantId: string): number {
    return this.generations.get(tenantId) ?? 0;
  }

  /** Something in the tenant changed: every entry of it stops answering. */
  invalidateTenant(tenantId: string): void {
    this.generations.set(tenantId, this.generation(tenantId) + 1);
  }

  get(key: string, tenantId: string): unknown {
    return this.find(key, tenantId, true)?.value;
  }

  /** The stored text of a live entry (a hit), or undefined without counting a miss: the caller goes on to the full path, which counts it. */
  peekText(key: string, tenantId: string): string | undefined {
    return this.find(key, tenantId, false)?.text;
  }

  private find(key: string, tenantId: string, countMiss: boolean): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.tenantId !== tenantId || entry.generation !== this.generation(tenantId) || this.now() - entry.storedAt > this.options.maxAgeMs) {
      if (entry) this.remove(key, entry);
      if (countMiss) this.onCount('miss');
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.onCount('hit');
    return entry;
  }

  /**
   * Keeps `value` unless the tenant changed while it was being computed
   * (`generation` is what generation() said before execution began).
   */
  set(key: string, tenantId: string, generation: number, value: { data?: unknown }, text: string): boolean {
    const bytes = text.length;
    if (!this.enabled || generation !== this.generation(tenantId) || bytes > this.options.maxBytes) return false;
    if (typeof value.data === 'object' && value.data) serialised.set(value.data, text);
    const previous = this.entries.get(key);
    if (previous) this.remove(key, previous);
    this.entries.set(key, { tenantId, generation, storedAt: this.now(), bytes, value, text });
    this.bytes += bytes;
    for (const [oldKey, oldest] of this.entries) {
      if (this.entries.size <= this.options.maxEntries && this.bytes <= this.options.maxBytes) break;
      this.remove(oldKey, oldest);
    }
    this.onCount('stored');
    return true;
  }

  stats(): ResponseCacheStats {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}
