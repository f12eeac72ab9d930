import { SignJWT, jwtVerify } from 'jose';
import type { Caller } from './request-context.js';
import type { Permission } from './permissions.js';

/** Access tokens: short-lived HS256 JWTs issued by identity, verified by the gateway. */
export interface AccessTokenClaims {
  sub: string;
  tenantId: string;
  kind: 'user' | 'client';
  role: string;
  permissions: Permission[];
}

const encoder = new TextEncoder();
const ISSUER = 'tandem-identity';

export async function issueAccessToken(claims: AccessTokenClaims, secret: string, ttlSeconds: number): Promise<string> {
  return new SignJWT({ tid: claims.tenantId, knd: claims.kind, role: claims.role, perms: claims.permissions })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(encoder.encode(secret));
}

export async function verifyAccessToken(token: string, secret: string): Promise<Caller | null> {
  try {
    const { payload } = await jwtVerify(token, encoder.encode(secret), { issuer: ISSUER, algorithms: ['HS256'] });
    if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string' || !Array.isArray(payload.perms)) return null;
    return {
      kind: payload.knd === 'client' ? 'client' : 'user',
      id: payload.sub,
      tenantId: payload.tid,
      role: String(payload.role ?? ''),
      permissions: payload.perms as Permission[],
    };
  } catch {
    return null;
  }
}
