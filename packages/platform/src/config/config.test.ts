import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DATABASE_POOL_SIZE, loadConfig } from './config.js';

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
