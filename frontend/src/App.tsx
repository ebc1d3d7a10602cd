import { Layout } from './components/Layout';
import { DashboardPage } from './pages/DashboardPage';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { InventoryPage } from './pages/InventoryPage';
import { LoginPage } from './pages/LoginPage';
import { LogsPage } from './pages/LogsPage';
import { MissingProductsPage } from './pages/MissingProductsPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { OrderDetailPage } from './pages/OrderDetailPage';
import { OrdersPage } from './pages/OrdersPage';
import { ProductsPage } from './pages/ProductsPage';
import { RuleEditorPage } from './pages/RuleEditorPage';
import { RuleHistoryPage } from './pages/RuleHistoryPage';
import { RulesPage } from './pages/RulesPage';
import { SettingsPage } from './pages/SettingsPage';
import { WebConnectorHealthPage } from './pages/WebConnectorHealthPage';
import { Redirect, Routes, normalizePath, useLocation } from './router';
import { useSession } from './session';

const ROUTES = {
  '/': <DashboardPage />,
  '/connections': <ConnectionsPage />,
  '/orders': <OrdersPage />,
  '/orders/:id': <OrderDetailPage />,
  '/products': <ProductsPage />,
  '/products/missing': <MissingProductsPage />,
  '/rules': <RulesPage />,
  '/rules/new': <RuleEditorPage />,
  '/rules/:id': <RuleEditorPage />,
  '/rules/:id/history': <RuleHistoryPage />,
  '/inventory': <InventoryPage />,
  '/logs': <LogsPage />,
  '/settings': <SettingsPage />,
  '/web-connector/:id': <WebConnectorHealthPage />,
};

/** The `next` target after login: only a local path, never back to /login. */
export function safeNext(raw: string | null): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  if (normalizePath(raw.split(/[?#]/)[0] ?? '') === '/login') return '/';
  return raw;
}

export function loginPathFor(pathname: string, search: string): string {
  const here = pathname + search;
  return here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`;
}

export function App() {
  const { state, reload } = useSession();
  const location = useLocation();
  const onLogin = normalizePath(location.pathname) === '/login';

  if (state.status === 'loading') {
    return (
      <div className="splash" role="status">
        Loading Ledgerlink…
      </div>
    );
  }
  if (state.status === 'error') {
    return (
      <div className="splash">
        <div className="alert alert-error" role="alert">
          <span>Could not check your session: {state.message}</span>
          <button type="button" className="button button-small" onClick={reload}>
            Try again
          </button>
        </div>
      </div>
    );
  }
  if (onLogin) {
    if (state.status === 'authenticated') {
      return <Redirect to={safeNext(new URLSearchParams(location.search).get('next'))} />;
    }
    return <LoginPage />;
  }
  if (state.status === 'anonymous') {
    // After signing out, start afresh; otherwise come back here after signing in.
    return <Redirect to={state.reason === 'signedOut' ? '/login' : loginPathFor(location.pathname, location.search)} />;
  }
  return (
    <Layout>
      <Routes routes={ROUTES} fallback={<NotFoundPage />} />
    </Layout>
  );
}
