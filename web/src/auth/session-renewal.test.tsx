import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { HttpResponse, ws } from 'msw';
import { describe, expect, it } from 'vitest';
import { App } from '../app';
import { analyst, connection, queueEntry, summary } from '../test/fixtures';
import { api, server } from '../test/server';

const GRAPHQL_WS_URL = 'ws://localhost/graphql';

import { SESSION_REVOKED_MESSAGE } from './renewal';
import { SESSION_STORAGE_KEY, startSession } from './session';

/** What the gateway answers a bad, expired or revoked access token. */
const REFUSED: { data: null; errors: { message: string; extensions: { code: string } }[] } = {
  data: null,
  errors: [{ message: 'The access token is invalid or expired: sign in again', extensions: { code: 'UNAUTHENTICATED' } }],
};
const refused = () => HttpResponse.json<typeof REFUSED>(REFUSED, { status: 401 });

/** A workbench session whose access token the gateway no longer accepts (expired, or revoked on logout). */
function signInWithExpiredToken() {
  window.sessionStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify({ accessToken: 'tok-expired', refreshToken: 'refresh-1', user: analyst }));
}

/** Queue screen data for `valid` tokens only; 401 for any other. Records the authorization of every request. */
function mockQueueScreen(valid: string) {
  const authorizations: (string | null)[] = [];
  const guard = (request: Request, data: () => Record<string, unknown>) => {
    const authorization = request.headers.get('authorization');
    authorizations.push(authorization);
    return authorization === `Bearer ${valid}` ? HttpResponse.json<{ data: Record<string, unknown> }>({ data: data() }) : refused();
  };
  server.use(
    api.query('Me', ({ request }) => guard(request, () => ({ me: analyst }))),
    api.query('ReviewQueue', ({ request }) => guard(request, () => connection([queueEntry({ id: 'e1' })]))),
    api.query('QueueSummary', ({ request }) => guard(request, () => ({ queueSummary: summary() }))),
  );
  return authorizations;
}

describe('the workbench when the gateway refuses its access token', () => {
  it('renews it with the refresh token (once) and carries on with the new one', async () => {
    signInWithExpiredToken();
    const authorizations = mockQueueScreen('tok-renewed');
    const refreshes: unknown[] = [];
    server.use(
      api.mutation('RefreshToken', ({ variables }) => {
        refreshes.push(variables);
        return HttpResponse.json({ data: { refreshToken: { accessToken: 'tok-renewed', refreshToken: 'refresh-2', user: analyst } } });
      }),
    );
    render(<App />);

    expect(await screen.findAllByTestId('queue-row')).toHaveLength(1);
    expect(screen.getByTestId('current-user').textContent).toContain('Ada Analyst');
    expect(refreshes).toEqual([{ refreshToken: 'refresh-1' }]);
    expect(JSON.parse(window.sessionStorage.getItem(SESSION_STORAGE_KEY) ?? 'null')).toMatchObject({
      accessToken: 'tok-renewed',
      refreshToken: 'refresh-2',
    });
    expect(authorizations).toContain('Bearer tok-expired');
    expect(authorizations.at(-1)).toBe('Bearer tok-renewed');
    expect(screen.queryByTestId('session-ended')).toBeNull();
  });

  it('keeps its client when the token is renewed: the cache stays and nothing is asked again', async () => {
    window.sessionStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify({ accessToken: 'tok-1', refreshToken: 'refresh-1', user: analyst }));
    const authorizations = mockQueueScreen('tok-1');
    render(<App />);
    expect(await screen.findAllByTestId('queue-row')).toHaveLength(1);
    const asked = authorizations.length;
    // What a renewal does once the gateway has handed out the next pair.
    act(() => startSession({ accessToken: 'tok-2', refreshToken: 'refresh-2', user: analyst }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(authorizations.slice(asked)).toEqual([]);
    expect(screen.getAllByTestId('queue-row')).toHaveLength(1);
  });

  it('shows the login screen with the reason when the refresh token was revoked (logout elsewhere)', async () => {
    signInWithExpiredToken();
    mockQueueScreen('never');
    let refreshes = 0;
    server.use(
      api.mutation('RefreshToken', () => {
        refreshes++;
        return HttpResponse.json({ data: null, errors: [{ message: 'Session expired or revoked: sign in again', extensions: { code: 'UNAUTHENTICATED' } }] });
      }),
      api.mutation('Login', () => HttpResponse.json({ data: { login: { accessToken: 'tok-again', refreshToken: 'refresh-9', user: analyst } } })),
    );
    render(<App />);

    const notice = await screen.findByTestId('session-ended');
    expect(notice.textContent).toBe(SESSION_REVOKED_MESSAGE);
    expect(screen.getByTestId('login-form')).toBeTruthy();
    expect(screen.queryByTestId('current-user')).toBeNull();
    expect(window.sessionStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
    expect(refreshes).toBe(1);

    // Signing in again keeps the new refresh token and clears the notice.
    mockQueueScreen('tok-again');
    fireEvent.change(screen.getByTestId('login-email'), { target: { value: 'analyst@demo.test' } });
    fireEvent.change(screen.getByTestId('login-password'), { target: { value: 'tandem-demo' } });
    fireEvent.click(screen.getByTestId('login-submit'));
    await screen.findByTestId('current-user');
    expect(screen.queryByTestId('session-ended')).toBeNull();
    expect(JSON.parse(window.sessionStorage.getItem(SESSION_STORAGE_KEY) ?? 'null')).toMatchObject({ refreshToken: 'refresh-9' });
  });

  it('signing out revokes the session on the server and shows no reason', async () => {
    window.sessionStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify({ accessToken: 'tok-ok', refreshToken: 'refresh-5', user: analyst }));
    mockQueueScreen('tok-ok');
    const logouts: unknown[] = [];
    server.use(
      api.mutation('Logout', ({ variables }) => {
        logouts.push(variables);
        return HttpResponse.json({ data: { logout: true } });
      }),
    );
    render(<App />);
    fireEvent.click(await screen.findByTestId('sign-out'));
    await screen.findByTestId('login-form');
    await waitFor(() => expect(logouts).toEqual([{ refreshToken: 'refresh-5' }]));
    expect(screen.queryByTestId('session-ended')).toBeNull();
  });
});

/**
 * The workbench's socket endpoint, as the gateway's session watch behaves:
 * a connection authenticated with `closing` is closed with 4401 once a
 * subscription arrives (token expired, or session revoked by a logout); one
 * with `valid` stays open; any other token is refused with 4403.
 */
function mockSocketGateway(tokens: { closing: string; valid: string }) {
  const connections: string[] = [];
  server.use(
    ws.link(GRAPHQL_WS_URL).addEventListener('connection', ({ client }) => {
      let token = '';
      client.addEventListener('message', (event) => {
        const message = JSON.parse(String(event.data)) as { type: string; payload?: { authorization?: string } };
        if (message.type === 'connection_init') {
          token = (message.payload?.authorization ?? '').replace(/^Bearer /, '');
          connections.push(token);
          if (token !== tokens.closing && token !== tokens.valid) return client.close(4403, 'Forbidden');
          client.send(JSON.stringify({ type: 'connection_ack' }));
        } else if (message.type === 'subscribe' && token === tokens.closing) {
          client.close(4401, 'Access token expired: reconnect with a fresh token');
        }
      });
    }),
  );
  return connections;
}

describe('the workbench when the gateway closes its socket with 4401', () => {
  it('renews the token and reconnects the socket with the new one', async () => {
    window.sessionStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify({ accessToken: 'tok-1', refreshToken: 'refresh-1', user: analyst }));
    mockQueueScreen('tok-1');
    const connections = mockSocketGateway({ closing: 'tok-1', valid: 'tok-2' });
    const refreshes: unknown[] = [];
    server.use(
      api.query('Me', () => HttpResponse.json({ data: { me: analyst } })),
      api.query('ReviewQueue', () => HttpResponse.json({ data: connection([queueEntry({ id: 'e1' })]) })),
      api.query('QueueSummary', () => HttpResponse.json({ data: { queueSummary: summary() } })),
      api.mutation('RefreshToken', ({ variables }) => {
        refreshes.push(variables);
        return HttpResponse.json({ data: { refreshToken: { accessToken: 'tok-2', refreshToken: 'refresh-2', user: analyst } } });
      }),
    );
    render(<App />);
    await screen.findAllByTestId('queue-row');

    await waitFor(() => expect(connections).toContain('tok-2'));
    expect(connections[0]).toBe('tok-1');
    expect(refreshes).toEqual([{ refreshToken: 'refresh-1' }]);
    expect(JSON.parse(window.sessionStorage.getItem(SESSION_STORAGE_KEY) ?? 'null')).toMatchObject({ accessToken: 'tok-2' });
    await waitFor(() => expect(screen.getByTestId('live-indicator').getAttribute('data-state')).toBe('live'));
    expect(screen.getByTestId('current-user')).toBeTruthy();
  });

  it('signs out to the login screen with the reason when the refresh token was revoked too', async () => {
    window.sessionStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify({ accessToken: 'tok-1', refreshToken: 'refresh-revoked', user: analyst }));
    const connections = mockSocketGateway({ closing: 'tok-1', valid: 'none' });
    server.use(
      api.query('Me', () => HttpResponse.json({ data: { me: analyst } })),
      api.query('ReviewQueue', () => HttpResponse.json({ data: connection([queueEntry({ id: 'e1' })]) })),
      api.query('QueueSummary', () => HttpResponse.json({ data: { queueSummary: summary() } })),
      api.mutation('RefreshToken', () =>
        HttpResponse.json({ data: null, errors: [{ message: 'Session expired or revoked: sign in again', extensions: { code: 'UNAUTHENTICATED' } }] }),
      ),
    );
    render(<App />);
    expect((await screen.findByTestId('session-ended')).textContent).toBe(SESSION_REVOKED_MESSAGE);
    expect(screen.getByTestId('login-form')).toBeTruthy();
    expect(connections).toEqual(['tok-1']);
  });
});
