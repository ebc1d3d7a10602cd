import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, mockFetch, operationName, renderApp, sessionFor, variablesOf, type Call } from '../test/helpers';

const widgetShop = {
  id: 'u1',
  sku: 'Widget',
  storeConnectionId: 's1',
  storeConnectionName: 'Demo Shopify',
  channel: 'SHOPIFY',
  quickBooksItem: 'Widget',
  quickBooksQuantity: 95,
  quickBooksOnSalesOrder: 0,
  storeQuantity: 95,
  pushedQuantity: 95,
  status: 'DONE',
  attempts: 1,
  lastPushAt: '2026-12-05T10:00:00Z',
  nextAttemptAt: null,
  reason: '',
  updatedAt: '2026-12-05T10:00:00Z',
};
const gizmoWoo = {
  ...widgetShop,
  id: 'u2',
  sku: 'Gizmo Deluxe',
  storeConnectionId: 's2',
  storeConnectionName: 'Demo WooCommerce',
  channel: 'WOOCOMMERCE',
  quickBooksItem: 'Gizmo Deluxe',
  quickBooksQuantity: 12.5,
  storeQuantity: 12,
  pushedQuantity: null,
  status: 'MISMATCHED',
  lastPushAt: null,
  reason: 'No product in Demo WooCommerce has the SKU "Gizmo Deluxe".',
};
const gadgetWoo = {
  ...widgetShop,
  id: 'u3',
  sku: 'Gadget',
  storeConnectionId: 's2',
  storeConnectionName: 'Demo WooCommerce',
  channel: 'WOOCOMMERCE',
  quickBooksItem: 'Gadget',
  quickBooksQuantity: 40,
  storeQuantity: 40,
  status: 'FAILED',
  reason: 'WooCommerce refused the quantity 40: product does not manage stock',
};

const page = (nodes: object[]) => ({ edges: nodes.map((n) => ({ cursor: 'c', node: n })), pageInfo: { hasNextPage: false, endCursor: null }, totalCount: nodes.length });

const pushed = {
  id: 'p1',
  sku: 'Widget',
  storeConnectionId: 's1',
  storeConnectionName: 'Demo Shopify',
  channel: 'SHOPIFY',
  quantity: 95,
  outcome: 'PUSHED',
  reason: 'Set to 95 in Demo Shopify.',
  createdAt: '2026-12-05T10:00:00Z',
};

// The account's QuickBooks companies: one Desktop company unless a test adds an Online one.
const desktopOnly = { quickBooksDesktopConnections: { edges: [{ node: { id: 'd1', name: 'Main company' } }] }, quickBooksOnlineConnections: { edges: [] } };

function backend(opts: { updates?: (vars: Record<string, unknown>) => object[]; companies?: object; onlineStore?: string } = {}) {
  return mockFetch((call: Call) => {
    if (call.url === '/auth/session') return json(sessionFor('MEMBER'));
    const vars = variablesOf(call);
    switch (operationName(call)) {
      case 'InventoryStores':
        return json({
          data: {
            storeConnections: {
              edges: [
                { node: { id: 's1', name: 'Demo Shopify', channel: 'SHOPIFY', settings: { inventory: { enabled: true } } } },
                { node: { id: 's2', name: 'Demo WooCommerce', channel: 'WOOCOMMERCE', settings: { inventory: { enabled: true } } } },
                { node: { id: 's3', name: 'Ship', channel: 'SHIPSTATION', settings: { inventory: { enabled: false } } } },
              ].map(({ node }) => ({
                node: {
                  ...node,
                  quickBooksConnectionId: node.id === opts.onlineStore ? null : 'd1',
                  quickBooksOnlineConnectionId: node.id === opts.onlineStore ? 'o1' : null,
                },
              })),
            },
            ...(opts.companies ?? desktopOnly),
          },
        });
      case 'InventoryUpdates':
        return json({ data: { inventoryUpdates: page(opts.updates ? opts.updates(vars) : [widgetShop, gizmoWoo, gadgetWoo]) } });
      case 'InventoryPushLog':
        return json({ data: { inventoryPushLog: page([pushed]) } });
      case 'PushInventoryNow':
        return json({ data: { pushInventoryNow: { queued: vars.skus ? 1 : 3, message: 'Queued; the results appear below within a minute.' } } });
    }
    return undefined;
  });
}

const calls = (f: { calls: Call[] }, op: string) => f.calls.filter((c) => operationName(c) === op);

describe('inventory page', () => {
  it('shows each SKU with both quantities, the store, last push and status, and explains a mismatched SKU', async () => {
    backend();
    renderApp('/inventory');
    const shop = await screen.findByTestId('inventory-row-Widget-s1');
    expect([...shop.querySelectorAll('td')].map((td) => td.textContent)).toEqual([
      'Widget',
      '95',
      '95',
      'Shopify Demo Shopify',
      shop.querySelector('time')!.textContent,
      'Up to date',
      'Push now',
    ]);
    expect(shop.querySelector('time')!.getAttribute('datetime')).toBe('2026-12-05T10:00:00Z');
    const gizmo = screen.getByTestId('inventory-row-Gizmo Deluxe-s2');
    expect(gizmo.querySelectorAll('td')[4]!.textContent).toBe('Never');
    expect(within(gizmo).getByTestId('inventory-status').textContent).toBe('No such SKU in the store');
    expect(within(gizmo).getByTestId('mismatch-explanation').textContent).toBe(
      'Gizmo Deluxe is in QuickBooks but no product in Demo WooCommerce has that SKU: create it in the store or map it with an INVENTORY rule.',
    );
    expect(within(gizmo).getByRole('link', { name: 'INVENTORY rule' }).getAttribute('href')).toBe('/rules/new');
    expect(gizmo.querySelectorAll('td')[1]!.textContent).toBe('12.5');
    expect(within(screen.getByTestId('inventory-row-Gadget-s2')).getByTestId('inventory-reason').textContent).toBe(
      'WooCommerce refused the quantity 40: product does not manage stock',
    );
    const log = screen.getByTestId('inventory-push-log');
    expect(within(log).getByText('Set to 95 in Demo Shopify.')).toBeTruthy();
    expect(within(log).getByText('Updated')).toBeTruthy();
    // ShipStation holds no stock: not a store to filter on.
    const options = [...(screen.getByLabelText('Store') as HTMLSelectElement).options].map((o) => o.textContent);
    expect(options).toEqual(['All stores', 'Demo Shopify', 'Demo WooCommerce']);
  });

  it('names the QuickBooks company of each row when the account has a Desktop and an Online one, and none with one company', async () => {
    backend({
      onlineStore: 's2',
      companies: {
        quickBooksDesktopConnections: { edges: [{ node: { id: 'd1', name: 'Main company' } }] },
        quickBooksOnlineConnections: { edges: [{ node: { id: 'o1', name: 'Online books' } }] },
      },
    });
    const view = renderApp('/inventory');
    const shop = await screen.findByTestId('inventory-row-Widget-s1');
    await waitFor(() => expect(within(shop).queryByTestId('inventory-company')).not.toBeNull());
    expect(shop.querySelectorAll('td')[3]!.textContent).toBe('Shopify Demo ShopifyDesktop “Main company”');
    expect(within(screen.getByTestId('inventory-row-Gizmo Deluxe-s2')).getByTestId('inventory-company').textContent).toBe('Online “Online books”');
    expect(within(screen.getByTestId('inventory-row-Gadget-s2')).getByTestId('inventory-company').textContent).toBe('Online “Online books”');
    expect(screen.getByText(/on Intuit’s change notices and on a schedule/)).toBeTruthy();
    view.unmount();

    backend();
    renderApp('/inventory');
    const only = await screen.findByTestId('inventory-row-Widget-s1');
    expect(only.querySelectorAll('td')[3]!.textContent).toBe('Shopify Demo Shopify');
    expect(screen.queryAllByTestId('inventory-company')).toEqual([]);
  });

  it('filters failures and a store, in the URL and in the query', async () => {
    const f = backend({ updates: (v) => ((v.filter as { failedOnly?: boolean }).failedOnly ? [gizmoWoo, gadgetWoo] : [widgetShop, gizmoWoo, gadgetWoo]) });
    renderApp('/inventory');
    await screen.findByTestId('inventory-row-Widget-s1');
    fireEvent.click(screen.getByLabelText('Failures only'));
    await waitFor(() => expect(screen.queryByTestId('inventory-row-Widget-s1')).toBeNull());
    expect(window.location.search).toBe('?failed=1');
    fireEvent.change(screen.getByLabelText('Store'), { target: { value: 's2' } });
    await waitFor(() => expect(window.location.search).toBe('?store=s2&failed=1'));
    await waitFor(() => {
      const last = calls(f, 'InventoryUpdates').at(-1)!;
      expect(variablesOf(last).filter).toEqual({ storeConnectionId: 's2', failedOnly: true });
    });
    const lastLog = calls(f, 'InventoryPushLog').at(-1)!;
    expect(variablesOf(lastLog).filter).toEqual({ storeConnectionId: 's2', failedOnly: true });
    // Only the chosen store's "Push all".
    expect(screen.queryByRole('button', { name: 'Push all to Demo Shopify' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Push all to Demo WooCommerce' })).toBeTruthy();
  });

  it('pushes one SKU or every SKU of a store now and says what happens next', async () => {
    const f = backend();
    renderApp('/inventory');
    const gizmo = await screen.findByTestId('inventory-row-Gizmo Deluxe-s2');
    fireEvent.click(within(gizmo).getByRole('button', { name: 'Push Gizmo Deluxe to Demo WooCommerce now' }));
    expect((await screen.findByTestId('push-notice')).textContent).toBe('Queued; the results appear below within a minute.');
    expect(variablesOf(calls(f, 'PushInventoryNow')[0]!)).toEqual({ storeConnectionId: 's2', skus: ['Gizmo Deluxe'] });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Push all to Demo Shopify' }).hasAttribute('disabled')).toBe(false));
    fireEvent.click(screen.getByRole('button', { name: 'Push all to Demo Shopify' }));
    await waitFor(() => expect(calls(f, 'PushInventoryNow')).toHaveLength(2));
    expect(variablesOf(calls(f, 'PushInventoryNow')[1]!)).toEqual({ storeConnectionId: 's1' });
  });

  it('says how to start when nothing is synced yet', async () => {
    mockFetch((call) => {
      if (call.url === '/auth/session') return json(sessionFor('OWNER'));
      switch (operationName(call)) {
        case 'InventoryStores':
          return json({ data: { storeConnections: { edges: [] }, quickBooksDesktopConnections: { edges: [] }, quickBooksOnlineConnections: { edges: [] } } });
        case 'InventoryUpdates':
          return json({ data: { inventoryUpdates: page([]) } });
        case 'InventoryPushLog':
          return json({ data: { inventoryPushLog: page([]) } });
      }
      return undefined;
    });
    renderApp('/inventory');
    expect((await screen.findByTestId('empty-state')).textContent).toMatch(/^No inventory updates yet\. /);
    expect((await screen.findByTestId('inventory-off')).textContent).toMatch(/^Inventory sync is off for every store\./);
  });
});

describe('dashboard: inventory updates', () => {
  it('lists recent failed and successful inventory updates', async () => {
    const f = mockFetch((call) => {
      if (call.url === '/auth/session') return json(sessionFor('OWNER'));
      if (operationName(call) === 'InventoryPushLog') {
        const filter = variablesOf(call).filter as { failedOnly?: boolean; outcome?: string };
        const failed = { ...pushed, id: 'p2', sku: 'Gizmo Deluxe', outcome: 'MISMATCHED', reason: 'No product in Demo Shopify has the SKU "Gizmo Deluxe".' };
        return json({ data: { inventoryPushLog: page(filter.failedOnly ? [failed] : [pushed]) } });
      }
      return undefined;
    });
    renderApp('/');
    const failed = await screen.findByTestId('dashboard-inventory-failed');
    expect(within(failed).getByText('No product in Demo Shopify has the SKU "Gizmo Deluxe".')).toBeTruthy();
    expect(within(screen.getByTestId('dashboard-inventory-ok')).getByText('Set to 95 in Demo Shopify.')).toBeTruthy();
    const filters = calls(f, 'InventoryPushLog').map((c) => JSON.stringify(variablesOf(c).filter));
    expect(new Set(filters)).toEqual(new Set(['{"outcome":"PUSHED"}', '{"failedOnly":true}']));
  });
});
