import { type SubgraphContext, servicesOf, unauthenticated } from '@tandem/platform';
import { Arg, Ctx, Directive, Mutation, Resolver } from 'type-graphql';
import { ApiClientRepository } from '../data/api-client.repository.js';
import { RefreshTokenRepository } from '../data/refresh-token.repository.js';
import type { UserRecord } from '../data/user.entity.js';
import { UserRepository } from '../data/user.repository.js';
import { verifyAgainstDummy, verifySecret } from '../domain/credentials.js';
import { effectivePermissions } from '../domain/effective-permissions.js';
import { normaliseEmail } from '../domain/email.js';
import { hashRefreshToken } from '../domain/refresh-token.js';
import type { IdentityServices } from '../domain/token-issuer.js';
import { toUser } from './identity.mapper.js';
import { AuthPayload, ClientToken } from './identity.types.js';

// One message per failure kind, whatever the cause, so a caller cannot tell which part was wrong.
const INVALID_LOGIN = 'Invalid email or password';
const INVALID_CLIENT = 'Invalid client credentials';
const INVALID_SESSION = 'Session expired or revoked: sign in again';

const tokensOf = (ctx: SubgraphContext) => servicesOf<IdentityServices>(ctx).tokens;
const revocationsOf = (ctx: SubgraphContext) => servicesOf<IdentityServices>(ctx).revocations;

/**
 * Token issuance. These mutations are called before the caller has a token,
 * so they carry no @Authorized (the platform's auth checker refuses
 * anonymous callers): the credentials in the arguments are the authorisation.
 */
@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, { description: 'Sign in with email and password. Open to anonymous callers.' })
  async login(@Arg('email') email: string, @Arg('password') password: string, @Ctx() ctx: SubgraphContext): Promise<AuthPayload> {
    const user = await new UserRepository(ctx.em).findForLogin(normaliseEmail(email));
    // Unknown email: verify against a dummy hash anyway, so the answer takes as long as a wrong password.
    const passwordMatches = user ? await verifySecret(user.passwordHash, password) : await verifyAgainstDummy(password);
    if (!user || !passwordMatches || !user.active) {
      ctx.log.info({ userId: user?.id }, 'login refused');
      throw unauthenticated(INVALID_LOGIN);
    }
    return this.startSession(ctx, user);
  }

  @Mutation(() => AuthPayload, {
    description:
      'Exchange a refresh token for a new access token and refresh token. Each refresh token works once; presenting a used one ends the session everywhere.',
  })
  async refreshToken(@Arg('refreshToken') refreshToken: string, @Ctx() ctx: SubgraphContext): Promise<AuthPayload> {
    const now = new Date();
    const next = tokensOf(ctx).newRefreshToken(now);
    const result = await new RefreshTokenRepository(ctx.em).rotate(hashRefreshToken(refreshToken), now, next, ctx.requestId);
    if (result.verdict !== 'valid') {
      if ('familyId' in result) {
        // The session is over: its access tokens stop working too, not just its refresh tokens.
        await revocationsOf(ctx).revokeSession(result.familyId, tokensOf(ctx).accessTokenTtlSeconds);
      }
      if (result.verdict === 'reused') ctx.log.warn('refresh token presented twice: its session was revoked');
      throw unauthenticated(INVALID_SESSION);
    }
    const user = toUser(result.user);
    const access = await tokensOf(ctx).forUser(user, result.familyId);
    return { accessToken: access.accessToken, expiresIn: access.expiresIn, refreshToken: next.token, user };
  }

  @Mutation(() => Boolean, {
    description:
      'End the session the refresh token belongs to: its refresh tokens and its access tokens stop working at once, on every gateway. False when the token is unknown.',
  })
  async logout(@Arg('refreshToken') refreshToken: string, @Ctx() ctx: SubgraphContext): Promise<boolean> {
    const familyId = await new RefreshTokenRepository(ctx.em).revokeFamilyOf(hashRefreshToken(refreshToken), new Date(), ctx.requestId);
    if (!familyId) return false;
    await revocationsOf(ctx).revokeSession(familyId, tokensOf(ctx).accessTokenTtlSeconds);
    return true;
  }

  @Directive('@inaccessible')
  @Mutation(() => ClientToken, {
    description: "OAuth2 client-credentials grant for partner systems. Not in the public graph: the gateway's POST /oauth/token calls it.",
  })
  async clientCredentialsToken(
    @Arg('clientId') clientId: string,
    @Arg('clientSecret') clientSecret: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ClientToken> {
    const client = await new ApiClientRepository(ctx.em).findForAuthentication(clientId);
    const secretMatches = client ? await verifySecret(client.secretHash, clientSecret) : await verifyAgainstDummy(clientSecret);
    if (!client || !secretMatches || !client.active) {
      ctx.log.info({ clientId: client?.clientId }, 'client credentials refused');
      throw unauthenticated(INVALID_CLIENT);
    }
    const access = await tokensOf(ctx).forClient({
      clientId: client.clientId,
      tenantId: client.tenantId,
      role: client.role,
      permissions: effectivePermissions(client.role),
    });
    return { accessToken: access.accessToken, tokenType: 'Bearer', expiresIn: access.expiresIn };
  }

  private async startSession(ctx: SubgraphContext, record: UserRecord): Promise<AuthPayload> {
    const user = toUser(record);
    const refresh = tokensOf(ctx).newRefreshToken(new Date());
    const sessionId = await new RefreshTokenRepository(ctx.em).startFamily(record.id, refresh);
    const access = await tokensOf(ctx).forUser(user, sessionId);
    ctx.log.info({ userId: record.id }, 'signed in');
    return { accessToken: access.accessToken, expiresIn: access.expiresIn, refreshToken: refresh.token, user };
  }
}
