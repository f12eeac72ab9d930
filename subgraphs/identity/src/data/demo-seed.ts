import type { EntityManager } from '@mikro-orm/postgresql';
import type { DemoTenant } from '@tandem/platform';
import { hashSecret } from '../domain/credentials.js';
import { ApiClientRepository } from './api-client.repository.js';
import { TenantRepository } from './tenant.repository.js';
import { type AuditedBy, UserRepository } from './user.repository.js';

/** The seed's changes are the system's, in the audit trail too. */
const SEEDED: AuditedBy = { actor: { kind: 'system', id: 'demo-seed' } };

/** Shorter than the password policy allows: the seed writes hashes directly, createUser would refuse it. */
export const DEMO_PASSWORD = 'tandem-demo';
export const DEMO_CLIENT_SECRET = 'tandem-demo-secret';

export const DEMO_USERS: readonly { tenantId: string; email: string; name: string; role: string }[] = [
  { tenantId: 'demo', email: 'admin@demo.test', name: 'Ada Admin', role: 'admin' },
  { tenantId: 'demo', email: 'senior@demo.test', name: 'Sam Senior', role: 'senior_analyst' },
  { tenantId: 'demo', email: 'analyst@demo.test', name: 'Ana Analyst', role: 'analyst' },
  { tenantId: 'demo', email: 'analyst2@demo.test', name: 'Ben Analyst', role: 'analyst' },
  { tenantId: 'demo', email: 'readonly@demo.test', name: 'Rita Readonly', role: 'readonly' },
  { tenantId: 'acme', email: 'analyst@acme.test', name: 'Alex Acme', role: 'analyst' },
];

export const DEMO_CLIENTS: readonly { tenantId: string; clientId: string; name: string }[] = [
  { tenantId: 'demo', clientId: 'demo-partner', name: 'Demo Partner' },
  { tenantId: 'acme', clientId: 'acme-partner', name: 'Acme Partner' },
];

/**
 * Tenants, users and partner clients of the demo. Idempotent: each row is
 * checked before it is inserted (and a concurrent seeder losing the race on
 * the unique index is ignored), so restarts and several processes are fine.
 */
export async function seedDemoIdentity(em: EntityManager, tenants: readonly DemoTenant[]): Promise<void> {
  const tenantRepo = new TenantRepository(em);
  for (const t of tenants) await tenantRepo.ensure(t.id, t.name);
  const seeded = new Set(tenants.map((t) => t.id));

  const users = new UserRepository(em);
  for (const u of DEMO_USERS.filter((u) => seeded.has(u.tenantId))) {
    if (await users.emailExists(u.email)) continue;
    await users.create(u.tenantId, { email: u.email, name: u.name, role: u.role, passwordHash: await hashSecret(DEMO_PASSWORD) }, SEEDED);
  }

  const clients = new ApiClientRepository(em);
  for (const c of DEMO_CLIENTS.filter((c) => seeded.has(c.tenantId))) {
    if (await clients.clientIdExists(c.clientId)) continue;
    await clients.create(c.tenantId, { clientId: c.clientId, name: c.name, secretHash: await hashSecret(DEMO_CLIENT_SECRET) }, SEEDED);
  }
}
