import { EventEmitter } from 'node:events';
import { issueAccessToken, MemoryRevocationList, permissionsForRole } from '@tandem/platform';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { type RevocationCheck, SESSION_ENDED_CLOSE_CODE, SESSION_REVOKED_REASON, SessionWatch, TOKEN_EXPIRED_REASON } from './session-watch.js';

const SECRET = 's'.repeat(64);

/** What SessionWatch uses of a ws socket: its state, its close event, and close(). */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  closedWith: [number, string] | null = null;
  close(code: number, reason: string) {
    this.closedWith = [code, reason];
    this.readyState = 3;
    this.emit('close');
  }
}

const token = async (sub: string, sessionId: string) =>
  `Bearer ${await issueAccessToken({ sub, tenantId: 'demo', kind: 'user', role: 'analyst', permissions: permissionsForRole('analyst'), sessionId }, SECRET, 600)}`;
const until = async (check: () => boolean, ms = 3_000) => {
  for (const end = Date.now() + ms; !check(); await new Promise((r) => setTimeout(r, 10))) if (Date.now() > end) throw new Error('not in time');
};

describe('SessionWatch', () => {
  let watch: SessionWatch | undefined;
  afterEach(() => watch?.close());

  it('asks about every watched token in one question per round, and closes the revoked ones only', async () => {
    const list = new MemoryRevocationList();
    const rounds: number[] = [];
    const check: RevocationCheck = async (tokens) => {
      rounds.push(tokens.length);
      return list.whichRevoked(tokens.map((t) => t.key));
    };
    watch = new SessionWatch(check, 50);
    const sockets = Array.from({ length: 30 }, () => new FakeSocket());
    const tokens = await Promise.all(Array.from({ length: 10 }, (_, i) => token(`u${i}`, `s${i}`)));
    // Three sockets per token: tokens are asked about, not sockets.
    for (const [i, socket] of sockets.entries()) watch.watch(socket as unknown as WebSocket, tokens[i % 10]!);
    await until(() => rounds.length >= 2);
    expect(rounds.slice(0, 2)).toEqual([10, 10]);

    await list.revokeSession('s3', 60);
    await until(() => sockets[3]!.closedWith !== null);
    for (const [i, socket] of sockets.entries()) {
      expect(socket.closedWith).toEqual(i % 10 === 3 ? [SESSION_ENDED_CLOSE_CODE, SESSION_REVOKED_REASON] : null);
    }
    await until(() => rounds.at(-1) === 9);
    expect(watch.tokens).toBe(9);
  });

  it('keeps every connection when the revocation store cannot answer, and asks again next round', async () => {
    let failing = true;
    let asked = 0;
    watch = new SessionWatch(async (tokens) => {
      asked++;
      if (failing) throw new Error('store down');
      return tokens.map(() => true);
    }, 50);
    const socket = new FakeSocket();
    watch.watch(socket as unknown as WebSocket, await token('u1', 's1'));
    await until(() => asked >= 3);
    expect(socket.closedWith).toBeNull();
    failing = false;
    await until(() => socket.closedWith !== null);
    expect(socket.closedWith).toEqual([SESSION_ENDED_CLOSE_CODE, SESSION_REVOKED_REASON]);
  });

  it('reports a token that expired while its revocation question was out as expired, not revoked', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-24T00:00:00.000Z') });
    try {
      let answer: ((revoked: boolean[]) => void) | undefined;
      // A check through authenticate refuses an expired token: to it, expired and revoked look the same.
      watch = new SessionWatch(() => new Promise((resolve) => (answer = resolve)), 100);
      const socket = new FakeSocket();
      const claims = { sub: 'u1', tenantId: 'demo', kind: 'user', role: 'analyst', permissions: permissionsForRole('analyst') } as const;
      watch.watch(socket as unknown as WebSocket, `Bearer ${await issueAccessToken(claims, SECRET, 1)}`);
      await vi.advanceTimersByTimeAsync(100); // the first round's question goes out before the token's exp
      expect(answer).toBeDefined();
      // The answer comes back after exp, before the expiry timer has run.
      vi.setSystemTime(Date.now() + 1_000);
      answer!([true]);
      for (let i = 0; i < 5; i++) await Promise.resolve();
      expect(socket.closedWith).toEqual([SESSION_ENDED_CLOSE_CODE, TOKEN_EXPIRED_REASON]);
    } finally {
      vi.useRealTimers();
    }
  });
});
