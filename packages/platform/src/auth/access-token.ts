import { signHs256Jwt, verifyHs256Jwt } from './hs256-jwt.js';
import { VerifiedTokens } from './verified-tokens.js';
import type { Caller } from './request-context.js';
import type { Permission } from './permissions.js';

/** Access tokens: short-lived HS256 JWTs issued by identity, verified by the gateway. */
export interface AccessTokenClaims {
  sub: string;
  tenantId: string;
  kind: 'user' | 'client';
  role: string;
  permissions: Permission[];
  /** The session (refresh-token family) a user's token belongs to: logging out revokes it. */
  sessionId?: string;
}

/** A verified access token: who calls, and what the revocation list needs to know about the token. */
export interface VerifiedAccessToken {
  caller: Caller;
  sessionId?: string;
  /** Millisecond issue time (the standard iat has seconds only, too coarse for "tokens issued before now"). */
  issuedAtMs: number;
}

const ISSUER = 'tandem-identity';
/** Revocation is not cached: callers check the RevocationList on every request. */
const verifiedAccessTokens = new VerifiedTokens<VerifiedAccessToken>(20_000);

export async function issueAccessToken(claims: AccessTokenClaims, secret: string, ttlSeconds: number): Promise<string> {
  const now = Date.now();
  const iat = Math.floor(now / 1000);
  return signHs256Jwt(
    {
      tid: claims.tenantId,
      knd: claims.kind,
      role: claims.role,
      perms: claims.permissions,
      ...(claims.sessionId ? { sid: claims.sessionId } : {}),
      iams: now,
      sub: claims.sub,
      iss: ISSUER,
      iat,
      exp: iat + ttlSeconds,
    },
    secret,
    { typ: 'JWT' },
  );
}

export async function verifyAccessToken(token: string, secret: string): Promise<Caller | null> {
  return (await readAccessToken(token, secret))?.caller ?? null;
}

/** Each request gets its own caller object: one request changing it must not change another's, or the cached one. */
const ownCopy = (v: VerifiedAccessToken): VerifiedAccessToken => ({ ...v, caller: { ...v.caller, permissions: [...v.caller.permissions] } });

/** Signature, issuer and expiry checked; revocation is the caller's next step (see RevocationList). */
export async function readAccessToken(token: string, secret: string): Promise<VerifiedAccessToken | null> {
  const known = verifiedAccessTokens.get(token, secret);
  if (known) return ownCopy(known);
  const payload = verifyHs256Jwt(token, secret, { issuer: ISSUER });
  if (!payload) return null;
  if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string' || !Array.isArray(payload.perms)) return null;
  const verified: VerifiedAccessToken = {
    caller: {
      kind: payload.knd === 'client' ? 'client' : 'user',
      id: payload.sub,
      tenantId: payload.tid,
      role: String(payload.role ?? ''),
      permissions: payload.perms as Permission[],
    },
    sessionId: typeof payload.sid === 'string' ? payload.sid : undefined,
    issuedAtMs: typeof payload.iams === 'number' ? payload.iams : (payload.iat ?? 0) * 1000,
  };
  verifiedAccessTokens.set(token, secret, verified, (payload.exp ?? 0) * 1000);
  return ownCopy(verified);
}
