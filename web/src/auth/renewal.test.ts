import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { analyst } from '../test/fixtures';
import { api, server } from '../test/server';
import { renewAccessToken, SESSION_EXPIRED_MESSAGE, SESSION_REVOKED_MESSAGE, SESSION_UNRENEWABLE_MESSAGE, signOut } from './renewal';
import { getSession, getSessionEndedReason, SESSION_STORAGE_KEY, startSession } from './session';

const stored = () => JSON.parse(window.sessionStorage.getItem(SESSION_STORAGE_KEY) ?? 'null');

describe('renewing the access token with the refresh token', () => {
  it('sends one refresh for concurrent callers and keeps the new pair', async () => {
    startSession({ accessToken: 'access-1', refreshToken: 'refresh-1', user: analyst });
    const requests: { variables: unknown; authorization: string | null }[] = [];
    server.use(
      api.mutation('RefreshToken', async ({ variables, request }) => {
        requests.push({ variables, authorization: request.headers.get('authorization') });
        await new Promise((r) => setTimeout(r, 20));
        return HttpResponse.json({ data: { refreshToken: { accessToken: 'access-2', refreshToken: 'refresh-2', user: { ...analyst, name: 'Ada A.' } } } });
      }),
    );
    const tokens = await Promise.all([renewAccessToken('access-1'), renewAccessToken('access-1'), renewAccessToken('access-1')]);
    expect(tokens).toEqual(['access-2', 'access-2', 'access-2']);
    // Refresh tokens are single-use: a second request would have ended the session.
    expect(requests).toEqual([{ variables: { refreshToken: 'refresh-1' }, authorization: null }]);
    expect(stored()).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2', user: { name: 'Ada A.' } });

    // A caller still holding the old token gets the renewed one, without another refresh.
    expect(await renewAccessToken('access-1')).toBe('access-2');
    expect(requests).toHaveLength(1);
  });

  it('signs out with a clear reason when the refresh token is refused (revoked by a logout elsewhere)', async () => {
    startSession({ accessToken: 'access-1', refreshToken: 'refresh-revoked', user: analyst });
    server.use(
      api.mutation('RefreshToken', () =>
        HttpResponse.json({ data: null, errors: [{ message: 'Session expired or revoked: sign in again', extensions: { code: 'UNAUTHENTICATED' } }] }),
      ),
    );
    expect(await renewAccessToken('access-1')).toBeNull();
    expect(getSession()).toBeNull();
    expect(window.sessionStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
    expect(getSessionEndedReason()).toBe(SESSION_REVOKED_MESSAGE);
  });

  it('signs out when the server does not answer, and when the session has no refresh token', async () => {
    startSession({ accessToken: 'access-1', refreshToken: 'refresh-1', user: analyst });
    server.use(api.mutation('RefreshToken', () => HttpResponse.error()));
    expect(await renewAccessToken('access-1')).toBeNull();
    expect(getSessionEndedReason()).toBe(SESSION_UNRENEWABLE_MESSAGE);

    startSession({ accessToken: 'access-old', user: analyst });
    expect(getSessionEndedReason()).toBeNull();
    expect(await renewAccessToken('access-old')).toBeNull();
    expect(getSessionEndedReason()).toBe(SESSION_EXPIRED_MESSAGE);
  });

  it('does not revive a session the user signed out of while the refresh was under way', async () => {
    startSession({ accessToken: 'access-1', refreshToken: 'refresh-1', user: analyst });
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    server.use(
      api.mutation('RefreshToken', async () => {
        await gate;
        return HttpResponse.json({ data: { refreshToken: { accessToken: 'access-2', refreshToken: 'refresh-2', user: analyst } } });
      }),
      api.mutation('Logout', () => HttpResponse.json({ data: { logout: true } })),
    );
    const renewal = renewAccessToken('access-1');
    await signOut();
    release();
    expect(await renewal).toBeNull();
    expect(getSession()).toBeNull();
  });
});

describe('signing out', () => {
  it('forgets the session at once, without a reason, and revokes it on the server', async () => {
    startSession({ accessToken: 'access-1', refreshToken: 'refresh-1', user: analyst });
    const revoked: unknown[] = [];
    server.use(
      api.mutation('Logout', ({ variables }) => {
        // The tab has already forgotten the session: its own socket is not reported back as revoked.
        expect(getSession()).toBeNull();
        revoked.push(variables);
        return HttpResponse.json({ data: { logout: true } });
      }),
    );
    await signOut();
    expect(revoked).toEqual([{ refreshToken: 'refresh-1' }]);
    expect(getSession()).toBeNull();
    expect(getSessionEndedReason()).toBeNull();
  });

  it('still signs out locally when the server cannot be reached', async () => {
    startSession({ accessToken: 'access-1', refreshToken: 'refresh-1', user: analyst });
    server.use(api.mutation('Logout', () => HttpResponse.error()));
    await signOut();
    expect(getSession()).toBeNull();
  });
});
