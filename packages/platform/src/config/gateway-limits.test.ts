import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { DEFAULT_GATEWAY_LIMITS } from './gateway-limits.js';

describe('gateway limits from the environment', () => {
  it('defaults when nothing is set', () => {
    expect(loadConfig({}).gatewayLimits).toEqual(DEFAULT_GATEWAY_LIMITS);
  });
  it('reads each limit from its variable', () => {
    const limits = loadConfig({
      GATEWAY_MAX_DEPTH: '12',
      GATEWAY_MAX_COST: '900',
      RATE_LIMIT_PER_USER: '50',
      SIGN_IN_FAILURES_PER_ACCOUNT: '3',
      SIGN_IN_LIMIT_WINDOW_SECONDS: '60',
    }).gatewayLimits;
    expect(limits).toMatchObject({ maxDepth: 12, maxCost: 900, maxAliases: DEFAULT_GATEWAY_LIMITS.maxAliases });
    expect(limits.rateLimit).toEqual({ ...DEFAULT_GATEWAY_LIMITS.rateLimit, perUser: 50 });
    expect(limits.signInLimit).toEqual({ ...DEFAULT_GATEWAY_LIMITS.signInLimit, perAccount: 3, windowSeconds: 60 });
  });
  it('refuses a value that is not a positive integer', () => {
    expect(() => loadConfig({ GATEWAY_MAX_DEPTH: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ RATE_LIMIT_PER_CLIENT: 'lots' })).toThrow(/RATE_LIMIT_PER_CLIENT must be a positive integer/);
    expect(() => loadConfig({ GATEWAY_MAX_BODY_BYTES: '1.5' })).toThrow(ConfigError);
  });
});
