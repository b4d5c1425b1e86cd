/**
 * The console: sign-in until a credential checks out, then the shell with the view the URL names. A credential
 * kept from earlier in this tab is checked again on load, since it may have been revoked since.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { clientsFor, shownError, type ShownError } from './api';
import { Shell } from './components/Shell';
import { openSession, SignIn } from './components/SignIn';
import { HistoryView } from './history/HistoryView';
import { routeHref, useRoute } from './route';
import { RunDetail } from './runs/RunDetail';
import { RunsView } from './runs/RunsView';
import { forgetCredentials, storeCredentials, storedCredentials, type Session } from './session';

type SignInState =
  | { readonly state: 'checking' }
  | { readonly state: 'signed-out'; readonly error?: ShownError }
  | { readonly state: 'signed-in'; readonly session: Session };

export function Console() {
  const [signIn, setSignIn] = useState<SignInState>(() =>
    storedCredentials() ? { state: 'checking' } : { state: 'signed-out' });
  const route = useRoute();

  useEffect(() => {
    const stored = storedCredentials();
    if (!stored) return;
    openSession(stored)
      .then((session) => setSignIn({ state: 'signed-in', session }))
      .catch(async (error: unknown) => {
        forgetCredentials();
        setSignIn({ state: 'signed-out', error: await shownError(error) });
      });
  }, []);

  useEffect(() => {
    document.title = signIn.state !== 'signed-in' ? 'Sign in — Tributary'
      : route.view === 'run' ? `Run ${route.syncId.slice(0, 8)} — Tributary`
      : route.view === 'history' ? 'History — Tributary' : 'Runs — Tributary';
  }, [signIn.state, route]);

  const session = signIn.state === 'signed-in' ? signIn.session : null;
  const clients = useMemo(() => (session ? clientsFor(session) : null), [session]);

  if (signIn.state === 'checking') {
    return <main id="content"><p role="status">Checking your credential…</p></main>;
  }
  if (!session || !clients) {
    return (
      <SignIn initialError={signIn.state === 'signed-out' ? signIn.error : undefined}
              onSignedIn={(opened) => {
                storeCredentials(opened);
                setSignIn({ state: 'signed-in', session: opened });
              }} />
    );
  }
  const signOut = () => {
    forgetCredentials();
    setSignIn({ state: 'signed-out' });
  };
  const views = [
    { label: 'Runs', href: routeHref({ view: 'runs', filters: {} }), current: route.view !== 'history' },
    { label: 'History', href: routeHref({ view: 'history', filters: {} }), current: route.view === 'history' },
  ];
  return (
    <Shell session={session} views={views} onSignOut={signOut}>
      {route.view === 'run' && <RunDetail key={route.syncId} clients={clients} session={session} syncId={route.syncId} />}
      {route.view === 'runs' && <RunsView clients={clients} filters={route.filters} />}
      {route.view === 'history' && <HistoryView clients={clients} filters={route.filters} />}
    </Shell>
  );
}
