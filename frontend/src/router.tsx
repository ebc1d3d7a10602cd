// A small router on the History API: exact, static paths are all this app needs.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type AnchorHTMLAttributes,
  type MouseEvent,
  type ReactNode,
} from 'react';

export interface RouterLocation {
  pathname: string;
  search: string;
}

export interface NavigateOptions {
  replace?: boolean;
}

interface RouterValue {
  location: RouterLocation;
  navigate: (to: string, options?: NavigateOptions) => void;
}

const RouterContext = createContext<RouterValue | null>(null);

function currentLocation(): RouterLocation {
  return { pathname: window.location.pathname, search: window.location.search };
}

export function RouterProvider({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState(currentLocation);

  useEffect(() => {
    const onPop = () => setLocation(currentLocation());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const navigate = useCallback((to: string, options: NavigateOptions = {}) => {
    const target = new URL(to, window.location.href);
    const here = window.location.pathname + window.location.search + window.location.hash;
    const there = target.pathname + target.search + target.hash;
    const changesPage = target.pathname !== window.location.pathname;
    if (there !== here) {
      if (options.replace) window.history.replaceState(null, '', there);
      else window.history.pushState(null, '', there);
    }
    setLocation(currentLocation());
    if (changesPage && !options.replace && typeof window.scrollTo === 'function') {
      try {
        window.scrollTo(0, 0);
      } catch {
        // jsdom and some embedded browsers do not implement scrolling.
      }
    }
  }, []);

  const value = useMemo(() => ({ location, navigate }), [location, navigate]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

function useRouter(): RouterValue {
  const value = useContext(RouterContext);
  if (!value) throw new Error('useRouter must be used inside <RouterProvider>');
  return value;
}

export const useLocation = (): RouterLocation => useRouter().location;
export const useNavigate = (): RouterValue['navigate'] => useRouter().navigate;

/** "/logs/" and "/logs" are the same page. */
export function normalizePath(pathname: string): string {
  return pathname.length > 1 ? pathname.replace(/\/+$/, '') || '/' : pathname;
}

/** Renders the element whose path equals the current one, else `fallback`. */
export function Routes({ routes, fallback }: { routes: Record<string, ReactNode>; fallback: ReactNode }) {
  const { pathname } = useLocation();
  const path = normalizePath(pathname);
  return <>{Object.prototype.hasOwnProperty.call(routes, path) ? routes[path] : fallback}</>;
}

/** Navigates once on mount; for redirects decided while rendering. */
export function Redirect({ to }: { to: string }) {
  const navigate = useNavigate();
  useEffect(() => navigate(to, { replace: true }), [navigate, to]);
  return null;
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string };

/** An <a> that navigates in place on a plain left click and behaves normally otherwise. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const navigate = useNavigate();
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    if (rest.target && rest.target !== '_self') return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handle} {...rest} />;
}
