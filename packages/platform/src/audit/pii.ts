/**
 * What never leaves a subgraph in clear: personal data (GDPR) and secrets.
 * One list, used by the logger (every log line) and by the audit trail (every
 * recorded value), matched by key name at any depth, case-insensitively.
 *
 * Bare `name` is not here: tenants, API clients, jobs and processes have names
 * too. Where a record's `name` is a person's (users), pass it as an extra field
 * (`maskPii(value, ['name'])`, `recordAudit(..., { piiFields: ['name'] })`).
 */
export const PII_FIELDS = [
  'email', 'phone', 'nationalId', 'firstName', 'lastName', 'middleName', 'fullName', 'dateOfBirth', 'address',
] as const;

/** Credentials: masked like PII, in logs and in the trail. */
export const SECRET_FIELDS = [
  'password', 'passwordHash', 'secret', 'secretHash', 'clientSecret', 'authorization', 'token', 'tokenHash',
  'accessToken', 'refreshToken',
] as const;

export const MASKED_FIELDS: readonly string[] = [...PII_FIELDS, ...SECRET_FIELDS];

/** What a masked value reads as. */
export const MASK = '[masked]';

const DEFAULT_KEYS = new Set(MASKED_FIELDS.map((f) => f.toLowerCase()));

/** A key matcher for the default list plus `extraFields`. */
export function maskedKeyMatcher(extraFields: readonly string[] = []): (key: string) => boolean {
  if (extraFields.length === 0) return (key) => DEFAULT_KEYS.has(key.toLowerCase());
  const keys = new Set([...DEFAULT_KEYS, ...extraFields.map((f) => f.toLowerCase())]);
  return (key) => keys.has(key.toLowerCase());
}

/** Values kept as they are: leaves, and objects whose own serialisation matters (errors for pino's serializer). */
function isOpaque(value: object): boolean {
  return value instanceof Date || value instanceof Error || value instanceof RegExp || ArrayBuffer.isView(value) || value instanceof ArrayBuffer;
}

/**
 * A copy of `value` with every masked key's value (at any depth, in objects
 * and arrays) replaced by MASK. Pure; returns `value` itself when nothing needed
 * masking, so logging an ordinary object allocates nothing. Null/undefined
 * values stay as they are (masking "no email" hides nothing and loses a fact).
 * Class instances (entities) come back as plain objects of their own
 * enumerable properties; cycles come back as '[circular]'.
 */
export function maskPii<T>(value: T, extraFields: readonly string[] = []): T {
  return maskWith(value, maskedKeyMatcher(extraFields), new WeakSet()) as T;
}

function maskWith(value: unknown, isMasked: (key: string) => boolean, seen: WeakSet<object>): unknown {
  if (value === null || typeof value !== 'object' || isOpaque(value)) return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      value.forEach((item, i) => {
        const masked = maskWith(item, isMasked, seen);
        if (masked !== item) {
          copy ??= value.slice();
          copy[i] = masked;
        }
      });
      return copy ?? value;
    }
    if (value instanceof Map || value instanceof Set) return value;
    let copy: Record<string, unknown> | undefined;
    const source = value as Record<string, unknown>;
    for (const key of Object.keys(source)) {
      const item = source[key];
      const masked = isMasked(key) && item != null ? MASK : maskWith(item, isMasked, seen);
      if (masked !== item) {
        copy ??= { ...source };
        copy[key] = masked;
      }
    }
    return copy ?? value;
  } finally {
    // Only cycles are cut: the same object referenced twice (a DAG) is masked twice.
    seen.delete(value);
  }
}
