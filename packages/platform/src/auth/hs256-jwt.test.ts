import { createHmac } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { signHs256Jwt, verifyHs256Jwt } from './hs256-jwt.js';

const secret = 'a-test-secret-that-is-long-enough-000000';
const now = Math.floor(Date.now() / 1000);
const claims = { iss: 'tandem-test', sub: 'u1', iat: now, exp: now + 60, caller: { permissions: ['queue:view'] } };

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A token with any header and claims, correctly signed with `key`: what an attacker who knows no secret cannot make, and a test can. */
const signedRaw = (header: unknown, body: unknown, key = secret) => {
  const input = `${part(header)}.${part(body)}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
};

describe('HS256 tokens', () => {
  it('round-trips its claims', () => {
    expect(verifyHs256Jwt(signHs256Jwt(claims, secret), secret, { issuer: 'tandem-test' })).toEqual(claims);
  });

  it('reads tokens jose signs, and jose reads the ones it signs (the format did not change)', async () => {
    const key = new TextEncoder().encode(secret);
    const byJose = await new SignJWT({ caller: claims.caller })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('tandem-test')
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(key);
    expect(verifyHs256Jwt(byJose, secret, { issuer: 'tandem-test' })?.caller).toEqual(claims.caller);
    const { payload, protectedHeader } = await jwtVerify(signHs256Jwt(claims, secret, { typ: 'JWT' }), key, { issuer: 'tandem-test', algorithms: ['HS256'] });
    expect(payload).toEqual(claims);
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
  });

  it('refuses another secret, a changed payload or signature, and a truncated token', () => {
    const token = signHs256Jwt(claims, secret);
    const [h, p, s] = token.split('.');
    expect(verifyHs256Jwt(token, `${secret}x`, { issuer: 'tandem-test' })).toBeNull();
    expect(verifyHs256Jwt(`${h}.${part({ ...claims, sub: 'admin' })}.${s}`, secret, { issuer: 'tandem-test' })).toBeNull();
    expect(verifyHs256Jwt(`${h}.${p}.${s.slice(0, -2)}`, secret, { issuer: 'tandem-test' })).toBeNull();
    expect(verifyHs256Jwt(`${h}.${p}`, secret, { issuer: 'tandem-test' })).toBeNull();
    expect(verifyHs256Jwt(`${h}.${p}.${s}.x`, secret, { issuer: 'tandem-test' })).toBeNull();
  });

  it('refuses any algorithm but HS256, critical headers and unencoded payloads, even when the signature matches', () => {
    for (const header of [{ alg: 'none' }, { alg: 'HS512' }, { alg: 'hs256' }, {}, { alg: 'HS256', crit: ['exp'] }, { alg: 'HS256', b64: false }]) {
      expect(verifyHs256Jwt(signedRaw(header, claims), secret, { issuer: 'tandem-test' })).toBeNull();
    }
    expect(verifyHs256Jwt(`${part({ alg: 'none' })}.${part(claims)}.`, secret, { issuer: 'tandem-test' })).toBeNull();
  });

  it('refuses another issuer, an expired token, one not valid yet, and time claims that are not numbers', () => {
    const check = (body: unknown) => verifyHs256Jwt(signedRaw({ alg: 'HS256' }, body), secret, { issuer: 'tandem-test', nowMs: now * 1000 });
    expect(check(claims)).toEqual(claims);
    expect(check({ ...claims, iss: 'tandem-other' })).toBeNull();
    expect(check({ ...claims, iss: undefined })).toBeNull();
    expect(check({ ...claims, exp: now })).toBeNull();
    expect(check({ ...claims, exp: now - 1 })).toBeNull();
    expect(check({ ...claims, nbf: now + 5 })).toBeNull();
    expect(check({ ...claims, exp: String(now + 60) })).toBeNull();
    expect(check({ ...claims, iat: 'yesterday' })).toBeNull();
  });

  it('answers null, never throws, for input that is not a token', () => {
    for (const junk of ['', '...', 'a.b.c', 'not a token', `${part('a string')}.${part([1])}.x`, 'é.é.é', 'x'.repeat(20_000)]) {
      expect(verifyHs256Jwt(junk, secret, { issuer: 'tandem-test' })).toBeNull();
    }
    expect(verifyHs256Jwt(signedRaw({ alg: 'HS256' }, [claims]), secret, { issuer: 'tandem-test' })).toBeNull();
    expect(verifyHs256Jwt(undefined as unknown as string, secret, { issuer: 'tandem-test' })).toBeNull();
  });
});
