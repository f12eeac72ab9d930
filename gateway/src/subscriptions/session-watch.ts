import { createLogger, type RevocationList } from '@tandem/platform';
import type { WebSocket } from 'ws';

const log = createLogger('subscriptions');

/** Close code for a connection whose token expired or was revoked: graphql-ws's 4401 Unauthorized (its clients do not retry it; sign in or refresh, then reconnect). */
export const SESSION_ENDED_CLOSE_CODE = 4401;
export const TOKEN_EXPIRED_REASON = 'Access token expired: reconnect with a fresh token';
export const SESSION_REVOKED_REASON = 'Session ended (signed out or revoked): sign in again';
/** setTimeout's longest delay; a later expiry is left to the periodic check. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Watched {
  sockets: Set<WebSocket>;
  expiresAtMs: number;
  /** What the revocation list is asked about this token. */
  revocationKey: RevocationKey;
  expiry?: NodeJS.Timeout;
}

/** What the revocation list is asked about a token (as the gateway's callerFromAuthorization asks it). */
export type RevocationKey = Parameters<RevocationList['isRevoked']>[0];
/** Which tokens, each verified when its connection opened, have been revoked since (answers in order). */
export type RevocationCheck = (tokens: readonly { authorization: string; key: RevocationKey }[]) => Promise<boolean[]>;

/**
 * Keeps open graphql-ws connections no longer than their access token is
 * good: each is closed with 4401 when the token's `exp` passes (a timer per
 * token), or once the revocation list says the token is revoked (logout, a
 * reused refresh token, changed permissions; Redis-backed when present, so a
 * logout on any gateway reaches this one). The signature was verified when
 * the connection opened, so the periodic check asks the revocation list only
 * (no JWT verification per check). Connections sharing a token share its
 * timer and its checks: one check per distinct token every `checkMs`, however
 * many sockets use it.
 */
export class SessionWatch {
  private readonly byToken = new Map<string, Watched>();
  private readonly timer: NodeJS.Timeout;
  private checking = false;

  constructor(
    private readonly whichRevoked: RevocationCheck,
    checkMs: number,
  ) {
    this.timer = setInterval(() => void this.check(), checkMs);
    this.timer.unref();
  }

  /** `authorization` ("Bearer <token>") was accepted for `socket` just now. */
  watch(socket: WebSocket, authorization: string): void {
    // Gone while its token was being checked: its close event has passed, nothing would ever forget it.
    if (socket.readyState !== socket.OPEN) return;
    let entry = this.byToken.get(authorization);
    if (!entry) {
      const claims = claimsOf(authorization);
      const created: Watched = {
        sockets: new Set(),
        expiresAtMs: typeof claims.exp === 'number' ? claims.exp * 1000 : Number.POSITIVE_INFINITY,
        // As the gateway's callerFromAuthorization asks it: the session, and (for users) tokens issued before a cut-off.
        revocationKey: {
          sessionId: typeof claims.sid === 'string' ? claims.sid : undefined,
          userId: claims.knd !== 'client' && typeof claims.sub === 'string' ? claims.sub : undefined,
          issuedAtMs: typeof claims.iams === 'number' ? claims.iams : typeof claims.iat === 'number' ? claims.iat * 1000 : 0,
        },
      };
      const delay = created.expiresAtMs - Date.now();
      if (delay <= MAX_TIMER_MS) {
        created.expiry = setTimeout(() => this.end(authorization, created, TOKEN_EXPIRED_REASON), Math.max(0, delay));
        created.expiry.unref();
      }
      this.byToken.set(authorization, created);
      entry = created;
    }
    const watched = entry;
    watched.sockets.add(socket);
    socket.once('close', () => {
      watched.sockets.delete(socket);
      if (watched.sockets.size === 0) this.forget(authorization, watched);
    });
  }

  /** Tokens watched (for tests). */
  get tokens(): number {
    return this.byToken.size;
  }

  close(): void {
    clearInterval(this.timer);
    for (const [authorization, entry] of this.byToken) this.forget(authorization, entry);
  }

  private async check(): Promise<void> {
    if (this.checking) return; // a slow revocation store: never two rounds at once
    this.checking = true;
    try {
      const now = Date.now();
      const live: [string, Watched][] = [];
      for (const [authorization, entry] of this.byToken) {
        if (now >= entry.expiresAtMs) this.end(authorization, entry, TOKEN_EXPIRED_REASON);
        else live.push([authorization, entry]);
      }
      if (!live.length) return;
      // One question for every token watched (one MGET round on Redis), not one per token.
      let revoked: boolean[];
      try {
        revoked = await this.whichRevoked(live.map(([authorization, entry]) => ({ authorization, key: entry.revocationKey })));
      } catch (err) {
        // The store is unreachable: keep the connections (they were valid) and ask again next round.
        log.warn({ err, tokens: live.length }, 'could not check open connections against the revocation list');
        return;
      }
      const answeredAt = Date.now();
      for (const [i, [authorization, entry]] of live.entries()) {
        // Still watched (not ended meanwhile by its expiry timer or a close) and revoked. A token that expired while
        // the question was out is reported as expired: a check through authenticate refuses it for that reason alone.
        if (revoked[i] && this.byToken.get(authorization) === entry) {
          this.end(authorization, entry, answeredAt >= entry.expiresAtMs ? TOKEN_EXPIRED_REASON : SESSION_REVOKED_REASON);
        }
      }
    } finally {
      this.checking = false;
    }
  }

  private end(authorization: string, entry: Watched, reason: string): void {
    this.forget(authorization, entry);
    if (entry.sockets.size) log.info({ sockets: entry.sockets.size, reason }, 'closing connections whose token is no longer valid');
    for (const socket of entry.sockets) socket.close(SESSION_ENDED_CLOSE_CODE, reason);
  }

  private forget(authorization: string, entry: Watched): void {
    clearTimeout(entry.expiry);
    if (this.byToken.get(authorization) === entry) this.byToken.delete(authorization);
  }
}

/** The token's claims, read without verifying: the connection's authentication verified this very token. */
function claimsOf(authorization: string): Record<string, unknown> {
  try {
    const token = authorization.trim().split(/\s+/)[1] ?? '';
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as unknown;
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
