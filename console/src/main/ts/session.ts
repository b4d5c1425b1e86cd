/**
 * Who is signed in. The credential and tenant live in the tab's sessionStorage only — never a cookie (the API
 * takes no cookie credential, and a cookie would ride along on every request) and never localStorage (which
 * outlives the tab) — so closing the tab or signing out forgets them.
 */

/** What the user typed at sign-in: an API key or a JWT, and the tenant it acts for. */
export interface Credentials {
  readonly token: string;
  readonly tenant: string;
}

/** A checked sign-in: the credentials and what `GET /api/me` said of them. */
export interface Session extends Credentials {
  readonly principal: string;
  readonly roles: readonly string[];
}

/** The API's roles; each implies the ones before it, and `/api/me` lists every role a credential holds. */
export const Role = {
  Read: 'sync:read',
  Write: 'sync:write',
  Admin: 'sync:admin',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

const STORAGE_KEY = 'tributary.console.credentials';

/** Whether the session's credential holds `role` (a stronger role counts, as `/api/me` lists it too). */
export function holds(session: Session, role: Role): boolean {
  return session.roles.includes(role);
}

/** The credentials this tab signed in with, or null when it has none (or they were tampered into nonsense). */
export function storedCredentials(storage: Storage = window.sessionStorage): Credentials | null {
  const stored = storage.getItem(STORAGE_KEY);
  if (stored === null) {
    return null;
  }
  try {
    const parsed: unknown = JSON.parse(stored);
    if (typeof parsed === 'object' && parsed !== null && 'token' in parsed && 'tenant' in parsed
        && typeof parsed.token === 'string' && typeof parsed.tenant === 'string') {
      return { token: parsed.token, tenant: parsed.tenant };
    }
  } catch {
    // Not JSON: forgotten below, as if it had never been there.
  }
  storage.removeItem(STORAGE_KEY);
  return null;
}

export function storeCredentials(credentials: Credentials, storage: Storage = window.sessionStorage): void {
  storage.setItem(STORAGE_KEY, JSON.stringify({ token: credentials.token, tenant: credentials.tenant }));
}

export function forgetCredentials(storage: Storage = window.sessionStorage): void {
  storage.removeItem(STORAGE_KEY);
}
