/**
 * The frame around every view: who is signed in for which tenant and with which roles, sign-out, and the
 * navigation between views. Only views that exist are listed.
 */
import type { ComponentChildren } from 'preact';
import type { Session } from '../session';

export interface ViewLink {
  readonly label: string;
  readonly href: string;
  readonly current: boolean;
}

export function Shell({ session, views, onSignOut, children }: {
  session: Session; views: readonly ViewLink[]; onSignOut: () => void; children: ComponentChildren;
}) {
  return (
    <>
      <a class="skip-link" href="#content" onClick={(e) => { e.preventDefault(); document.getElementById('content')?.focus(); }}>
        Skip to content
      </a>
      <header class="shell">
        <span class="brand">Tributary</span>
        <nav aria-label="Views">
          <ul class="tabs">
            {views.map((view) => (
              <li key={view.href}>
                <a href={view.href} aria-current={view.current ? 'page' : undefined}>{view.label}</a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who" aria-label="Signed in">
          <span>Tenant <strong data-field="tenant">{session.tenant}</strong></span>
          <span title={session.principal}>{session.principal}</span>
          <span data-field="roles">{session.roles.length > 0 ? session.roles.join(', ') : 'no role'}</span>
          <button type="button" onClick={onSignOut}>Sign out</button>
        </div>
      </header>
      <main id="content" tabIndex={-1}>{children}</main>
    </>
  );
}
