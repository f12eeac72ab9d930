import { describe, expect, it } from 'vitest';
import { permissionOverrideProblems, userRoleProblems } from './access-change.js';

describe('permission overrides', () => {
  it('accepts known permissions granted or revoked once', () => {
    expect(permissionOverrideProblems(['decision:approve_override'], ['queue:view'])).toEqual([]);
    expect(permissionOverrideProblems([], [])).toEqual([]);
  });
  it('refuses unknown names, duplicates, and a permission both granted and revoked', () => {
    expect(permissionOverrideProblems(['queue:fly'], [])).toEqual([{ field: 'grants', problem: 'unknown permission "queue:fly"' }]);
    expect(permissionOverrideProblems(['queue:view', 'queue:view'], [])).toEqual([{ field: 'grants', problem: 'lists a permission twice' }]);
    expect(permissionOverrideProblems(['queue:view'], ['queue:view'])).toEqual([{ field: 'revocations', problem: '"queue:view" is both granted and revoked' }]);
  });
});

describe('user roles', () => {
  it('are the staff roles only', () => {
    expect(userRoleProblems('analyst')).toEqual([]);
    expect(userRoleProblems('api_consumer')).toHaveLength(1);
    expect(userRoleProblems('root')).toHaveLength(1);
  });
});
