import type { AuthChecker } from 'type-graphql';
import type { SubgraphContext } from '../graphql/context.js';
import { forbidden, unauthenticated } from '../errors/errors.js';

/**
 * `@Authorized('queue:view')` on a field or mutation: the caller needs every
 * permission listed. `@Authorized()` with none: any signed-in caller.
 */
export const permissionAuthChecker: AuthChecker<SubgraphContext> = ({ context }, required) => {
  const caller = context.caller;
  if (caller.kind === 'anonymous' || !caller.tenantId) throw unauthenticated();
  const missing = required.filter((p) => !caller.permissions.includes(p as never));
  if (missing.length) throw forbidden(`Missing permission: ${missing.join(', ')}`);
  return true;
};
