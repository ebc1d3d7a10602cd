import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { json, mockFetch, operationName, renderApp, sessionFor, variablesOf } from '../test/helpers';

function dashboard(overrides: Record<string, unknown> = {}) {
  return {
    errorsLast24h: 0,
    warningsLast24h: 3,
    infoLast24h: 1250,
    activeApiKeys: 0,
    worker: {
      lastHeartbeatAt: '2026-11-23T10:00:00Z',
      healthy: true,
      queues: [
        { name: 'default', pending: 0, active: 1, scheduled: 2, retry: 0, archived: 0, processedToday: 40, failedToday: 0 },
        { name: 'critical', pending: 5, active: 0, scheduled: 0, retry: 1, archived: 2, processedToday: 7, failedToday: 3 },
      ],
    },
    ...overrides,
  };
}

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

function overview() {
  return {
    overview: {
      stores: [
        {
          connection: { id: '7', channel: 'SHOPIFY', name: 'Main shop', quickBooksConnectionId: '3', enabled: true, lastSyncAt: minutesAgo(4), lastSyncError: '', sync: null },
          nextPullAt: new Date(Date.now() + 11 * 60_000).toISOString(),
          ordersToday: 4,
          ordersLast7Days: 31,
          waiting: 2,
          inError: 1,
          needsMapping: 5,
        },
      ],
      days: [
        { day: '2026-12-04', errors: 2, inventoryUpdated: 0, inventoryFailed: 0, posted: [{ connectionId: '7', count: 9 }] },
        { day: '2026-12-05', errors: 0, inventoryUpdated: 0, inventoryFailed: 0, posted: [{ connectionId: '7', count: 3 }] },
      ],
      needsAttention: [
        { id: '41', number: '1041', state: 'NEEDS_MAPPING', stateReason: 'SKU BLUE-1 has no QuickBooks item.', connectionId: '7', updatedAt: minutesAgo(2) },
      ],
      sweeps: [{ day: '2026-12-04', storeCount: 12, ourCount: 11, postedCount: 10, gapCount: 2, error: null, sweptAt: minutesAgo(600), store: { id: '7', name: 'Main shop' } }],
    },
    quickBooksDesktopConnections: {
      edges: [{ node: { id: '3', name: 'Acme Books', runEveryMinutes: 15, lastContactAt: minutesAgo(47), work: { queued: 6, inFlight: 1, inDoubt: 0, failed: 2 },
        health: { status: 'LATE', since: minutesAgo(2), summary: 'Late since 2026-12-05 11:58 UTC: the Web Connector has not run for more than 3 × its 15-minute schedule.' } } }],
    },
  };
}

function missedOrders() {
  const node = (id: string, number: string, cause: string, order: { id: string; state: string } | null) => ({
    id, day: '2026-12-04', externalId: `ext-${number}`, number, cause, storeCreatedAt: minutesAgo(900), foundAt: minutesAgo(600),
    resyncRequestedAt: null, store: { id: '7', name: 'Main shop' }, order,
  });
  return {
    missedOrders: {
      edges: [
        { cursor: 'c1', node: node('91', '1091', 'NOT_RECEIVED', null) },
        { cursor: 'c2', node: node('92', '1092', 'NOT_IN_QUICKBOOKS', { id: '55', state: 'ERROR' }) },
      ],
      pageInfo: { hasNextPage: false, endCursor: 'c2' },
      totalCount: 2,
    },
  };
}

const noAlerts = { alerts: { totalCount: 0, edges: [] } };

function serve(role: 'OWNER' | 'SUPPORT' = 'OWNER', alerts: unknown = noAlerts) {
  return mockFetch((call) => {
    if (call.url === '/auth/session') return json(sessionFor(role));
    if (operationName(call) === 'DashboardOpenAlerts') return json({ data: alerts });
    if (operationName(call) === 'Dashboard') return json({ data: { dashboard: dashboard() } });
    if (operationName(call) === 'Overview') return json({ data: overview() });
    if (operationName(call) === 'SyncStoreConnection') return json({ data: { syncStoreConnection: { state: 'queued' } } });
    if (operationName(call) === 'MissedOrders') return json({ data: missedOrders() });
    if (operationName(call) === 'ResyncMissedOrders') return json({ data: { resyncMissedOrders: 2 } });
    return undefined;
  });
}

describe('dashboard', () => {
  it('lists the open alerts with where to look, and says how many more there are', async () => {
    const f = serve('OWNER', {
      alerts: {
        totalCount: 7,
        edges: [
          { node: { id: '12', kind: 'QBD_SILENT', message: 'The Web Connector of Acme Books has not run since 2026-12-05 10:00 UTC (it runs every 15 minutes).', link: '/web-connector/3', raisedAt: minutesAgo(30) } },
          { node: { id: '11', kind: 'STORE_CREDENTIALS', message: 'Main shop refused its credentials.', link: '/connections?store=7', raisedAt: minutesAgo(90) } },
        ],
      },
    });
    renderApp('/');
    const panel = await screen.findByTestId('open-alerts');
    expect(within(panel).getByRole('heading', { name: '7 open alerts' })).toBeTruthy();
    const silent = within(panel).getByTestId('open-alert-12');
    expect(silent.textContent).toContain('has not run since 2026-12-05 10:00 UTC');
    expect(silent.textContent).toContain('30 minutes ago');
    expect(within(silent).getByRole('link', { name: 'See what to do' }).getAttribute('href')).toBe('/web-connector/3');
    expect(within(panel).getByTestId('open-alert-11').textContent).toContain('Main shop refused its credentials.');
    expect(panel.textContent).toContain('5 more.');
    expect(within(panel).getByRole('link', { name: 'Alert settings and history' }).getAttribute('href')).toBe('/settings#alerts');
    const q = f.calls.find((c) => operationName(c) === 'DashboardOpenAlerts')!;
    expect(variablesOf(q)).toEqual({ first: 5 });
  });

  it('shows no alert panel when nothing is open', async () => {
    serve();
    renderApp('/');
    await screen.findByTestId('store-card-7');
    expect(screen.queryByTestId('open-alerts')).toBeNull();
  });

  it('shows a card per store with links to its filtered orders, Manual Sync and Map products', async () => {
    const f = serve();
    renderApp('/');
    const card = await screen.findByTestId('store-card-7');
    expect(within(card).getByRole('heading', { name: 'Main shop' })).toBeTruthy();
    expect(card.textContent).toContain('Posts to Acme Books');
    expect(card.textContent).toContain('4 minutes ago');
    const link = (id: string) => within(card).getByTestId(id);
    expect(link('store-orders-today').textContent).toBe('4 today');
    expect(link('store-orders-7d').textContent).toBe('31 last 7 days');
    expect(link('store-in-error').getAttribute('href')).toBe('/orders?store=7&state=ERROR');
    expect(link('store-needs-mapping').getAttribute('href')).toBe('/orders?store=7&state=NEEDS_MAPPING');
    expect(within(card).getByRole('link', { name: 'Map products' }).getAttribute('href')).toBe('/products/missing');
    // The full Manual Sync form (dates, order statuses) is the store's panel on Connections.
    expect(within(card).getByRole('link', { name: 'Manual Sync with dates and order statuses' }).getAttribute('href')).toBe('/connections?store=7&panel=sync');
    // "today" is the browser's: the query carries its time zone.
    const ov = f.calls.find((c) => operationName(c) === 'Overview')!;
    expect(variablesOf(ov)).toEqual({ timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, days: 30 });

    fireEvent.click(within(card).getByRole('button', { name: 'Manual Sync' }));
    expect(await within(card).findByText(/Sync started/)).toBeTruthy();
    const sync = f.calls.find((c) => operationName(c) === 'SyncStoreConnection')!;
    expect(variablesOf(sync)).toEqual({ id: '7' });
  });

  it("shows each QuickBooks company with its Web Connector's status line and a link to its health page", async () => {
    serve();
    renderApp('/');
    const card = await screen.findByTestId('company-card-3');
    const line = within(card).getByTestId('company-contact').textContent;
    expect(line).toContain('Web Connector: Late Late since 2026-12-05 11:58 UTC');
    expect(line).toContain('Last contact 47 minutes ago.');
    expect(within(card).getByRole('link', { name: 'Web Connector health' }).getAttribute('href')).toBe('/web-connector/3');
    expect(card.textContent).toContain('7 queued');
    expect(card.textContent).toContain('2 failed');
    expect(within(card).getByRole('link', { name: 'Open its work queue' }).getAttribute('href')).toBe('/connections#qbd-3');
  });

  it('lists the orders needing attention with their reason and the charts with their totals', async () => {
    serve();
    renderApp('/');
    const item = await screen.findByTestId('attention-41');
    expect(within(item).getByRole('link', { name: 'Order 1041' }).getAttribute('href')).toBe('/orders/41');
    expect(item.textContent).toContain('SKU BLUE-1 has no QuickBooks item.');
    expect(item.textContent).toContain('Main shop');
    expect(screen.getByTestId('chart-posted').textContent).toContain('Main shop: 12');
    expect(screen.getByTestId('chart-errors').textContent).toContain('Errors: 2');
    // No inventory activity: no inventory chart.
    expect(screen.queryByTestId('chart-inventory')).toBeNull();
  });

  it('keeps the queue table for support users only', async () => {
    serve('OWNER');
    const { unmount } = renderApp('/');
    await screen.findByTestId('store-card-7');
    expect(screen.queryByTestId('queue-table')).toBeNull();
    unmount();

    serve('SUPPORT');
    renderApp('/');
    const rows = (await screen.findByTestId('queue-table')).querySelectorAll('tbody tr');
    expect(rows).toHaveLength(2);
    expect([...rows[1]!.children].map((c) => c.textContent)).toEqual(['critical', '5', '0', '0', '1', '2', '7', '3']);
    expect(screen.getByTestId('card-worker').textContent).toMatch(/Healthy/);
    expect(screen.queryByRole('button', { name: 'Manual Sync' })).toBeNull();
  });

  it('refreshes every 15 seconds', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const f = serve();
    renderApp('/');
    await screen.findByTestId('store-card-7');
    const calls = () => f.calls.filter((c) => operationName(c) === 'Overview').length;
    expect(calls()).toBe(1);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(15_000);
    });
    expect(calls()).toBe(2);
  });
});

describe('missed orders', () => {
  it("lists the sweep's gaps per store and resyncs them in one click", async () => {
    const f = serve();
    renderApp('/');
    const panel = await screen.findByTestId('missed-orders');
    expect(within(panel).getByTestId('sweep-7').textContent).toContain('12 in the store, 11 in Ledgerlink, 10 in QuickBooks — 2 missing');
    await within(panel).findByTestId('missed-91');
    expect(within(panel).getByTestId('missed-91').textContent).toContain('Never received');
    expect(within(panel).getByTestId('missed-92').textContent).toContain('Not in QuickBooks');
    expect(within(within(panel).getByTestId('missed-92')).getByRole('link', { name: '1092' }).getAttribute('href')).toBe('/orders/55');
    fireEvent.click(within(panel).getByRole('button', { name: 'Resync all 2 shown' }));
    expect(await within(panel).findByText(/Resync of 2 orders started/)).toBeTruthy();
    const call = f.calls.find((c) => operationName(c) === 'ResyncMissedOrders')!;
    expect(variablesOf(call)).toEqual({ ids: ['91', '92'] });
  });
});
