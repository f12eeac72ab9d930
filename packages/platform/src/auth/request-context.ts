import { signHs256Jwt, verifyHs256Jwt } from './hs256-jwt.js';
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


const INTERNAL_ISSUER = 'tandem-gateway';
/** Long enough for any one request's subgraph calls, short enough that a leaked header is soon worthless. */
const INTERNAL_CONTEXT_TTL_SECONDS = 60;

export async function signInternalContext(caller: Caller, secret: string, requestId: string): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return signHs256Jwt({ caller, rid: requestId, iat, iss: INTERNAL_ISSUER, exp: iat + INTERNAL_CONTEXT_TTL_SECONDS }, secret);
}

/** Internal contexts already verified (one per client request, reused by every subgraph it reaches). */
const verifiedContexts = new VerifiedTokens<{ caller: Caller; requestId: string }>();

export async function verifyInternalContext(token: string, secret: string): Promise<{ caller: Caller; requestId: string } | null> {
  const known = verifiedContexts.get(token, secret);
  if (known) return copyOf(known);
  const payload = verifyHs256Jwt(token, secret, { issuer: INTERNAL_ISSUER });
  const caller = payload?.caller as Caller | undefined;
  if (!payload || !caller || typeof caller !== 'object' || !Array.isArray(caller.permissions)) return null;
  const entry = { caller, requestId: String(payload.rid ?? '') };
  verifiedContexts.set(token, secret, entry, (payload.exp ?? 0) * 1000);
  return copyOf(entry);
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
