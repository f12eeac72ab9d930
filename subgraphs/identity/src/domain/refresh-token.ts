import { createHash, randomBytes } from 'node:crypto';

/**
 * Refresh tokens are opaque random strings. Only their SHA-256 is stored, so
 * a copy of the table cannot be replayed. Tokens of one login share a family:
 * each refresh rotates the presented token (marks it used) and issues the
 * next one in the family.
 */
export function newRefreshTokenValue(): string {
  return randomBytes(32).toString('base64url');
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function refreshTokenExpiry(now: Date, ttlSeconds: number): Date {
  return new Date(now.getTime() + ttlSeconds * 1000);
}

export interface RefreshTokenState {
  expiresAt: Date;
  rotatedAt?: Date | null;
  revokedAt?: Date | null;
}

/**
 * What presenting a stored refresh token means:
 * - `valid`: rotate it and issue the next one;
 * - `reused`: it was already rotated, so two parties hold the family (one of
 *   them stole it): the whole family must be revoked, the legitimate holder
 *   signs in again;
 * - `revoked` / `expired`: refuse.
 * A rotated token is reuse even after expiry or revocation would also apply:
 * revoking the family again is harmless, missing a theft is not.
 */
export type RefreshVerdict = 'valid' | 'reused' | 'revoked' | 'expired';

export function assessRefreshToken(token: RefreshTokenState, now: Date): RefreshVerdict {
  if (token.rotatedAt) return 'reused';
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'valid';
}
