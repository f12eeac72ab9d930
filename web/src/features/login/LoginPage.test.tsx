import { fireEvent, render, screen } from '@testing-library/react';
import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { App } from '../../app';
import { SESSION_STORAGE_KEY } from '../../auth/session';
import { analyst, connection, queueEntry, summary } from '../../test/fixtures';
import { api, server } from '../../test/server';

function fillAndSubmit(email: string, password: string) {
  fireEvent.change(screen.getByTestId('login-email'), { target: { value: email } });
  fireEvent.change(screen.getByTestId('login-password'), { target: { value: password } });
  fireEvent.click(screen.getByTestId('login-submit'));
}

describe('login', () => {
  it("shows the server's error message and code, and stores nothing", async () => {
    let calls = 0;
    server.use(
      api.mutation('Login', () => {
        calls++;
        return HttpResponse.json({
          data: null,
          errors: [{ message: 'Invalid email or password', extensions: { code: 'UNAUTHENTICATED' } }],
        });
      }),
    );
    render(<App />);
    fillAndSubmit('analyst@demo.test', 'wrong');

    const error = await screen.findByTestId('login-error');
    expect(error.textContent).toContain('Invalid email or password');
    expect(error.textContent).toContain('UNAUTHENTICATED');
    expect(calls).toBe(1);
    expect(window.sessionStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
    expect(screen.queryByTestId('current-user')).toBeNull();
  });

  it('stores the access token on success and uses it for the next requests', async () => {
    let loginVariables: unknown;
    const authHeaders: (string | null)[] = [];
    server.use(
      api.mutation('Login', ({ variables, request }) => {
        loginVariables = variables;
        expect(request.headers.get('authorization')).toBeNull();
        return HttpResponse.json({
          data: { login: { accessToken: 'tok-new', refreshToken: 'refresh-1', user: analyst } },
        });
      }),
      api.query('Me', () => HttpResponse.json({ data: { me: analyst } })),
      api.query('ReviewQueue', ({ request }) => {
        authHeaders.push(request.headers.get('authorization'));
        return HttpResponse.json({ data: connection([queueEntry({ id: 'e1' })]) });
      }),
      api.query('QueueSummary', () => HttpResponse.json({ data: { queueSummary: summary() } })),
      api.subscription('QueueChanged', () => {}),
    );
    render(<App />);
    fillAndSubmit(' analyst@demo.test ', 'tandem-demo');

    await screen.findByTestId('current-user');
    expect(loginVariables).toEqual({ email: 'analyst@demo.test', password: 'tandem-demo' });
    const stored = JSON.parse(window.sessionStorage.getItem(SESSION_STORAGE_KEY) ?? 'null');
    expect(stored.accessToken).toBe('tok-new');
    expect(screen.getByTestId('current-user').textContent).toContain('Ada Analyst');
    expect(screen.getByTestId('current-user').textContent).toContain('Demo Bank');

    await screen.findAllByTestId('queue-row');
    expect(authHeaders[0]).toBe('Bearer tok-new');
    expect(window.location.hash).toBe('#/queue');
  });

  it('sign out clears the stored session', async () => {
    server.use(
      api.mutation('Login', () => HttpResponse.json({ data: { login: { accessToken: 'tok-x', refreshToken: 'r', user: analyst } } })),
      api.mutation('Logout', () => HttpResponse.json({ data: { logout: true } })),
      api.query('Me', () => HttpResponse.json({ data: { me: analyst } })),
      api.query('ReviewQueue', () => HttpResponse.json({ data: connection([]) })),
      api.query('QueueSummary', () => HttpResponse.json({ data: { queueSummary: summary() } })),
      api.subscription('QueueChanged', () => {}),
    );
    render(<App />);
    fillAndSubmit('analyst@demo.test', 'tandem-demo');
    fireEvent.click(await screen.findByTestId('sign-out'));
    await screen.findByTestId('login-form');
    expect(window.sessionStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });
});
