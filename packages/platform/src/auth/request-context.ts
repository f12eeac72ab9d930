import { jwtVerify, SignJWT } from 'jose';
import { hmacKey } from './hmac-key.js';
import { VerifiedTokens } from './verified-tokens.js';
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


export async function signInternalContext(caller: Caller, secret: string, requestId: string): Promise<string> {
  return new SignJWT({ caller, rid: requestId })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setIssuer('tandem-gateway')
    .setExpirationTime('60s')
    .sign(await hmacKey(secret));
}

/** Internal contexts already verified (one per client request, reused by every subgraph it reaches). */
const verifiedContexts = new VerifiedTokens<{ caller: Caller; requestId: string }>();

export async function verifyInternalContext(token: string, secret: string): Promise<{ caller: Caller; requestId: string } | null> {
  const known = verifiedContexts.get(token, secret);
  if (known) return copyOf(known);
  try {
    const { payload } = await jwtVerify(token, await hmacKey(secret), { issuer: 'tandem-gateway', algorithms: ['HS256'] });
    const caller = payload.caller as Caller | undefined;
    if (!caller || !Array.isArray(caller.permissions)) return null;
    const entry = { caller, requestId: String(payload.rid ?? '') };
    verifiedContexts.set(token, secret, entry, (payload.exp ?? 0) * 1000);
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
