import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/**
 * Passwords and client secrets are stored as argon2id hashes (the library's
 * default algorithm, with its default OWASP-level cost: 19 MiB, 2 passes).
 */
export function hashSecret(secret: string): Promise<string> {
  return hash(secret);
}

/** A malformed stored hash is a failed verification, not a crash. */
export async function verifySecret(storedHash: string, secret: string): Promise<boolean> {
  try {
    return await verify(storedHash, secret);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
const dummy = (): Promise<string> => {
  dummyHash ??= hash(randomBytes(16).toString('hex'));
  return dummyHash;
};

/** Computes the dummy hash at start-up, so the first failed sign-in is not slower than the rest. */
export async function prepareDummyHash(): Promise<void> {
  await dummy();
}

/**
 * When no account matches, verify against a dummy hash of the same cost, so
 * "no such email" takes as long as "wrong password" and timing does not tell
 * which emails exist. Always false.
 */
export async function verifyAgainstDummy(secret: string): Promise<false> {
  await verifySecret(await dummy(), secret);
  return false;
}

/** Public id of an API client: readable, unguessable enough to not be enumerable, globally unique. */
export function newClientId(): string {
  return `client-${randomBytes(9).toString('base64url')}`;
}

/** A client secret: 256 bits, shown once at creation or rotation. */
export function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}
