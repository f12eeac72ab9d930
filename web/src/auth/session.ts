import { useSyncExternalStore } from 'react';

export interface SessionTenant {
  id: string;
  slug: string;
  name: string;
}

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: string;
  permissions: string[];
  tenant: SessionTenant;
}

export interface Session {
  accessToken: string;
  /** Single-use: traded for a new pair when the gateway refuses the access token (see renewal.ts). Absent in sessions stored before it was kept. */
  refreshToken?: string;
  user: SessionUser;
}

/** sessionStorage key: the session survives reloads of this tab, not the browser. */
export const SESSION_STORAGE_KEY = 'tandem.session';

type Listener = () => void;
const listeners = new Set<Listener>();
let cached: Session | null | undefined;
/** Why the last session ended, when the user did not end it (shown above the login form); null after a sign-out or sign-in. */
let endedBecause: string | null = null;

function read(): Session | null {
  try {
    const raw = window.sessionStorage.getItem(SESSION_STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Session>;
    if (typeof parsed.accessToken !== 'string' || !parsed.user) return null;
    return parsed as Session;
  } catch {
    return null;
  }
}

function emit(): void {
  for (const listener of listeners) listener();
}

export function getSession(): Session | null {
  if (cached === undefined) cached = read();
  return cached;
}

export function getAccessToken(): string | null {
  return getSession()?.accessToken ?? null;
}

export function startSession(session: Session): void {
  window.sessionStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
  cached = session;
  endedBecause = null;
  emit();
}

/** Refresh the stored user (e.g. from the `me` query) without touching the token. */
export function updateSessionUser(user: SessionUser): void {
  const current = getSession();
  if (!current) return;
  if (JSON.stringify(current.user) === JSON.stringify(user)) return;
  startSession({ ...current, user });
}

/**
 * Ends the session in this tab; `reason` (when the user did not ask for it)
 * is shown on the login screen. Without a session it does nothing, so a
 * later, less specific end (an UNAUTHENTICATED answer arriving after the
 * failed refresh that ended the session) keeps the first reason.
 */
export function endSession(reason: string | null = null): void {
  if (!getSession()) return;
  window.sessionStorage.removeItem(SESSION_STORAGE_KEY);
  cached = null;
  endedBecause = reason;
  emit();
}

export function getSessionEndedReason(): string | null {
  return endedBecause;
}

/** Drop the in-memory copy so the next read comes from sessionStorage (tests). */
export function resetSessionCache(): void {
  cached = undefined;
  endedBecause = null;
}

function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, getSession, () => null);
}

export function useSessionEndedReason(): string | null {
  return useSyncExternalStore(subscribe, getSessionEndedReason, () => null);
}
