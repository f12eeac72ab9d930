import { createSecretKey, type KeyObject } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { Permission } from './permissions.js';

/**
 * Who is calling, as the gateway established it. Subgraphs never see a raw
 * access token: the gateway verifies it once and forwards this, signed with
 * the internal secret, in the INTERNAL_CONTEXT_HEADER.
 */
export interface Caller {
  kind: 'user' | 'client' | 'anonymous' | 'system';
  tenantId?: string;
  /** User id, API client id, or the name of a system job. */
  id?: string;
  role?: string;
  permissions: Permission[];
}

export const INTERNAL_CONTEXT_HEADER = 'x-tandem-context';
export const REQUEST_ID_HEADER = 'x-request-id';

/** One HMAC key object per secret, imported once (not on every request). */
const hmacKeys = new Map<string, KeyObject>();
function hmacKey(secret: string): KeyObject {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    hmacKeys.set(secret, key);
  }
  return key;
}

export async function signInternalContext(caller: Caller, secret: string, requestId: string): Promise<string> {
  return new SignJWT({ caller, rid: requestId })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setIssuer('tandem-gateway')
    .setExpirationTime('60s')
    .sign(hmacKey(secret));
}

/**
 * Tokens this process has verified, until they expire. The gateway signs one
 * token per request and sends it to every subgraph the plan touches; where
 * several subgraphs share a process (embedded mode) each would check the same
 * signature again. Keyed by the whole token and the secret it was checked
 * with, so nothing unverified is ever trusted; oldest first out when full.
 */
const VERIFIED_MAX = 5_000;
const verifiedTokens = new Map<string, { secret: string; caller: Caller; requestId: string; expiresAtMs: number }>();

export async function verifyInternalContext(token: string, secret: string): Promise<{ caller: Caller; requestId: string } | null> {
  const known = verifiedTokens.get(token);
  if (known && known.secret === secret && known.expiresAtMs > Date.now()) return copyOf(known);
  try {
    const { payload } = await jwtVerify(token, hmacKey(secret), { issuer: 'tandem-gateway', algorithms: ['HS256'] });
    const caller = payload.caller as Caller | undefined;
    if (!caller || !Array.isArray(caller.permissions)) return null;
    const entry = { secret, caller, requestId: String(payload.rid ?? ''), expiresAtMs: (payload.exp ?? 0) * 1000 };
    if (verifiedTokens.size >= VERIFIED_MAX) verifiedTokens.delete(verifiedTokens.keys().next().value as string);
    verifiedTokens.set(token, entry);
    return copyOf(entry);
  } catch {
    return null;
  }
}

/** Each request gets its own caller object: one resolver changing it must not change another request's. */
function copyOf(entry: { caller: Caller; requestId: string }): { caller: Caller; requestId: string } {
  return { caller: { ...entry.caller, permissions: [...entry.caller.permissions] }, requestId: entry.requestId };
}

export const systemCaller = (job: string, tenantId?: string): Caller => ({
  kind: 'system',
  id: job,
  tenantId,
  permissions: [],
});
