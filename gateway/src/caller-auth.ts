import type { IncomingHttpHeaders } from 'node:http';
import { type Caller, createRevocationList, type RevocationList, readAccessToken } from '@tandem/platform';
import { GraphQLError } from 'graphql';

export const ANONYMOUS: Caller = { kind: 'anonymous', permissions: [] };

/** The process-wide list (in memory) when no Redis-backed one is passed: identity writes it in the same process. */
const processRevocations = createRevocationList();

const invalidToken = () =>
  new GraphQLError('The access token is invalid or expired: sign in again', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });

/**
 * Reads "Bearer <token>". No header: anonymous (login and the like). A bad,
 * expired or revoked token (logout, permissions changed): UNAUTHENTICATED, 401.
 */
export async function callerFromAuthorization(
  header: string | undefined,
  jwtSecret: string,
  revocations: RevocationList = processRevocations,
): Promise<Caller> {
  if (!header) return ANONYMOUS;
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  const token = m ? await readAccessToken(m[1], jwtSecret) : null;
  if (!token) throw invalidToken();
  const userId = token.caller.kind === 'user' ? token.caller.id : undefined;
  if (await revocations.isRevoked({ sessionId: token.sessionId, userId, issuedAtMs: token.issuedAtMs })) throw invalidToken();
  return token.caller;
}

export function authorizationHeader(headers: IncomingHttpHeaders): string | undefined {
  const h = headers.authorization;
  return Array.isArray(h) ? h[0] : h;
}
