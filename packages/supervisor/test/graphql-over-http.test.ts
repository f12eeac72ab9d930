import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningTandem } from '../src/tandem.js';
import { login } from './graph-client.js';
import { startTestTandem } from './test-tandem.js';

/**
 * GraphQL over HTTP (graphql-http's server audits) against the running
 * gateway: every MUST passes. SHOULD/MAY results are not required.
 *
 * The audits run as a signed-in BI user: some of them introspect (`__type`),
 * which this gateway answers to signed-in callers only (an anonymous caller
 * gets UNAUTHENTICATED, see gateway-security.test.ts). Everything else about
 * the requests is the audits' own.
 */
describe('GraphQL over HTTP conformance of the gateway', () => {
  let tandem: RunningTandem;

  beforeAll(async () => {
    tandem = await startTestTandem();
  }, 60_000);
  afterAll(async () => tandem?.stop());

  it('passes every MUST audit', async () => {
    const token = await login(tandem.graphqlUrl, 'analyst@demo.test');
    const fetchFn = (input: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      return fetch(input, { ...init, headers });
    };
    const audits = serverAudits({ url: () => tandem.graphqlUrl, fetchFn });
    const musts = audits.filter((a) => a.name.startsWith('MUST'));
    expect(musts.length).toBeGreaterThan(10);
    const failures: string[] = [];
    for (const audit of musts) {
      const result = await audit.fn();
      if (result.status !== 'ok') failures.push(`${audit.id} ${audit.name}: ${result.reason}`);
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
