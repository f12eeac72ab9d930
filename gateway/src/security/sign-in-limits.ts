import type { GatewayLimits, RateLimiter, RateLimitVerdict } from '@tandem/platform';

/** What became of a credential check: only failures stay counted. */
export type SignInOutcome = 'succeeded' | 'failed' | 'not-checked';

export type SignInAttempt = { refused: false; settle(outcome: SignInOutcome): Promise<void> } | { refused: true; retryAfterSeconds: number };

/**
 * The brute-force brake on login, refreshToken and POST /oauth/token: failed
 * credential checks per account (email or client_id) and per remote address,
 * in fixed windows (Redis-backed when the limiter is). An attempt is counted
 * before it runs, so a thousand parallel guesses cannot all pass the check
 * together, and taken back when it succeeds or never reached the check.
 * Nothing is locked for longer than the window.
 */
export class SignInLimits {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly options: GatewayLimits['signInLimit'],
  ) {}

  async attempt(who: { account?: string; address: string }): Promise<SignInAttempt> {
    const { windowSeconds, perAccount, perAddress } = this.options;
    const budgets: { key: string; limit: number }[] = [{ key: `signin:addr:${who.address}`, limit: perAddress }];
    if (who.account !== undefined) budgets.push({ key: `signin:account:${who.account}`, limit: perAccount });
    const verdicts = await Promise.all(budgets.map((b) => this.limiter.hit(b.key, b.limit, windowSeconds)));
    const releaseAll = () => Promise.all(budgets.map((b, i) => this.limiter.release(b.key, verdicts[i].windowStartMs))).then(() => undefined);
    const refusals = verdicts.filter((v) => !v.allowed);
    if (refusals.length > 0) {
      // A refused attempt checks no credential, so it counts against nothing.
      await releaseAll();
      return { refused: true, retryAfterSeconds: Math.max(...refusals.map((v: RateLimitVerdict) => v.retryAfterSeconds)) };
    }
    let settled = false;
    return {
      refused: false,
      async settle(outcome) {
        if (settled) return;
        settled = true;
        if (outcome !== 'failed') await releaseAll();
      },
    };
  }
}

// No account's name is longer (identity's limit): a longer one names no account, and must not make a huge key.
const MAX_ACCOUNT_NAME = 254;

/** An email as identity compares it, so "A@x.test " and "a@x.test" share one budget. */
export const accountOfEmail = (email: string) => `email:${email.trim().toLowerCase().slice(0, MAX_ACCOUNT_NAME)}`;
export const accountOfClient = (clientId: string) => `client:${clientId.slice(0, MAX_ACCOUNT_NAME)}`;
