import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { startSession } from '../../auth/session';
import { LOGIN } from '../../graphql/operations';
import { navigate } from '../../lib/router';
import { ErrorMessage } from '../../ui/ErrorMessage';

export function LoginPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [result, login] = useMutation(LOGIN);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const res = await login({ email: email.trim(), password });
    const payload = res.data?.login;
    if (payload && !res.error) {
      startSession({ accessToken: payload.accessToken, refreshToken: payload.refreshToken, user: payload.user });
      navigate('#/queue');
    }
  }

  return (
    <main className="login">
      <form className="login-card" onSubmit={onSubmit} data-testid="login-form">
        <h1 className="brand">Tandem</h1>
        <p className="muted">Credit decision workbench</p>
        <label>
          Email
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            data-testid="login-email"
          />
        </label>
        <label>
          Password
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="login-password"
          />
        </label>
        {result.error && <ErrorMessage error={result.error} testId="login-error" />}
        <button type="submit" className="primary" disabled={result.fetching} data-testid="login-submit">
          {result.fetching ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
