// The session store: who is signed in, loaded from /auth/session, shared via context.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import * as api from './api';
import type { SessionInfo } from './api';

export type SessionState =
  | { status: 'loading' }
  /** reason: why nobody is signed in — never was, the server ended the session, or the user signed out. */
  | { status: 'anonymous'; reason: 'initial' | 'expired' | 'signedOut' }
  | { status: 'error'; message: string }
  | { status: 'authenticated'; session: SessionInfo };

export interface SessionValue {
  state: SessionState;
  /** Signs in; throws api.AuthError with the server's message on failure. */
  login: (email: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  /** Re-reads /auth/session (after a load error). */
  reload: () => void;
  /** For support users: the account whose data is shown (null: their own). */
  viewedAccountId: string | null;
  selectAccount: (id: string | null) => void;
}

const SessionContext = createContext<SessionValue | null>(null);

function apply(session: SessionInfo | null): string | null {
  api.setCsrfToken(session?.csrfToken ?? null);
  // Only support staff may look at other accounts; never send a stale choice for anyone else.
  const viewed = session?.user.role === 'SUPPORT' ? api.loadStoredAccountId() : null;
  api.setViewedAccountId(viewed);
  return viewed;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [viewedAccountId, setViewed] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    api
      .fetchSession()
      .then((session) => {
        if (cancelled) return;
        setViewed(apply(session));
        setState(session ? { status: 'authenticated', session } : { status: 'anonymous', reason: 'initial' });
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        setState({ status: 'error', message: err instanceof Error ? err.message : String(err) });
      });
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  useEffect(
    () =>
      api.onUnauthenticated(() => {
        apply(null);
        setViewed(null);
        setState((prev) => (prev.status === 'authenticated' ? { status: 'anonymous', reason: 'expired' } : prev));
      }),
    [],
  );

  const login = useCallback(async (email: string, password: string) => {
    const session = await api.login(email, password);
    setViewed(apply(session));
    setState({ status: 'authenticated', session });
  }, []);

  const logout = useCallback(async () => {
    // If the server cannot be told, stay signed in and let the caller say so:
    // the cookie would otherwise outlive what the user sees.
    await api.logout();
    api.storeAccountId(null);
    apply(null);
    setViewed(null);
    setState({ status: 'anonymous', reason: 'signedOut' });
  }, []);

  const reload = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  const selectAccount = useCallback((id: string | null) => {
    api.storeAccountId(id);
    api.setViewedAccountId(id);
    setViewed(id);
  }, []);

  const value = useMemo(
    () => ({ state, login, logout, reload, viewedAccountId, selectAccount }),
    [state, login, logout, reload, viewedAccountId, selectAccount],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}

/** The signed-in session; only for components rendered behind the login gate. */
export function useSignedIn(): SessionInfo {
  const { state } = useSession();
  if (state.status !== 'authenticated') throw new Error('useSignedIn used while signed out');
  return state.session;
}
