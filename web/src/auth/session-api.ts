import { type Client, cacheExchange, createClient, fetchExchange } from '@urql/core';
import { LOGOUT, REFRESH_TOKEN } from '../graphql/operations';
import { trustedDocumentsExchange } from '../graphql/trusted-documents';
import type { SessionUser } from './session';

/** What the gateway said to a refresh token. */
export type RefreshOutcome =
  | { kind: 'renewed'; accessToken: string; refreshToken: string; user: SessionUser }
  /** Used, revoked (logout, elsewhere too) or unknown: the session is over. */
  | { kind: 'refused'; message: string }
  /** No answer (network, gateway down): whether the token was used is unknown. */
  | { kind: 'unreachable'; message: string };

/**
 * An anonymous client for the session's own mutations: they authenticate with
 * the refresh token in their arguments, and the access token they would
 * otherwise carry is the expired one the gateway refuses with 401.
 */
function anonymousClient(trustedDocuments: boolean): Client {
  return createClient({
    url: new URL('/graphql', window.location.href).toString(),
    // GET requests trip Apollo's CSRF prevention; always POST JSON.
    preferGetMethod: false,
    requestPolicy: 'network-only',
    exchanges: [cacheExchange, ...(trustedDocuments ? [trustedDocumentsExchange()] : []), fetchExchange],
  });
}

export async function exchangeRefreshToken(refreshToken: string, trustedDocuments = import.meta.env.PROD): Promise<RefreshOutcome> {
  const result = await anonymousClient(trustedDocuments).mutation(REFRESH_TOKEN, { refreshToken }).toPromise();
  const renewed = result.data?.refreshToken;
  if (renewed && !result.error) {
    return { kind: 'renewed', accessToken: renewed.accessToken, refreshToken: renewed.refreshToken, user: renewed.user };
  }
  if (result.error?.graphQLErrors.length) return { kind: 'refused', message: result.error.graphQLErrors[0]?.message ?? 'refused' };
  return { kind: 'unreachable', message: result.error?.networkError?.message ?? 'no answer' };
}

/** Revokes the session on the server (its sockets close, its tokens stop working). False when the server did not confirm it. */
export async function revokeRefreshToken(refreshToken: string, trustedDocuments = import.meta.env.PROD): Promise<boolean> {
  const result = await anonymousClient(trustedDocuments).mutation(LOGOUT, { refreshToken }).toPromise();
  return result.data?.logout === true;
}
