import type { AuthChecker } from 'type-graphql';
import type { SubgraphContext } from '../graphql/context.js';
import { forbidden, unauthenticated } from '../errors/errors.js';
import type { Permission } from './permissions.js';

/** Separates alternatives in one requirement: `anyOf(a, b)` is "a|b". */
export const ALTERNATIVES = '|';

/**
 * A requirement met by any one of the permissions, for `@Authorized`:
 * `@Authorized(anyOf(Permission.ApplicationCreate, Permission.ConfigManage))`.
 * It shows in the schema as `@tandem__requires(permissions: ["application:create|config:manage"])`.
 */
export const anyOf = (...permissions: Permission[]): string => permissions.join(ALTERNATIVES);

/** Whether the permissions meet every requirement (each a permission, or alternatives joined by "|"). */
export function meetsRequirements(granted: readonly string[], required: readonly string[]): boolean {
  return required.every((r) => r.split(ALTERNATIVES).some((p) => granted.includes(p)));
}

/**
 * `@Authorized('queue:view')` on a field or mutation: the caller needs every
 * requirement listed (one permission each, or `anyOf(...)` alternatives).
 * `@Authorized()` with none: any signed-in caller.
 */
export const permissionAuthChecker: AuthChecker<SubgraphContext> = ({ context }, required) => {
  const caller = context.caller;
  if (caller.kind === 'anonymous' || !caller.tenantId) throw unauthenticated();
  const missing = required.filter((r) => !meetsRequirements(caller.permissions, [r]));
  if (missing.length) throw forbidden(`Missing permission: ${missing.map((m) => m.split(ALTERNATIVES).join(' or ')).join(', ')}`);
  return true;
};
