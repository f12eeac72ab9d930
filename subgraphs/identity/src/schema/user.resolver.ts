import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badInput, conflict, forbidden, loader, notFound, Permission, tenantOf, unauthenticated, type SubgraphContext } from '@tandem/platform';
import { TenantRepository } from '../data/tenant.repository.js';
import { UserRepository } from '../data/user.repository.js';
import { hashSecret } from '../domain/credentials.js';
import { normaliseEmail } from '../domain/email.js';
import { validateNewUser } from '../domain/new-user.js';
import { CreateUserInput } from './create-user.input.js';
import { toTenant, toUser } from './identity.mapper.js';
import { Tenant, User } from './identity.types.js';

/** Users of the caller's tenant by id, batched per request. */
export const userLoader = (ctx: SubgraphContext) => loader(ctx, 'user', () => new UserRepository(ctx.em).loader(tenantOf(ctx)));

const tenantLoader = (ctx: SubgraphContext) => loader(ctx, 'tenant', () => new TenantRepository(ctx.em).loader());

@Resolver(() => User)
export class UserResolver {
  @Authorized()
  @Query(() => User, { description: 'The signed-in user. Users only: an API client has no user profile.' })
  async me(@Ctx() ctx: SubgraphContext): Promise<User> {
    if (ctx.caller.kind !== 'user' || !ctx.caller.id) {
      throw forbidden('me is the signed-in user: API clients and system jobs have no user profile');
    }
    const record = await userLoader(ctx).load(ctx.caller.id);
    // The access token can outlive the account by a few minutes.
    if (!record?.active) throw unauthenticated('Your account no longer exists or was deactivated: sign in again');
    return toUser(record);
  }

  @Authorized(Permission.UserManage)
  @Mutation(() => User, { description: 'Create a user in your tenant. Requires user:manage.' })
  async createUser(@Arg('input', () => CreateUserInput) input: CreateUserInput, @Ctx() ctx: SubgraphContext): Promise<User> {
    const tenantId = tenantOf(ctx);
    const problems = validateNewUser(input);
    if (problems.length) throw badInput(`Invalid user: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`, { problems });
    if (!(await new TenantRepository(ctx.em).findById(tenantId))) throw notFound('Tenant', tenantId);

    const email = normaliseEmail(input.email);
    const record = await new UserRepository(ctx.em).create(tenantId, {
      email,
      name: input.name.trim(),
      role: input.role,
      passwordHash: await hashSecret(input.password),
    });
    if (!record) throw conflict(`A user with email ${email} already exists`);
    ctx.log.info({ userId: record.id, role: record.role }, 'user created');
    return toUser(record);
  }

  @FieldResolver(() => Tenant)
  async tenant(@Root() user: User, @Ctx() ctx: SubgraphContext): Promise<Tenant> {
    // The user's own tenant: for `me` and references that is the caller's; for login, the one just signed in to.
    const record = await tenantLoader(ctx).load(user.tenantId);
    if (!record) throw notFound('Tenant', user.tenantId);
    return toTenant(record);
  }
}
