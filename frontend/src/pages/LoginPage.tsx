import { useState, type FormEvent } from 'react';
import { FormAlert } from '../components/ErrorNotice';
import { TextField } from '../components/Fields';
import { AuthError } from '../api';
import { useSession } from '../session';
import { useTitle } from '../useTitle';

export function LoginPage() {
  useTitle('Sign in');
  const { state, login } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (submitting) return;
    setSubmitting(true);
    setError(null);
    try {
      // On success the session changes and the app navigates away from this page.
      await login(email.trim(), password);
    } catch (err) {
      setError(err instanceof AuthError || err instanceof Error ? err.message : String(err));
      setSubmitting(false);
    }
  };

  const reason = state.status === 'anonymous' ? state.reason : 'initial';

  return (
    <main className="login">
      <div className="login-card">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">L</span> Ledgerlink
        </div>
        <h1>Sign in</h1>
        <p className="muted">Keep your stores and QuickBooks in step.</p>
        {!error && reason === 'expired' && (
          <p className="notice" role="status">
            Your session has ended. Sign in again to continue.
          </p>
        )}
        {!error && reason === 'signedOut' && (
          <p className="notice" role="status">
            You have signed out.
          </p>
        )}
        <FormAlert message={error} />
        <form onSubmit={onSubmit}>
          <TextField id="login-email" label="Email" name="email" type="email" autoComplete="username" required autoFocus value={email} onChange={setEmail} />
          <TextField
            id="login-password"
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={setPassword}
          />
          <button type="submit" className="button button-primary button-block" disabled={submitting} aria-busy={submitting}>
            Sign in
          </button>
        </form>
      </div>
    </main>
  );
}
