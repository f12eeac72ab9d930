import { describe, expect, it } from 'vitest';
import { canonicalJson, type ChainedEntry, entryHash, GENESIS_HASH, startVerification, type StoredEntry, verifyEntries } from './audit-chain.js';

const entry = (seq: number, patch: Partial<ChainedEntry> = {}): ChainedEntry => ({
  tenantId: 't-1',
  seq,
  eventId: `e-${seq}`,
  source: 'applications',
  entityType: 'Application',
  entityId: 'a-1',
  action: 'STATUS_CHANGED',
  actorKind: 'user',
  actorId: 'u-1',
  occurredAt: `2025-03-01T10:00:0${seq % 10}.000Z`,
  oldValue: { status: 'PENDING' },
  newValue: { status: 'SCORING' },
  changes: [{ path: 'status', kind: 'CHANGED', from: 'PENDING', to: 'SCORING' }],
  ...patch,
});

function chain(n: number): StoredEntry[] {
  const out: StoredEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const e = entry(seq);
    const hash = entryHash(prev, e);
    out.push({ ...e, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: null }], c: 'x' }, u: undefined })).toBe('{"a":{"c":"x","d":[1,{"y":null,"z":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson(new Date('2025-01-01T00:00:00Z'))).toBe('"2025-01-01T00:00:00.000Z"');
    expect(canonicalJson('é"\n')).toBe(JSON.stringify('é"\n'));
  });
});

describe('entryHash', () => {
  it('is a sha256 hex digest that depends on the previous hash and on every field', () => {
    const h = entryHash(GENESIS_HASH, entry(1));
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash(GENESIS_HASH, entry(1))).toBe(h);
    expect(entryHash('1'.repeat(64), entry(1))).not.toBe(h);
    expect(entryHash(GENESIS_HASH, entry(1, { newValue: { status: 'REVIEW' } }))).not.toBe(h);
    expect(entryHash(GENESIS_HASH, entry(1, { actorId: 'u-2' }))).not.toBe(h);
    expect(entryHash(GENESIS_HASH, entry(1, { tenantId: 't-2' }))).not.toBe(h);
  });
});

describe('verifyEntries', () => {
  it('accepts an intact chain, fed in one page or several', () => {
    const entries = chain(5);
    expect(verifyEntries(startVerification(), entries)).toMatchObject({ entriesChecked: 5, firstBrokenSeq: null, expectedSeq: 6 });
    const paged = verifyEntries(verifyEntries(startVerification(), entries.slice(0, 2)), entries.slice(2));
    expect(paged).toMatchObject({ entriesChecked: 5, firstBrokenSeq: null });
    expect(verifyEntries(startVerification(), [])).toMatchObject({ entriesChecked: 0, firstBrokenSeq: null });
  });

  it('finds an edited value at its seq, and keeps counting after it', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2], newValue: { status: 'APPROVED' } };
    expect(verifyEntries(startVerification(), entries)).toMatchObject({ entriesChecked: 5, firstBrokenSeq: 3 });
  });

  it('finds a re-hashed edit at the next entry (its back link no longer matches)', () => {
    const entries = chain(5);
    const edited = { ...entries[1], actorId: 'someone-else' };
    entries[1] = { ...edited, hash: entryHash(edited.prevHash, edited) };
    expect(verifyEntries(startVerification(), entries).firstBrokenSeq).toBe(3);
  });

  it('finds a deleted entry at the missing seq, and a swapped pair at the first of them', () => {
    const entries = chain(5);
    expect(verifyEntries(startVerification(), [...entries.slice(0, 3), ...entries.slice(4)]).firstBrokenSeq).toBe(4);
    expect(verifyEntries(startVerification(), entries.slice(1)).firstBrokenSeq).toBe(1);
    const swapped = [entries[0], entries[2], entries[1], entries[3]];
    expect(verifyEntries(startVerification(), swapped).firstBrokenSeq).toBe(2);
  });
});
