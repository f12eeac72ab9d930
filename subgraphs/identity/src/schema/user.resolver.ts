import {
  badInput,
  conflict,
  forbidden,
  isUuid,
  loader,
  notFound,
  Permission,
  type SubgraphContext,
  servicesOf,
  tenantOf,
  unauthenticated,
} from '@tandem/platform';
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { RefreshTokenRepository } from '../data/refresh-token.repository.js';
import { TenantRepository } from '../data/tenant.repository.js';
import type { UserRecord } from '../data/user.entity.js';
import { UserRepository } from '../data/user.repository.js';
import { type AccessProblem, permissionOverrideProblems, userRoleProblems } from '../domain/access-change.js';
import { hashSecret } from '../domain/credentials.js';
import { normaliseEmail } from '../domain/email.js';
import { validateNewUser } from '../domain/new-user.js';
import type { IdentityServices } from '../domain/token-issuer.js';
import type { UserAccessAction } from '../events/identity-audit.js';
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
    const record = await new UserRepository(ctx.em).create(
      tenantId,
      {
        email,
        name: input.name.trim(),
        role: input.role,
        passwordHash: await hashSecret(input.password),
      },
      { actor: ctx.caller, requestId: ctx.requestId },
    );
    if (!record) throw conflict(`A user with email ${email} already exists`);
    ctx.log.info({ userId: record.id, role: record.role }, 'user created');
    return toUser(record);
  }

  @Authorized(Permission.UserManage)
  @Mutation(() => User, {
    description:
      "Set a user's individual grants and revocations on top of their role (each call replaces both lists). The user's current access tokens stop working at once; a refresh picks up the new permissions. Requires user:manage.",
  })
  async setUserPermissions(
    @Arg('userId', () => ID) userId: string,
    @Arg('grants', () => [String]) grants: string[],
    @Arg('revocations', () => [String]) revocations: string[],
    @Ctx() ctx: SubgraphContext,
  ): Promise<User> {
    refuse(permissionOverrideProblems(grants, revocations));
    const record = await this.changeAccess(ctx, userId, { grants: [...new Set(grants)], revocations: [...new Set(revocations)] }, 'PERMISSIONS_CHANGED');
    ctx.log.info({ userId, grants, revocations }, 'user permissions changed');
    return toUser(record);
  }

  @Authorized(Permission.UserManage)
  @Mutation(() => User, { description: "Change a user's role. Their current access tokens stop working at once. Requires user:manage." })
  async setUserRole(@Arg('userId', () => ID) userId: string, @Arg('role') role: string, @Ctx() ctx: SubgraphContext): Promise<User> {
    refuse(userRoleProblems(role));
    if (userId === ctx.caller.id) throw badInput('You cannot change your own role: ask another administrator');
    const record = await this.changeAccess(ctx, userId, { role }, 'ROLE_CHANGED');
    ctx.log.info({ userId, role }, 'user role changed');
    return toUser(record);
  }

  @Authorized(Permission.UserManage)
  @Mutation(() => User, { description: 'Deactivate a user: every session and access token of theirs ends at once. Requires user:manage.' })
  async deactivateUser(@Arg('userId', () => ID) userId: string, @Ctx() ctx: SubgraphContext): Promise<User> {
    if (userId === ctx.caller.id) throw badInput('You cannot deactivate yourself');
    const record = await this.changeAccess(ctx, userId, { active: false }, 'DEACTIVATED');
    await new RefreshTokenRepository(ctx.em).revokeAllOfUser(userId, new Date());
    ctx.log.info({ userId }, 'user deactivated');
    return toUser(record);
  }

  /** Applies the change in the caller's tenant and revokes the user's outstanding access tokens. */
  private async changeAccess(
    ctx: SubgraphContext,
    userId: string,
    changes: Parameters<UserRepository['updateAccess']>[2],
    action: UserAccessAction,
  ): Promise<UserRecord> {
    // User ids are UUIDs: anything else names no user (and must not reach PostgreSQL's uuid parser).
    const record = isUuid(userId)
      ? await new UserRepository(ctx.em).updateAccess(tenantOf(ctx), userId, changes, action, { actor: ctx.caller, requestId: ctx.requestId })
      : null;
    if (!record) throw notFound('User', userId);
    const { tokens, revocations } = servicesOf<IdentityServices>(ctx);
    await revocations.revokeUserTokensBefore(userId, new Date(), tokens.accessTokenTtlSeconds);
    return record;
  }

  @FieldResolver(() => Tenant)
  async tenant(@Root() user: User, @Ctx() ctx: SubgraphContext): Promise<Tenant> {
    // The user's own tenant: for `me` and references that is the caller's; for login, the one just signed in to.
    const record = await tenantLoader(ctx).load(user.tenantId);
    if (!record) throw notFound('Tenant', user.tenantId);
    return toTenant(record);
  }
}

function refuse(problems: AccessProblem[]): void {
  if (problems.length) throw badInput(`Invalid change: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`, { problems });
}
