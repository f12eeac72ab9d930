import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DATABASE_POOL_IDLE_SECONDS, DEFAULT_DATABASE_POOL_SIZE, loadConfig } from './config.js';

describe('DATABASE_POOL_SIZE', () => {
  it('defaults to DEFAULT_DATABASE_POOL_SIZE and takes a whole number of 1 or more', () => {
    expect(loadConfig({}).databasePoolSize).toBe(DEFAULT_DATABASE_POOL_SIZE);
    expect(loadConfig({ DATABASE_POOL_SIZE: '8' }).databasePoolSize).toBe(8);
  });

  it('refuses 0, fractions and words with a ConfigError naming the setting', () => {
    for (const raw of ['0', '2.5', 'many', '-3']) expect(() => loadConfig({ DATABASE_POOL_SIZE: raw })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_POOL_SIZE: '0' })).toThrow(/DATABASE_POOL_SIZE/);
  });
});

describe('DATABASE_POOL_IDLE_SECONDS', () => {
  it('defaults to DEFAULT_DATABASE_POOL_IDLE_SECONDS, longer than the 10 s of pg-pool, and takes any whole number (0: keep them)', () => {
    expect(DEFAULT_DATABASE_POOL_IDLE_SECONDS).toBeGreaterThan(10);
    expect(loadConfig({}).databasePoolIdleSeconds).toBe(DEFAULT_DATABASE_POOL_IDLE_SECONDS);
    expect(loadConfig({ DATABASE_POOL_IDLE_SECONDS: '30' }).databasePoolIdleSeconds).toBe(30);
    expect(loadConfig({ DATABASE_POOL_IDLE_SECONDS: '0' }).databasePoolIdleSeconds).toBe(0);
  });

  it('refuses fractions, words and negative numbers with a ConfigError naming the setting', () => {
    for (const raw of ['1.5', 'forever', '-1']) expect(() => loadConfig({ DATABASE_POOL_IDLE_SECONDS: raw })).toThrow(/DATABASE_POOL_IDLE_SECONDS/);
  });
});

describe('GATEWAY_FANOUT_HELPER', () => {
  it('is on by default, takes on or off, and refuses anything else with a ConfigError naming the setting', () => {
    expect(loadConfig({}).gatewayFanoutHelper).toBe(true);
    expect(loadConfig({ GATEWAY_FANOUT_HELPER: 'off' }).gatewayFanoutHelper).toBe(false);
    expect(loadConfig({ GATEWAY_FANOUT_HELPER: 'on' }).gatewayFanoutHelper).toBe(true);
    for (const raw of ['yes', '0', 'OFF']) expect(() => loadConfig({ GATEWAY_FANOUT_HELPER: raw })).toThrow(/GATEWAY_FANOUT_HELPER/);
  });
});
