import type { IncomingHttpHeaders } from 'node:http';
import { GraphQLError } from 'graphql';
import { verifyAccessToken, type Caller } from '@tandem/platform';

export const ANONYMOUS: Caller = { kind: 'anonymous', permissions: [] };

/** Reads "Bearer <token>". No header: anonymous (login and the like). A bad token: UNAUTHENTICATED, 401. */
export async function callerFromAuthorization(header: string | undefined, jwtSecret: string): Promise<Caller> {
  if (!header) return ANONYMOUS;
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  const caller = m ? await verifyAccessToken(m[1], jwtSecret) : null;
  if (!caller) {
    throw new GraphQLError('The access token is invalid or expired: sign in again', {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  }
  return caller;
}

export function authorizationHeader(headers: IncomingHttpHeaders): string | undefined {
  const h = headers.authorization;
  return Array.isArray(h) ? h[0] : h;
}
