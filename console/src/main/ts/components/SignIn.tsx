/**
 * Sign-in: an API key or JWT and the tenant it acts for, checked by asking the API who they are
 * (`getCaller`) before anything is kept. A refusal shows the problem — a wrong key, the 401 — and keeps the form.
 */
import { useState } from 'preact/hooks';
import { clientsFor, shownError, type ShownError } from '../api';
import type { Credentials, Session } from '../session';
import { ProblemAlert } from './ProblemAlert';

/** Checks credentials with the API: the session they open, or why not. */
export async function openSession(credentials: Credentials): Promise<Session> {
  const caller = await clientsFor(credentials).caller.getCaller({ xTenantID: credentials.tenant });
  return { ...credentials, principal: caller.principal, roles: caller.roles };
}

export function SignIn({ onSignedIn, initialError }: {
  onSignedIn: (session: Session) => void; initialError?: ShownError | null;
}) {
  const [token, setToken] = useState('');
  const [tenant, setTenant] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(initialError ?? null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await openSession({ token: token.trim(), tenant: tenant.trim() }));
    } catch (failure) {
      setError(await shownError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="content" class="sign-in">
      <h1>Sign in to Tributary</h1>
      <p>Use an API key or a JWT issued for your tenant. They stay in this browser tab only and are forgotten when
        you sign out or close it.</p>
      <form onSubmit={submit} aria-describedby={error ? 'sign-in-problem' : undefined}>
        <label>
          API key or JWT
          <input name="token" type="password" required autocomplete="off" spellcheck={false}
                 value={token} onInput={(e) => setToken(e.currentTarget.value)} />
        </label>
        <label>
          Tenant ID
          <input name="tenant" required autocomplete="organization" spellcheck={false}
                 pattern="[A-Za-z0-9_\-]{1,64}" title="1 to 64 letters, digits, - or _"
                 value={tenant} onInput={(e) => setTenant(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
      {error && <div id="sign-in-problem"><ProblemAlert error={error} /></div>}
    </main>
  );
}
