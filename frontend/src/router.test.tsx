import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { loginPathFor, safeNext } from './App';
import { Link, RouterProvider, Routes, matchPath, normalizePath, useLocation, useNavigate, useParams } from './router';

function Where() {
  const { pathname, search } = useLocation();
  return <p data-testid="where">{pathname + search}</p>;
}

function Go({ to }: { to: string }) {
  const navigate = useNavigate();
  return (
    <button type="button" onClick={() => navigate(to)}>
      go {to}
    </button>
  );
}

function TestApp() {
  return (
    <RouterProvider>
      <nav>
        <Link to="/">Home</Link>
        <Link to="/logs?level=ERROR">Errors</Link>
      </nav>
      <Go to="/settings" />
      <Where />
      <Routes
        routes={{ '/': <h1>Home page</h1>, '/logs': <h1>Logs page</h1>, '/settings': <h1>Settings page</h1> }}
        fallback={<h1>Page not found</h1>}
      />
    </RouterProvider>
  );
}

function at(path: string) {
  window.history.replaceState(null, '', path);
  return render(<TestApp />);
}

describe('router', () => {
  it.each([
    { what: 'renders the route that matches the current path', path: '/logs', heading: 'Logs page' },
    { what: 'treats a trailing slash as the same page', path: '/settings/', heading: 'Settings page' },
    { what: 'renders the fallback for an unknown path', path: '/no/such/page', heading: 'Page not found' },
    { what: 'does not treat Object prototype names as routes', path: '/constructor', heading: 'Page not found' },
  ])('$what', ({ path, heading }) => {
    at(path);
    expect(screen.getByRole('heading', { name: heading })).toBeTruthy();
  });

  it('navigates in place on a link click and pushes a history entry', () => {
    at('/');
    const before = window.history.length;
    fireEvent.click(screen.getByRole('link', { name: 'Errors' }));
    expect(screen.getByRole('heading', { name: 'Logs page' })).toBeTruthy();
    expect(window.location.pathname + window.location.search).toBe('/logs?level=ERROR');
    expect(screen.getByTestId('where').textContent).toBe('/logs?level=ERROR');
    expect(window.history.length).toBe(before + 1);
  });

  it('leaves modified clicks (new tab) to the browser', () => {
    at('/');
    const link = screen.getByRole('link', { name: 'Errors' });
    expect(link.getAttribute('href')).toBe('/logs?level=ERROR');
    // Record whether the app prevented the default, then stop jsdom from "opening" the link.
    let preventedByApp: boolean | undefined;
    const spy = (e: Event) => {
      preventedByApp = e.defaultPrevented;
      e.preventDefault();
    };
    document.addEventListener('click', spy);
    fireEvent.click(link, { ctrlKey: true });
    document.removeEventListener('click', spy);
    expect(preventedByApp).toBe(false);
    expect(screen.getByRole('heading', { name: 'Home page' })).toBeTruthy();
  });

  it('navigates programmatically and follows the back button (popstate)', () => {
    at('/');
    fireEvent.click(screen.getByRole('button', { name: 'go /settings' }));
    expect(screen.getByRole('heading', { name: 'Settings page' })).toBeTruthy();
    act(() => {
      window.history.replaceState(null, '', '/logs');
      window.dispatchEvent(new PopStateEvent('popstate'));
    });
    expect(screen.getByRole('heading', { name: 'Logs page' })).toBeTruthy();
  });

  it('normalizes paths', () => {
    expect(normalizePath('/')).toBe('/');
    expect(normalizePath('/logs/')).toBe('/logs');
    expect(normalizePath('/logs//')).toBe('/logs');
  });
});

function ShowParams({ label }: { label: string }) {
  const params = useParams();
  return <h1>{`${label} ${JSON.stringify(params)}`}</h1>;
}

function PatternApp() {
  return (
    <RouterProvider>
      <Go to="/rules/7" />
      <Routes
        routes={{
          '/rules': <ShowParams label="list" />,
          '/rules/new': <ShowParams label="editor" />,
          '/rules/:id': <ShowParams label="editor" />,
          '/rules/:id/history': <ShowParams label="history" />,
        }}
        fallback={<h1>Page not found</h1>}
      />
    </RouterProvider>
  );
}

describe('router patterns', () => {
  const atPattern = (path: string) => {
    window.history.replaceState(null, '', path);
    return render(<PatternApp />);
  };

  it('hands ":name" segments to the page, decoded', () => {
    atPattern('/rules/a%20b/history');
    expect(screen.getByRole('heading').textContent).toBe('history {"id":"a b"}');
  });

  it('prefers an exact path over a pattern', () => {
    atPattern('/rules/new/');
    expect(screen.getByRole('heading').textContent).toBe('editor {}');
  });

  it('keeps the page mounted when moving between two of its routes', () => {
    atPattern('/rules/new');
    const before = screen.getByRole('heading');
    fireEvent.click(screen.getByRole('button', { name: 'go /rules/7' }));
    const after = screen.getByRole('heading');
    expect(after.textContent).toBe('editor {"id":"7"}');
    expect(after).toBe(before);
  });

  it('does not match missing or extra segments', () => {
    expect(matchPath('/orders/:id', '/orders')).toBeNull();
    expect(matchPath('/orders/:id', '/orders/1/x')).toBeNull();
    expect(matchPath('/orders/:id', '/orders/%E0%A4%A')).toBeNull();
    expect(matchPath('/orders/:id', '/orders/42')).toEqual({ id: '42' });
    atPattern('/rules/7/history/extra');
    expect(screen.getByRole('heading', { name: 'Page not found' })).toBeTruthy();
  });
});

describe('login redirect targets', () => {
  it('remembers the page and its query string', () => {
    expect(loginPathFor('/logs', '?level=ERROR')).toBe('/login?next=%2Flogs%3Flevel%3DERROR');
    expect(loginPathFor('/', '')).toBe('/login');
  });

  it('only follows local paths after login', () => {
    expect(safeNext('/logs?level=ERROR')).toBe('/logs?level=ERROR');
    expect(safeNext(null)).toBe('/');
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext('//evil.example/')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('/login?next=/x')).toBe('/');
  });
});
