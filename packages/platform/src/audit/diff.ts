import { MASK, maskedKeyMatcher, maskPii } from './pii.js';

export type AuditChangeKind = 'ADDED' | 'REMOVED' | 'CHANGED';

/** One difference between an old and a new value. `path` is like `loan.amount` or `conditions[1].type` ('' for the value itself). */
export interface AuditChange {
  path: string;
  kind: AuditChangeKind;
  /** Absent when ADDED. */
  from?: unknown;
  /** Absent when REMOVED. */
  to?: unknown;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

/** Dates compare (and are recorded) as ISO strings; everything else as JSON would carry it. */
const normalise = (v: unknown): unknown => (v instanceof Date ? v.toISOString() : v);

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/**
 * The differences between two JSON-like values, in a stable order (keys
 * sorted). Objects are compared key by key, arrays index by index (an element
 * appended is ADDED at its index); a key added or removed is one entry holding
 * its whole value; a value whose type changes (object → string, array → null)
 * is one CHANGED entry at that path. An absent key and an `undefined` one are
 * the same; `null` is a value. A creation (old null) or deletion (new null) of
 * an object lists its keys as ADDED or REMOVED.
 */
export function diffValues(oldValue: unknown, newValue: unknown): AuditChange[] {
  const changes: AuditChange[] = [];
  const a = normalise(oldValue);
  const b = normalise(newValue);
  walk(a == null && isPlainObject(b) ? {} : a, b == null && isPlainObject(a) ? {} : b, '', changes);
  return changes;
}

function walk(a: unknown, b: unknown, path: string, out: AuditChange[]): void {
  if (a === undefined && b === undefined) return;
  if (a === undefined) {
    out.push({ path, kind: 'ADDED', to: b });
    return;
  }
  if (b === undefined) {
    out.push({ path, kind: 'REMOVED', from: a });
    return;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) walk(normalise(a[k]), normalise(b[k]), join(path, k), out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) walk(normalise(a[i]), normalise(b[i]), `${path}[${i}]`, out);
    return;
  }
  if (!Object.is(a, b) && !(a === 0 && b === 0)) out.push({ path, kind: 'CHANGED', from: a, to: b });
}

/**
 * The diff as it may be recorded: a change under a masked key (at any segment
 * of its path) keeps its kind and path, so "the email changed" stays visible,
 * but both values read MASK; other values are masked inside.
 */
export function maskChanges(changes: AuditChange[], extraFields: readonly string[] = []): AuditChange[] {
  const isMasked = maskedKeyMatcher(extraFields);
  return changes.map((c) => {
    const sensitive = c.path.split(/[.[\]]/).some((segment) => segment !== '' && isMasked(segment));
    const mask = (v: unknown) => (sensitive ? (v == null ? v : MASK) : maskPii(v, extraFields));
    return {
      path: c.path,
      kind: c.kind,
      ...('from' in c ? { from: mask(c.from) } : {}),
      ...('to' in c ? { to: mask(c.to) } : {}),
    };
  });
}
