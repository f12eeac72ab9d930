import { createHash } from 'node:crypto';

/**
 * The audit trail's tamper evidence. Each tenant's entries form one chain:
 * entry n carries the hash of entry n-1, and its own hash is
 * sha256(prevHash || canonicalJson(entry)). Editing, inserting, deleting or
 * reordering any entry changes a hash that every later entry depends on, so
 * walking the chain from the start finds the first entry that was touched.
 */

/** The prevHash of a chain's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What is hashed: every stored fact of an entry, in JSON-safe form (times as ISO strings). */
export interface ChainedEntry {
  tenantId: string;
  seq: number;
  eventId: string;
  source: string;
  entityType: string;
  entityId: string;
  action: string;
  actorKind: string;
  actorId: string | null;
  occurredAt: string;
  oldValue: unknown;
  newValue: unknown;
  changes: unknown;
}

/**
 * JSON with object keys sorted at every level and no whitespace, so the same
 * data always hashes the same, whatever order PostgreSQL's jsonb hands keys
 * back in. `undefined` object members are dropped (as JSON.stringify does).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`);
  return `{${members.join(',')}}`;
}

/** Only the entry's own fields are hashed (a stored entry also carries its hashes). */
function content(e: ChainedEntry): ChainedEntry {
  return {
    tenantId: e.tenantId, seq: e.seq, eventId: e.eventId, source: e.source, entityType: e.entityType, entityId: e.entityId,
    action: e.action, actorKind: e.actorKind, actorId: e.actorId, occurredAt: e.occurredAt,
    oldValue: e.oldValue, newValue: e.newValue, changes: e.changes,
  };
}

export function entryHash(prevHash: string, entry: ChainedEntry): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(content(entry))).digest('hex');
}

export interface StoredEntry extends ChainedEntry {
  prevHash: string;
  hash: string;
}

/** Where a verification stands after the entries read so far; entries are fed in seq order, page by page. */
export interface ChainVerification {
  entriesChecked: number;
  /** The seq the next entry must have. */
  expectedSeq: number;
  /** The hash the next entry must point back to. */
  expectedPrevHash: string;
  /** The first seq at which the chain does not hold (an edited, inserted, missing or reordered entry). */
  firstBrokenSeq: number | null;
}

export const startVerification = (): ChainVerification => ({ entriesChecked: 0, expectedSeq: 1, expectedPrevHash: GENESIS_HASH, firstBrokenSeq: null });

/**
 * Checks the next entries of a chain. An entry holds when its seq is the next
 * one, it points to the previous entry's stored hash, and its stored hash is
 * the hash of its content. After the first break the chain is followed by
 * stored hashes, so later entries are still counted; only the first break is
 * reported. A missing entry breaks the chain at the missing seq.
 */
export function verifyEntries(state: ChainVerification, entries: StoredEntry[]): ChainVerification {
  let { entriesChecked, expectedSeq, expectedPrevHash, firstBrokenSeq } = state;
  for (const e of entries) {
    if (firstBrokenSeq === null) {
      if (e.seq !== expectedSeq) firstBrokenSeq = Math.min(e.seq, expectedSeq);
      else if (e.prevHash !== expectedPrevHash || e.hash !== entryHash(e.prevHash, e)) firstBrokenSeq = e.seq;
    }
    entriesChecked++;
    expectedSeq = e.seq + 1;
    expectedPrevHash = e.hash;
  }
  return { entriesChecked, expectedSeq, expectedPrevHash, firstBrokenSeq };
}
