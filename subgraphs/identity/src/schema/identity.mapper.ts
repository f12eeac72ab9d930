import type { ApiClientRecord } from '../data/api-client.entity.js';
import type { TenantRecord } from '../data/tenant.entity.js';
import type { UserRecord } from '../data/user.entity.js';
import { effectivePermissions } from '../domain/effective-permissions.js';
import type { CreatedApiClient, Tenant, User } from './identity.types.js';

/** Entity → GraphQL shape. The password hash never leaves through here. */
export function toUser(r: UserRecord): User {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    permissions: effectivePermissions(r.role, r.grants, r.revocations),
    tenantId: r.tenantId,
  };
}

export function toTenant(r: TenantRecord): Tenant {
  return { id: r.id, slug: r.id, name: r.name };
}

/** Only right after creation or rotation, when the plain secret is still in hand. */
export function toCreatedApiClient(r: ApiClientRecord, clientSecret: string): CreatedApiClient {
  return { clientId: r.clientId, name: r.name, clientSecret, role: r.role, createdAt: r.createdAt, rotatedAt: r.rotatedAt ?? null };
}
