import { badInput, conflict, notFound, Permission, type SubgraphContext, tenantOf } from '@tandem/platform';
import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { ApiClientRepository } from '../data/api-client.repository.js';
import { TenantRepository } from '../data/tenant.repository.js';
import { hashSecret, newClientId, newClientSecret } from '../domain/credentials.js';
import { displayNameProblems } from '../domain/new-user.js';
import { toCreatedApiClient } from './identity.mapper.js';
import { CreatedApiClient } from './identity.types.js';

/** Partner credentials of the caller's tenant. Secrets are returned once and stored only as argon2id hashes. */
@Resolver()
export class ApiClientResolver {
  @Authorized(Permission.UserManage)
  @Mutation(() => CreatedApiClient, {
    description: 'Register a partner system in your tenant (role api_consumer). The secret is in this answer only. Requires user:manage.',
  })
  async createApiClient(@Arg('name') name: string, @Ctx() ctx: SubgraphContext): Promise<CreatedApiClient> {
    const tenantId = tenantOf(ctx);
    const problems = displayNameProblems(name);
    if (problems.length)
      throw badInput(`Invalid API client: name ${problems.join('; ')}`, { problems: problems.map((problem) => ({ field: 'name', problem })) });
    if (!(await new TenantRepository(ctx.em).findById(tenantId))) throw notFound('Tenant', tenantId);

    const secret = newClientSecret();
    const record = await new ApiClientRepository(ctx.em).create(
      tenantId,
      { clientId: newClientId(), name: name.trim(), secretHash: await hashSecret(secret) },
      {
        actor: ctx.caller,
        requestId: ctx.requestId,
      },
    );
    // 72 random bits: a collision means something is badly wrong, and retrying is the right answer.
    if (!record) throw conflict('Could not allocate a client id: try again');
    ctx.log.info({ clientId: record.clientId }, 'API client created');
    return toCreatedApiClient(record, secret);
  }

  @Authorized(Permission.UserManage)
  @Mutation(() => CreatedApiClient, {
    description: 'Replace the secret of one of your tenant’s API clients; the old secret stops working at once. Requires user:manage.',
  })
  async rotateApiClientSecret(@Arg('clientId') clientId: string, @Ctx() ctx: SubgraphContext): Promise<CreatedApiClient> {
    const secret = newClientSecret();
    const record = await new ApiClientRepository(ctx.em).rotateSecret(tenantOf(ctx), clientId, await hashSecret(secret), new Date(), {
      actor: ctx.caller,
      requestId: ctx.requestId,
    });
    if (!record) throw notFound('API client', clientId);
    ctx.log.info({ clientId: record.clientId }, 'API client secret rotated');
    return toCreatedApiClient(record, secret);
  }
}
