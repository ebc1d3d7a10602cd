// A small router on the History API: exact paths, plus patterns with ":name" segments
// ("/orders/:id") whose values useParams() hands to the page.
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

export type RouteParams = Readonly<Record<string, string>>;

const NO_PARAMS: RouteParams = Object.freeze({});
const ParamsContext = createContext<RouteParams>(NO_PARAMS);

/** The ":name" segments of the route being shown ("/orders/:id" at /orders/42 → { id: "42" }). */
export function useParams(): RouteParams {
  return useContext(ParamsContext);
}

/**
 * Matches a normalized path against a pattern such as "/rules/:id/history"; returns the
 * decoded segment values, or null. A ":name" segment matches one non-empty segment.
 */
export function matchPath(pattern: string, path: string): RouteParams | null {
  const want = pattern.split('/');
  const have = path.split('/');
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const h = have[i]!;
    if (w.startsWith(':')) {
      if (!h) return null;
      try {
        params[w.slice(1)] = decodeURIComponent(h);
      } catch {
        return null;
      }
    } else if (w !== h) {
      return null;
    }
  }
  return params;
}

/**
 * Renders the element whose path equals the current one; failing that, the first pattern
 * (a path with ":name" segments) that matches; else `fallback`.
 */
export function Routes({ routes, fallback }: { routes: Record<string, ReactNode>; fallback: ReactNode }) {
  const { pathname } = useLocation();
  const path = normalizePath(pathname);
  let element: ReactNode = fallback;
  let params: RouteParams = NO_PARAMS;
  if (Object.prototype.hasOwnProperty.call(routes, path) && !path.includes('/:')) {
    element = routes[path];
  } else {
    for (const pattern of Object.keys(routes)) {
      if (!pattern.includes('/:')) continue;
      const found = matchPath(pattern, path);
      if (found) {
        element = routes[pattern];
        params = found;
        break;
      }
    }
  }
  // Always the same wrapper, so moving between two routes of one page (/rules/new → /rules/7)
  // keeps that page mounted; it sees the new params.
  return <ParamsContext.Provider value={params}>{element}</ParamsContext.Provider>;
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
