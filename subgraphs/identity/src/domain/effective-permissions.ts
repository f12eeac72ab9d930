import { ALL_PERMISSIONS, permissionsForRole, Role, type Permission } from '@tandem/platform';

const ROLES = new Set<string>(Object.values(Role));

export function isKnownRole(role: string): role is Role {
  return ROLES.has(role);
}

export function isKnownPermission(permission: string): permission is Permission {
  return (ALL_PERMISSIONS as string[]).includes(permission);
}

/**
 * What a user may do: the role's bundle, plus individual grants, minus
 * individual revocations (a revocation wins over a grant of the same
 * permission). Unknown roles get nothing rather than failing open, and
 * stale permission names in grants are dropped.
 */
export function effectivePermissions(role: string, grants: readonly string[] = [], revocations: readonly string[] = []): Permission[] {
  if (!isKnownRole(role)) return [];
  return permissionsForRole(role, [...grants], [...revocations]);
}
