import { describe, expect, it } from 'vitest';
import { Permission, ROLE_PERMISSIONS } from '@tandem/platform';
import { effectivePermissions, isKnownRole } from './effective-permissions.js';

describe('effectivePermissions', () => {
  it("is the role's bundle without grants or revocations", () => {
    expect(effectivePermissions('analyst')).toEqual(ROLE_PERMISSIONS.analyst);
    expect(effectivePermissions('admin')).toContain(Permission.UserManage);
  });
  it('adds grants and removes revocations', () => {
    const perms = effectivePermissions('analyst', [Permission.QueueAssign], [Permission.AnalyticsView]);
    expect(perms).toContain(Permission.QueueAssign);
    expect(perms).not.toContain(Permission.AnalyticsView);
    expect(perms).toContain(Permission.DecisionCreate);
  });
  it('lets a revocation win over a grant of the same permission', () => {
    expect(effectivePermissions('readonly', [Permission.DecisionCreate], [Permission.DecisionCreate])).not.toContain(Permission.DecisionCreate);
  });
  it('drops unknown permission names and gives an unknown role nothing', () => {
    expect(effectivePermissions('readonly', ['everything:*'])).toEqual(ROLE_PERMISSIONS.readonly);
    expect(effectivePermissions('superuser', [Permission.UserManage])).toEqual([]);
  });
  it('knows the platform roles', () => {
    expect(isKnownRole('senior_analyst')).toBe(true);
    expect(isKnownRole('root')).toBe(false);
  });
});
