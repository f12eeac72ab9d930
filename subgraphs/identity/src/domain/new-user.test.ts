import { describe, expect, it } from 'vitest';
import { displayNameProblems, validateNewUser, type NewUser } from './new-user.js';

const valid = (): NewUser => ({ email: 'New.Analyst@Demo.test', name: 'Nia New', role: 'analyst', password: 'a long enough passphrase' });

describe('validateNewUser', () => {
  it('accepts a complete user', () => {
    expect(validateNewUser(valid())).toEqual([]);
  });
  it('reports every problem with its field', () => {
    const problems = validateNewUser({ email: 'nope', name: '  ', role: 'root', password: 'short' });
    expect(problems.map((p) => p.field)).toEqual(['email', 'name', 'role', 'password']);
  });
  it('enforces the password policy', () => {
    expect(validateNewUser({ ...valid(), password: 'tandem-demo' })).toEqual([{ field: 'password', problem: 'must be at least 12 characters' }]);
  });
});

describe('displayNameProblems', () => {
  it('requires a bounded, non-blank name', () => {
    expect(displayNameProblems('Demo Partner')).toEqual([]);
    expect(displayNameProblems('   ')).toEqual(['is required']);
    expect(displayNameProblems('x'.repeat(201))).toEqual(['must be at most 200 characters']);
  });
});
