import { issueAccessToken, type Permission, type RevocationList } from '@tandem/platform';
import { hashRefreshToken, newRefreshTokenValue, refreshTokenExpiry } from './refresh-token.js';

export interface TokenSettings {
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

export interface AccessGrant {
  accessToken: string;
  expiresIn: number;
}

/** A new refresh token: the value goes to the caller once, only the hash is stored. */
export interface RefreshGrant {
  token: string;
  tokenHash: string;
  expiresAt: Date;
}

/** Mints the platform's access tokens (HS256, short-lived) and opaque refresh tokens. */
export class TokenIssuer {
  constructor(private readonly settings: TokenSettings) {}

  /** `sessionId` is the refresh-token family: logging out revokes the access tokens issued in it. */
  async forUser(user: { id: string; tenantId: string; role: string; permissions: Permission[] }, sessionId: string): Promise<AccessGrant> {
    return this.issue({ sub: user.id, tenantId: user.tenantId, kind: 'user', role: user.role, permissions: user.permissions, sessionId });
  }

  /** How long a revocation must be remembered: until every access token it covers has expired anyway. */
  get accessTokenTtlSeconds(): number {
    return this.settings.accessTokenTtlSeconds;
  }

  /** API clients are identified by their public client id, which is what partners and audit logs know them by. */
  async forClient(client: { clientId: string; tenantId: string; role: string; permissions: Permission[] }): Promise<AccessGrant> {
    return this.issue({ sub: client.clientId, tenantId: client.tenantId, kind: 'client', role: client.role, permissions: client.permissions });
  }

  newRefreshToken(now: Date): RefreshGrant {
    const token = newRefreshTokenValue();
    return { token, tokenHash: hashRefreshToken(token), expiresAt: refreshTokenExpiry(now, this.settings.refreshTokenTtlSeconds) };
  }

  private async issue(claims: Parameters<typeof issueAccessToken>[0]): Promise<AccessGrant> {
    const ttl = this.settings.accessTokenTtlSeconds;
    return { accessToken: await issueAccessToken(claims, this.settings.jwtSecret, ttl), expiresIn: ttl };
  }
}

/** What the identity module puts on every request context (built once per process from the config). */
export interface IdentityServices {
  tokens: TokenIssuer;
  /** Read by the gateway on every request: logout and permission changes take effect at once. */
  revocations: RevocationList;
}
