import { useMutation } from '@apollo/client/react';
import { type FormEvent, useState } from 'react';
import { ErrorPanel } from '../components/feedback';
import { LOGIN } from '../operations/documents';
import { signedOutBecause, startSession } from '../session/session';

export function LoginPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [login, { loading, error }] = useMutation(LOGIN);
  const ended = signedOutBecause();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const { data } = await login({ variables: { input: { email, password } } });
      if (!data) return;
      const { accessToken, accessTokenExpiresAt, refreshToken, user } = data.login;
      // The app leads from here: a deep link stays where it was, the sign-in page goes to the start page.
      startSession({ accessToken, accessTokenExpiresAt, refreshToken, userId: user.id, displayName: user.displayName, roles: user.roles });
    } catch {
      // Shown below from the mutation's error state.
    }
  };

  return (
    <main className="login">
      <h1>Cloudphone console</h1>
      {ended === 'expired' && <p className="notice">Your session ended. Sign in again.</p>}
      <form onSubmit={(event) => void submit(event)} aria-label="Sign in">
        <label>
          E-mail
          <input name="email" type="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.target.value)} />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />
        </label>
        <button type="submit" disabled={loading}>
          {loading ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {error && <ErrorPanel error={error} title="Sign-in failed" />}
    </main>
  );
}
