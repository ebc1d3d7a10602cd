import { useState, type ReactNode } from 'react';
import { roleLabel } from '../format';
import { Link, normalizePath, useLocation } from '../router';
import { useSession, useSignedIn } from '../session';
import { AccountPicker } from './AccountPicker';

/** The line above a page's header leading back to where the page belongs ("← Rules"), then `children` (more links). */
export function BackLink({ to, label, children }: { to: string; label: string; children?: ReactNode }) {
  return (
    <p className="breadcrumb">
      <Link to={to}>{`← ${label}`}</Link>
      {children}
    </p>
  );
}

/** `sub`: shown indented under the item before it. */
export const NAV_ITEMS: readonly { to: string; label: string; sub?: boolean }[] = [
  { to: '/', label: 'Dashboard' },
  { to: '/connections', label: 'Connections' },
  { to: '/orders', label: 'Orders' },
  { to: '/products', label: 'Products' },
  { to: '/products/missing', label: 'Missing products', sub: true },
  { to: '/rules', label: 'Rules' },
  { to: '/inventory', label: 'Inventory' },
  { to: '/logs', label: 'Logs' },
  { to: '/settings', label: 'Settings' },
];

/** /orders/42 is still the Orders section. */
function isCurrent(path: string, to: string): boolean {
  return path === to || (to !== '/' && path.startsWith(`${to}/`));
}

/** The nav item of a path: the most specific one (/products/missing is not also Products). */
function currentItem(path: string): string | undefined {
  let best: string | undefined;
  for (const item of NAV_ITEMS) if (isCurrent(path, item.to) && (!best || item.to.length > best.length)) best = item.to;
  return best;
}

export function Layout({ children }: { children: ReactNode }) {
  const session = useSignedIn();
  const { logout, viewedAccountId } = useSession();
  const path = normalizePath(useLocation().pathname);
  const [signingOut, setSigningOut] = useState(false);
  const [signOutError, setSignOutError] = useState<string | null>(null);
  const isSupport = session.user.role === 'SUPPORT';

  const signOut = async () => {
    setSigningOut(true);
    setSignOutError(null);
    try {
      await logout();
    } catch (err) {
      setSignOutError(err instanceof Error ? err.message : String(err));
      setSigningOut(false);
    }
  };

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">L</span> Ledgerlink
        </div>
        <nav aria-label="Main">
          <ul>
            {NAV_ITEMS.map((item) => (
              <li key={item.to}>
                <Link
                  to={item.to}
                  className={item.sub ? 'nav-link nav-sub' : 'nav-link'}
                  aria-current={currentItem(path) === item.to ? 'page' : undefined}
                >
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </aside>
      <div className="main-column">
        <header className="topbar">
          <div className="topbar-account">
            {isSupport ? (
              <AccountPicker />
            ) : (
              <span className="account-name" data-testid="account-name">
                {session.account.name}
              </span>
            )}
          </div>
          <div className="topbar-user">
            {isSupport && (
              <a className="topbar-link" href="/monitoring/">
                Job monitor
              </a>
            )}
            <span className="user-email" data-testid="user-email">
              {session.user.email}
            </span>
            <span className={`role role-${session.user.role.toLowerCase()}`} data-testid="user-role">
              {roleLabel(session.user.role)}
            </span>
            <button type="button" className="button button-small" onClick={signOut} disabled={signingOut}>
              Sign out
            </button>
          </div>
        </header>
        {signOutError && (
          <p className="alert alert-error topbar-alert" role="alert">
            Could not sign out: {signOutError}
          </p>
        )}
        {isSupport && viewedAccountId && (
          <p className="support-banner" role="status">
            Support view: you are looking at another account, read-only.
          </p>
        )}
        <main id="main" className="content" key={viewedAccountId ?? 'own'}>
          {children}
        </main>
      </div>
    </div>
  );
}
