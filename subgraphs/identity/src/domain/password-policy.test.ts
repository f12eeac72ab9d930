import { describe, expect, it } from 'vitest';
import { MIN_PASSWORD_LENGTH, passwordProblems } from './password-policy.js';

describe('passwordProblems', () => {
  it('accepts a password of 12 or more characters', () => {
    expect(passwordProblems('correct horse')).toEqual([]);
    expect(passwordProblems('a'.repeat(MIN_PASSWORD_LENGTH))).toEqual([]);
  });
  it('rejects one shorter than 12, such as the demo password', () => {
    expect(passwordProblems('tandem-demo')).toEqual(['must be at least 12 characters']);
    expect(passwordProblems('a'.repeat(MIN_PASSWORD_LENGTH - 1))).toHaveLength(1);
  });
  it('counts characters, not UTF-16 units', () => {
    // 11 emoji are 22 UTF-16 units but 11 characters.
    expect(passwordProblems('🔑'.repeat(11))).toEqual(['must be at least 12 characters']);
  });
  it('rejects blank, over-long and email-equal passwords', () => {
    expect(passwordProblems(' '.repeat(20))).toContain('must not be only spaces');
    expect(passwordProblems('x'.repeat(257))).toEqual(['must be at most 256 characters']);
    expect(passwordProblems('Someone@Demo.test', 'someone@demo.test')).toContain('must not be the email address');
  });
});
