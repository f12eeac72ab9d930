import { describe, expect, it } from 'vitest';
import { isValidEmail, normaliseEmail } from './email.js';

describe('normaliseEmail', () => {
  it('trims and lower-cases so one address is one account', () => {
    expect(normaliseEmail('  Ana.Ruiz@Demo.TEST ')).toBe('ana.ruiz@demo.test');
    expect(normaliseEmail('analyst@demo.test')).toBe(normaliseEmail('ANALYST@demo.test'));
  });
});

describe('isValidEmail', () => {
  it('accepts ordinary addresses', () => {
    expect(isValidEmail('analyst@demo.test')).toBe(true);
    expect(isValidEmail('first.last+tag@sub.example.com')).toBe(true);
  });
  it('rejects addresses without a domain, with spaces or too long', () => {
    expect(isValidEmail('analyst')).toBe(false);
    expect(isValidEmail('analyst@demo')).toBe(false);
    expect(isValidEmail('ana lyst@demo.test')).toBe(false);
    expect(isValidEmail('a@b@demo.test')).toBe(false);
    expect(isValidEmail(`${'a'.repeat(250)}@demo.test`)).toBe(false);
  });
});
