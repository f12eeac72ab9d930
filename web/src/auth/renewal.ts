import { endSession, getSession, type Session, startSession } from './session';
import { exchangeRefreshToken, revokeRefreshToken } from './session-api';

export const SESSION_REVOKED_MESSAGE = 'Your session has ended (signed out elsewhere or revoked). Please sign in again.';
export const SESSION_UNRENEWABLE_MESSAGE = 'Your session could not be renewed: the server did not answer. Please sign in again.';
export const SESSION_EXPIRED_MESSAGE = 'Your session has expired. Please sign in again.';

/** The one refresh under way: every request and socket refused meanwhile waits for it instead of starting its own. */
let inFlight: Promise<string | null> | null = null;

/**
 * A fresh access token in place of `rejectedToken`, which the gateway refused
 * (401 over HTTP, 4401 on the socket): refresh tokens are single-use and
 * presenting one twice ends the session, so concurrent callers share one
 * refresh. When someone renewed it already, the current token is the answer.
 * Null when the session cannot go on: it has then been ended, with the reason
 * for the login screen.
 */
export function renewAccessToken(rejectedToken: string): Promise<string | null> {
  const session = getSession();
  if (!session) return Promise.resolve(null);
  if (session.accessToken !== rejectedToken) return Promise.resolve(session.accessToken);
  inFlight ??= renew(session).finally(() => {
    inFlight = null;
  });
  return inFlight;
}

async function renew(session: Session): Promise<string | null> {
  if (!session.refreshToken) {
    endSession(SESSION_EXPIRED_MESSAGE);
    return null;
  }
  const outcome = await exchangeRefreshToken(session.refreshToken);
  // Signed out (or in again) while the request was out: that newer state wins, and nobody retries with this session.
  if (getSession()?.refreshToken !== session.refreshToken) return null;
  switch (outcome.kind) {
    case 'renewed':
      startSession({ accessToken: outcome.accessToken, refreshToken: outcome.refreshToken, user: outcome.user });
      return outcome.accessToken;
    case 'refused':
      endSession(SESSION_REVOKED_MESSAGE);
      return null;
    case 'unreachable':
      // The refresh token may have been used already (answer lost): presenting it again would end the session anyway.
      endSession(SESSION_UNRENEWABLE_MESSAGE);
      return null;
  }
}

/**
 * The user signs out: this tab forgets the session at once, then the server
 * revokes it (its refresh token, its access tokens, its open sockets). Ending
 * locally first means this tab's socket is closed by us, not reported back as
 * a revoked session. Best effort: unreachable server, the tokens simply expire.
 */
export async function signOut(): Promise<void> {
  const session = getSession();
  endSession();
  if (!session?.refreshToken) return;
  await revokeRefreshToken(session.refreshToken).catch(() => false);
}
