import type { IncomingMessage } from 'node:http';
import { type Caller, MemoryRateLimiter } from '@tandem/platform';
import { describe, expect, it } from 'vitest';
import { exceedsTokens, rateLimitKey, requestAdmission } from './request-admission.js';
import { securityOptions } from './security-options.js';
import { sha256Hex, trustedDocuments } from './trusted-documents.js';

const req = (method = 'POST', url = '/graphql') => ({ method, url, socket: { remoteAddress: '10.0.0.1' }, headers: {} }) as unknown as IncomingMessage;
const user: Caller = { kind: 'user', id: 'u1', tenantId: 'demo', permissions: [] };
const client: Caller = { kind: 'client', id: 'p1', tenantId: 'demo', permissions: [] };
const known = 'query Me { me { id } }';

function admission(limits = {}) {
  return requestAdmission({
    options: securityOptions({ maxTokens: 10, rateLimit: { windowSeconds: 60, perUser: 2, perClient: 3, perAnonymousAddress: 1, ...limits } }),
    limiter: new MemoryRateLimiter(),
    trusted: trustedDocuments({ [sha256Hex(known)]: known }),
    callerOf: async () => user,
  });
}

describe('request admission', () => {
  it('counts tokens up to the limit', () => {
    expect(exceedsTokens('{ me { id } }', 6)).toBe(false);
    expect(exceedsTokens('{ me { id } }', 5)).toBe(true);
    expect(exceedsTokens('{ "unterminated', 1)).toBe(false);
  });
  it('keys budgets by user, API client, or address', () => {
    expect(rateLimitKey(user, req()).key).toBe('user:demo:u1');
    expect(rateLimitKey(client, req()).key).toBe('client:demo:p1');
    expect(rateLimitKey(null, req()).key).toBe('addr:10.0.0.1');
  });
  it('refuses over the budget with RATE_LIMITED, a retry hint and Retry-After', async () => {
    const admit = admission();
    expect((await admit(req(), { query: '{ __typename }' })).kind).toBe('pass');
    expect((await admit(req(), { query: '{ __typename }' })).kind).toBe('pass');
    const refused = await admit(req(), { query: '{ __typename }' });
    expect(refused).toMatchObject({ kind: 'refuse', status: 429, body: { errors: [{ extensions: { code: 'RATE_LIMITED' } }] } });
    if (refused.kind !== 'refuse') throw new Error('expected a refusal');
    const seconds = (refused.body as { errors: { extensions: { retryAfterSeconds: number } }[] }).errors[0].extensions.retryAfterSeconds;
    expect(refused.headers?.['retry-after']).toBe(String(seconds));
  });
  it('resolves a registered id, refuses an unknown one, passes full documents on without the id', async () => {
    const admit = admission({ perUser: 100 });
    const byId = await admit(req(), { extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(known) } }, variables: {} });
    expect(byId).toEqual({ kind: 'pass', body: { query: known, extensions: {}, variables: {} } });
    expect(await admit(req(), { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } })).toMatchObject({ status: 400 });
    expect(await admit(req(), { query: '{ me { id } }', extensions: { persistedQuery: { version: 1, sha256Hash: 'x' } } })).toEqual({
      kind: 'pass',
      body: { query: '{ me { id } }', extensions: {} },
    });
    expect(await admit(req(), { query: `{ me { ${'id '.repeat(20)} } }` })).toMatchObject({
      status: 400,
      body: { errors: [{ extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] },
    });
  });
  it('refuses a manifest whose key is not the hash of its document', () => {
    expect(() => trustedDocuments({ abc: known })).toThrow(/SHA-256/);
  });
});
