import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { gqlError, json, mockFetch, operationName, renderApp, sessionFor, type Call } from './test/helpers';
import type { SessionInfo } from './api';

const zeroDashboard = {
  dashboard: {
    errorsLast24h: 0,
    warningsLast24h: 0,
    infoLast24h: 0,
    activeApiKeys: 0,
    worker: { lastHeartbeatAt: null, healthy: false, queues: [] },
  },
};

/** A backend with one signed-in (or not) session and canned GraphQL answers. */
function backend(initial: SessionInfo | null, graphqlReply: (call: Call) => Response | undefined = () => undefined) {
  let session = initial;
  return mockFetch((call) => {
    if (call.url === '/auth/session') return session ? json(session) : json({ error: 'Not signed in.' }, 401);
    if (call.url === '/auth/login') {
      const body = call.body as { email: string; password: string };
      if (body.password !== 'right') return json({ error: 'Invalid email or password.' }, 401);
      session = sessionFor('OWNER');
      return json(session);
    }
    if (call.url === '/auth/logout') {
      session = null;
      return new Response(null, { status: 204 });
    }
    if (call.url === '/graphql') {
      const custom = graphqlReply(call);
      if (custom) return custom;
      if (operationName(call) === 'Dashboard') return json({ data: zeroDashboard });
    }
    return undefined;
  });
}

describe('auth gate', () => {
  it('sends a signed-out visitor to /login and back to the wanted page after signing in', async () => {
    backend(null, (call) =>
      operationName(call) === 'Logs'
        ? json({ data: { logs: { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 } } })
        : undefined,
    );
    renderApp('/logs?level=ERROR');

    await screen.findByRole('heading', { name: 'Sign in' });
    expect(window.location.pathname).toBe('/login');
    expect(new URLSearchParams(window.location.search).get('next')).toBe('/logs?level=ERROR');

    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'owner@example.com' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'right' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    await screen.findByRole('heading', { name: 'Logs' });
    expect(window.location.pathname + window.location.search).toBe('/logs?level=ERROR');
    expect(screen.getByRole('tab', { name: 'Errors' }).getAttribute('aria-selected')).toBe('true');
  });

  it('redirects / to /login without a next parameter', async () => {
    backend(null);
    renderApp('/');
    await screen.findByRole('heading', { name: 'Sign in' });
    expect(window.location.pathname + window.location.search).toBe('/login');
  });

  it('sends a signed-in user away from /login', async () => {
    backend(sessionFor('OWNER'));
    renderApp('/login');
    await screen.findByRole('heading', { name: 'Dashboard' });
    expect(window.location.pathname).toBe('/');
  });

  it('shows "Page not found" for an unknown path', async () => {
    backend(sessionFor('OWNER'));
    renderApp('/nowhere');
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeTruthy();
  });

  it('returns to /login when a query answers UNAUTHENTICATED', async () => {
    backend(sessionFor('OWNER'), (call) =>
      operationName(call) === 'Dashboard' ? gqlError('Your session has ended.', 'UNAUTHENTICATED') : undefined,
    );
    renderApp('/');
    await screen.findByRole('heading', { name: 'Sign in' });
    expect(window.location.pathname).toBe('/login');
    expect(screen.getByText('Your session has ended. Sign in again to continue.')).toBeTruthy();
  });

  it('signs out and lands on /login', async () => {
    const f = backend(sessionFor('OWNER'));
    renderApp('/settings');
    await screen.findByText('Acme Outdoor', { selector: '[data-testid="account-name"]' });
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    await screen.findByRole('heading', { name: 'Sign in' });
    expect(window.location.pathname + window.location.search).toBe('/login');
    const logout = f.calls.find((c) => c.url === '/auth/logout');
    expect(logout?.headers['x-csrf-token']).toBe('csrf-123');
  });
});

describe('layout', () => {
  it('shows account, email and role, and every section in the navigation', async () => {
    backend(sessionFor('OWNER'));
    renderApp('/');
    await screen.findByRole('heading', { name: 'Dashboard' });
    expect(screen.getByTestId('account-name').textContent).toBe('Acme Outdoor');
    expect(screen.getByTestId('user-email').textContent).toBe('owner@example.com');
    expect(screen.getByTestId('user-role').textContent).toBe('Owner');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    const labels = within(nav).getAllByRole('link').map((a) => a.textContent);
    expect(labels).toEqual(['Dashboard', 'Connections', 'Orders', 'Products', 'Missing products', 'Rules', 'Inventory', 'Logs', 'Settings']);
    expect(within(nav).getByRole('link', { name: 'Dashboard' }).getAttribute('aria-current')).toBe('page');
    expect(screen.queryByRole('link', { name: 'Job monitor' })).toBeNull();
  });

  it('shows honest empty states on pages with nothing to show yet', async () => {
    const emptyPage = { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 };
    const zeroCounts = { pending: 0, ready: 0, sent: 0, posted: 0, error: 0, needsMapping: 0, skippedDuplicate: 0, excluded: 0 };
    backend(sessionFor('MEMBER'), (call) => {
      switch (operationName(call)) {
        case 'Orders':
          return json({ data: { orders: emptyPage } });
        case 'OrderStateCounts':
          return json({ data: { orderStateCounts: zeroCounts } });
        case 'Rules':
          return json({ data: { rules: emptyPage } });
        case 'ItemListCompanies':
          return json({ data: { quickBooksDesktopConnections: { edges: [] } } });
        case 'InventoryStores':
          return json({ data: { storeConnections: { edges: [] }, quickBooksDesktopConnections: { edges: [] }, quickBooksOnlineConnections: { edges: [] } } });
        case 'InventoryUpdates':
          return json({ data: { inventoryUpdates: emptyPage } });
        case 'InventoryPushLog':
          return json({ data: { inventoryPushLog: emptyPage } });
      }
      return undefined;
    });
    renderApp('/orders');
    await screen.findByRole('heading', { name: 'Orders' });
    expect(await screen.findByText('No orders yet. Orders pulled from your stores appear here with their sync state.')).toBeTruthy();
    for (const [link, heading] of [
      ['Products', 'Products'],
      ['Rules', 'Rules'],
      ['Inventory', 'Inventory'],
    ] as const) {
      fireEvent.click(screen.getByRole('link', { name: link }));
      await screen.findByRole('heading', { name: heading });
      const text = (await screen.findByTestId('empty-state')).textContent ?? '';
      expect(text).toMatch(/^No .+ yet\. /);
      expect(text).not.toMatch(/todo|coming soon/i);
    }
  });

  it('gives support staff the job monitor link and an account picker that sets the account header', async () => {
    const f = backend(sessionFor('SUPPORT'), (call) => {
      if (operationName(call) !== 'AccountPicker') return undefined;
      const viewed = call.headers['x-ledgerlink-account'] === 'acc-2' ? { id: 'acc-2', name: 'Birch Books' } : { id: 'acc-1', name: 'Acme Outdoor' };
      return json({
        data: {
          viewer: { account: viewed },
          accounts: {
            edges: [{ node: { id: 'acc-1', name: 'Acme Outdoor' } }, { node: { id: 'acc-2', name: 'Birch Books' } }],
            totalCount: 2,
          },
        },
      });
    });
    renderApp('/');
    await screen.findByRole('heading', { name: 'Dashboard' });
    const monitor = screen.getByRole('link', { name: 'Job monitor' });
    expect(monitor.getAttribute('href')).toBe('/monitoring/');

    const picker = screen.getByLabelText('Viewing account') as HTMLSelectElement;
    await within(picker).findByRole('option', { name: 'Birch Books' });
    fireEvent.change(picker, { target: { value: 'acc-2' } });

    expect(window.localStorage.getItem('ledgerlink.supportAccountId')).toBe('acc-2');
    await waitFor(() => {
      const dash = f.calls.filter((c) => operationName(c) === 'Dashboard');
      expect(dash.at(-1)?.headers['x-ledgerlink-account']).toBe('acc-2');
    });
    expect(screen.getByText(/Support view/)).toBeTruthy();
  });

  it('never sends a stored support account for a non-support user', async () => {
    window.localStorage.setItem('ledgerlink.supportAccountId', 'acc-2');
    const f = backend(sessionFor('OWNER'));
    renderApp('/');
    await waitFor(() => expect(f.calls.some((c) => operationName(c) === 'Dashboard')).toBe(true));
    const dash = f.calls.find((c) => operationName(c) === 'Dashboard');
    expect(dash?.headers).not.toHaveProperty('x-ledgerlink-account');
    expect(dash?.headers['x-csrf-token']).toBe('csrf-123');
  });
});
