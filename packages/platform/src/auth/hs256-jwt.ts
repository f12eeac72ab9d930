import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';

/**
 * Compact HS256 JSON Web Tokens (RFC 7519 with RFC 7515's JWS compact form),
 * signed and checked with node:crypto's HMAC, synchronously.
 *
 * Every request through the gateway signs one internal context and every
 * subgraph call verifies one. Through jose, both went through WebCrypto:
 * asynchronous, a key object copied per call, about 5% of the decision
 * path's CPU in a profile. The format is unchanged (jose reads these tokens
 * and these functions read jose's; the tests hold both directions), and the
 * checks are jose's for HS256: the algorithm must be HS256 (never `none`,
 * never another), no `crit` or unencoded payload, a constant-time signature
 * comparison, the issuer, and `exp`/`nbf` against the clock.
 */
export interface JwtClaims {
  iss?: string;
  sub?: string;
  iat?: number;
  exp?: number;
  nbf?: number;
  [claim: string]: unknown;
}

const HEADER_PLAIN = b64url(JSON.stringify({ alg: 'HS256' }));
const HEADER_TYPED = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

const keys = new Map<string, KeyObject>();
/** One key object per secret: creating it costs more than the HMAC of a short token. */
function keyOf(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size > 16) keys.clear(); // secrets are few (one per service); never a growing map
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function mac(signingInput: string, secret: string): Buffer {
  return createHmac('sha256', keyOf(secret)).update(signingInput).digest();
}

/** Signs `claims` as given (the caller sets iss, iat, exp). `typ: 'JWT'` in the header when asked. */
export function signHs256Jwt(claims: JwtClaims, secret: string, options: { typ?: 'JWT' } = {}): string {
  const signingInput = `${options.typ ? HEADER_TYPED : HEADER_PLAIN}.${b64url(JSON.stringify(claims))}`;
  return `${signingInput}.${mac(signingInput, secret).toString('base64url')}`;
}

function parseJsonObject(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The token's claims when its signature, algorithm, issuer and time claims
 * hold; null for anything else (malformed, tampered, expired, not yet valid,
 * another issuer or algorithm). Never throws.
 */
export function verifyHs256Jwt(token: string, secret: string, expected: { issuer: string; nowMs?: number }): JwtClaims | null {
  if (typeof token !== 'string' || token.length > 16_384) return null;
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => BASE64URL.test(p))) return null;
  const [headerPart, payloadPart, signaturePart] = parts;
  const header = parseJsonObject(headerPart);
  if (header?.alg !== 'HS256' || 'crit' in header || 'b64' in header) return null;
  const signature = Buffer.from(signaturePart, 'base64url');
  const wanted = mac(`${headerPart}.${payloadPart}`, secret);
  if (signature.length !== wanted.length || !timingSafeEqual(signature, wanted)) return null;
  const claims = parseJsonObject(payloadPart) as JwtClaims | null;
  if (!claims || claims.iss !== expected.issuer) return null;
  const now = Math.floor((expected.nowMs ?? Date.now()) / 1000);
  for (const time of ['exp', 'nbf', 'iat'] as const) if (time in claims && (typeof claims[time] !== 'number' || !Number.isFinite(claims[time]))) return null;
  if (claims.exp !== undefined && claims.exp <= now) return null;
  if (claims.nbf !== undefined && claims.nbf > now) return null;
  return claims;
}
