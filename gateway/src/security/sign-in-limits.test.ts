import { MemoryRateLimiter } from '@tandem/platform';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { credentialFields } from './sign-in-guard.js';
import { accountOfEmail, SignInLimits } from './sign-in-limits.js';

const limits = (perAccount = 2, perAddress = 3) => new SignInLimits(new MemoryRateLimiter(), { windowSeconds: 300, perAccount, perAddress });

describe('sign-in limits', () => {
  it('counts failures per account; successes and unchecked attempts are taken back', async () => {
    const l = limits();
    for (const outcome of ['succeeded', 'not-checked', 'succeeded', 'failed', 'failed'] as const) {
      const a = await l.attempt({ account: 'email:a@x.test', address: '10.0.0.1' });
      if (a.refused) throw new Error(`refused before ${outcome}`);
      await a.settle(outcome);
    }
    const refused = await l.attempt({ account: 'email:a@x.test', address: '10.0.0.2' });
    expect(refused).toMatchObject({ refused: true });
    if (!refused.refused) throw new Error('expected a refusal');
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(300);
    // Another account from the same address still has its budget.
    expect((await l.attempt({ account: 'email:b@x.test', address: '10.0.0.1' })).refused).toBe(false);
  });

  it('counts failures per address across accounts, and refused attempts count nowhere', async () => {
    const l = limits(10, 2);
    for (const account of ['email:a@x.test', 'email:b@x.test']) {
      const a = await l.attempt({ account, address: '10.0.0.9' });
      if (a.refused) throw new Error('refused too early');
      await a.settle('failed');
    }
    for (let i = 0; i < 5; i++) expect((await l.attempt({ account: 'email:c@x.test', address: '10.0.0.9' })).refused).toBe(true);
    // c's account budget was not spent by the refusals.
    for (let i = 0; i < 10; i++) {
      const a = await l.attempt({ account: 'email:c@x.test', address: `10.0.1.${i}` });
      if (a.refused) throw new Error(`refused at ${i}`);
      await a.settle('failed');
    }
    expect((await l.attempt({ account: 'email:c@x.test', address: '10.0.2.1' })).refused).toBe(true);
  });

  it('holds a place for attempts in flight, so parallel guesses cannot all pass', async () => {
    const l = limits(3, 100);
    const attempts = await Promise.all(Array.from({ length: 10 }, () => l.attempt({ account: 'email:a@x.test', address: '10.0.0.1' })));
    expect(attempts.filter((a) => !a.refused)).toHaveLength(3);
  });

  it('releases nothing permanently: the next window starts afresh', async () => {
    let now = 0;
    const l = new SignInLimits(new MemoryRateLimiter(() => now), { windowSeconds: 60, perAccount: 1, perAddress: 10 });
    const a = await l.attempt({ account: 'client:p', address: 'x' });
    if (a.refused) throw new Error('refused');
    await a.settle('failed');
    expect((await l.attempt({ account: 'client:p', address: 'x' })).refused).toBe(true);
    now += 60_000;
    expect((await l.attempt({ account: 'client:p', address: 'x' })).refused).toBe(false);
  });

  it('treats emails as identity does', () => {
    expect(accountOfEmail(' Ana@Demo.TEST ')).toBe(accountOfEmail('ana@demo.test'));
  });
});

describe('credential fields of an operation', () => {
  const fields = (query: string, variables = {}) => {
    const document = parse(query);
    const operation = document.definitions.find((d) => d.kind === 'OperationDefinition');
    return credentialFields(document, operation as never, variables);
  };
  it('finds every login and refreshToken, aliased, in fragments, with variables resolved', () => {
    expect(
      fields(
        `mutation($e: String!) {
          a: login(email: $e, password: "x") { accessToken }
          b: login(email: "b@x.test", password: "y") { accessToken }
          ... on Mutation { refreshToken(refreshToken: "r") { accessToken } }
          ...More
          logout(refreshToken: "r")
        }
        fragment More on Mutation { c: login(email: "c@x.test", password: "z") { accessToken } }`,
        { e: 'a@x.test' },
      ),
    ).toEqual([
      { responseKey: 'a', name: 'login', email: 'a@x.test' },
      { responseKey: 'b', name: 'login', email: 'b@x.test' },
      { responseKey: 'refreshToken', name: 'refreshToken', email: undefined },
      { responseKey: 'c', name: 'login', email: 'c@x.test' },
    ]);
  });
  it('ignores queries and other mutations', () => {
    expect(fields('query { login }')).toEqual([]);
    expect(fields('mutation { logout(refreshToken: "r") }')).toEqual([]);
  });
});
