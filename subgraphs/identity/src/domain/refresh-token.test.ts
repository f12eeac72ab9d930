import { describe, expect, it } from 'vitest';
import { assessRefreshToken, hashRefreshToken, newRefreshTokenValue, refreshTokenExpiry } from './refresh-token.js';

const now = new Date('2026-11-22T12:00:00Z');
const later = new Date('2026-11-29T12:00:00Z');

describe('assessRefreshToken', () => {
  it('accepts an unused, unrevoked, unexpired token', () => {
    expect(assessRefreshToken({ expiresAt: later }, now)).toBe('valid');
  });
  it('treats a token presented again after rotation as reuse', () => {
    expect(assessRefreshToken({ expiresAt: later, rotatedAt: now }, now)).toBe('reused');
    // Even when its family was revoked since, or it expired: revoking again is harmless.
    expect(assessRefreshToken({ expiresAt: now, rotatedAt: now, revokedAt: now }, later)).toBe('reused');
  });
  it('refuses revoked and expired tokens', () => {
    expect(assessRefreshToken({ expiresAt: later, revokedAt: now }, now)).toBe('revoked');
    expect(assessRefreshToken({ expiresAt: now }, now)).toBe('expired');
  });
});

describe('refresh token material', () => {
  it('is random, and stored only as a stable sha256', () => {
    const a = newRefreshTokenValue();
    expect(a).not.toBe(newRefreshTokenValue());
    expect(a.length).toBeGreaterThanOrEqual(43);
    expect(hashRefreshToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRefreshToken(a)).toBe(hashRefreshToken(a));
    expect(hashRefreshToken(a)).not.toContain(a);
  });
  it('expires after the configured time', () => {
    expect(refreshTokenExpiry(now, 7 * 24 * 3600)).toEqual(later);
  });
});
