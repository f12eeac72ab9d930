import { isKnownPermission, isKnownRole } from './effective-permissions.js';

export interface AccessProblem {
  field: string;
  problem: string;
}

/** Grants and revocations name real permissions, once each, and never the same one both ways. */
export function permissionOverrideProblems(grants: readonly string[], revocations: readonly string[]): AccessProblem[] {
  const problems: AccessProblem[] = [];
  for (const [field, list] of [
    ['grants', grants],
    ['revocations', revocations],
  ] as const) {
    for (const p of list) if (!isKnownPermission(p)) problems.push({ field, problem: `unknown permission "${p}"` });
    if (new Set(list).size !== list.length) problems.push({ field, problem: 'lists a permission twice' });
  }
  for (const p of grants) if (revocations.includes(p)) problems.push({ field: 'revocations', problem: `"${p}" is both granted and revoked` });
  return problems;
}

/** Users hold the staff roles; api_consumer belongs to API clients. */
export function userRoleProblems(role: string): AccessProblem[] {
  if (!isKnownRole(role) || role === 'api_consumer') return [{ field: 'role', problem: 'must be admin, senior_analyst, analyst or readonly' }];
  return [];
}
