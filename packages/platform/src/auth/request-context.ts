import { SignJWT, jwtVerify } from 'jose';
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

const encoder = new TextEncoder();

export async function signInternalContext(caller: Caller, secret: string, requestId: string): Promise<string> {
  return new SignJWT({ caller, rid: requestId })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setIssuer('tandem-gateway')
    .setExpirationTime('60s')
    .sign(encoder.encode(secret));
}

export async function verifyInternalContext(token: string, secret: string): Promise<{ caller: Caller; requestId: string } | null> {
  try {
    const { payload } = await jwtVerify(token, encoder.encode(secret), { issuer: 'tandem-gateway', algorithms: ['HS256'] });
    const caller = payload.caller as Caller | undefined;
    if (!caller || !Array.isArray(caller.permissions)) return null;
    return { caller, requestId: String(payload.rid ?? '') };
  } catch {
    return null;
  }
}

export const systemCaller = (job: string, tenantId?: string): Caller => ({
  kind: 'system', id: job, tenantId, permissions: [],
});
