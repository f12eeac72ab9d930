import type { SubgraphContext, SubgraphModule } from '@tandem/platform';
import { createRevocationList, forbidden, tenantOf } from '@tandem/platform';
import { ApiClientRecord } from './data/api-client.entity.js';
import { seedDemoIdentity } from './data/demo-seed.js';
import { identityMigrations } from './data/migrations/index.js';
import { RefreshTokenRecord } from './data/refresh-token.entity.js';
import { TenantRecord } from './data/tenant.entity.js';
import { UserRecord } from './data/user.entity.js';
import { prepareDummyHash } from './domain/credentials.js';
import { TokenIssuer, type IdentityServices } from './domain/token-issuer.js';
import { PURGE_INTERVAL_MS, purgeExpiredRefreshTokens } from './jobs/purge-refresh-tokens.js';
import { ApiClientResolver } from './schema/api-client.resolver.js';
import { AuthResolver } from './schema/auth.resolver.js';
import { toUser } from './schema/identity.mapper.js';
import { UserResolver, userLoader } from './schema/user.resolver.js';

/**
 * The identity subgraph: owns tenants, users, roles and permissions, partner
 * API clients, and token issuance. Its services (IdentityServices) are read
 * back with servicesOf; the module is typed as a plain SubgraphModule so the
 * platform's runners, which take SubgraphModule<unknown>, accept it.
 */
export const identitySubgraph: SubgraphModule = {
  name: 'identity',
  resolvers: [UserResolver, AuthResolver, ApiClientResolver],
  entities: [TenantRecord, UserRecord, ApiClientRecord, RefreshTokenRecord],
  migrations: identityMigrations,
  referenceResolvers: {
    // Another subgraph's field pointing at a user (assignee, decidedBy): only users of the same tenant see it.
    User: async (ref: { id: string }, ctx: SubgraphContext) => {
      tenantOf(ctx);
      if (ctx.caller.kind === 'client') throw forbidden('User profiles are visible to users of the same tenant only');
      const record = await userLoader(ctx).load(ref.id);
      return record ? toUser(record) : null;
    },
  },
  createServices: async ({ config }): Promise<IdentityServices> => {
    await prepareDummyHash();
    return {
      tokens: new TokenIssuer({
        jwtSecret: config.jwtSecret,
        accessTokenTtlSeconds: config.accessTokenTtlSeconds,
        refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
      }),
      revocations: createRevocationList(config.redisUrl),
    };
  },
  jobs: (runtime) => [{ name: 'purge-refresh-tokens', everyMs: PURGE_INTERVAL_MS, run: async () => void (await purgeExpiredRefreshTokens(runtime)) }],
  seedDemo: ({ orm }, _services, tenants) => seedDemoIdentity(orm.em.fork(), tenants),
};
