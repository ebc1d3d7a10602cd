import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MappingKind, Role } from '../graphql/schema';
import { callsOf, json, mockFetch, operationName, renderApp, sessionFor, variablesOf, type Call } from '../test/helpers';
import { AUTOCOMPLETE_DEBOUNCE_MS } from '../components/ItemAutocomplete';
import { EMPTY_MISSING, EMPTY_SHIPPING } from './MissingProductsPage';

interface Mapping {
  id: string;
  kind: MappingKind;
  storeValue: string;
  itemName: string;
  createdBy: string;
  createdAt: string;
}
interface Missing {
  sku: string;
  orders: number;
  exampleOrderId: string;
}
interface MissingShipping {
  method: string;
  orders: number;
  exampleOrderId: string;
}

const ITEMS = [
  { id: 'i1', fullName: 'Widget', type: 'Inventory Part', description: 'Standard widget', active: true },
  { id: 'i2', fullName: 'Widget:Blue', type: 'Inventory Part', description: 'Blue widget', active: true },
  { id: 'i3', fullName: 'Wide Gadget', type: 'Non-inventory Part', description: '', active: false },
  { id: 'i4', fullName: 'Gizmo', type: 'Service', description: '', active: true },
];

function mappingBackend(
  opts: { role?: Role; missing?: Missing[]; shipping?: MissingShipping[]; mappings?: Mapping[]; companies?: { id: string; name: string }[] } = {},
) {
  let missing = [...(opts.missing ?? [])];
  let shipping = [...(opts.shipping ?? [])];
  let mappings = [...(opts.mappings ?? [])];
  const companies = opts.companies ?? [
    { id: 'qb-1', name: 'Main company' },
    { id: 'qb-2', name: 'Second company' },
  ];
  let nextId = 100;
  return mockFetch((call: Call) => {
    if (call.url === '/auth/session') return json(sessionFor(opts.role ?? 'MEMBER'));
    const v = variablesOf(call);
    switch (operationName(call)) {
      // The API answers one costly list per request: each operation gets only its own field.
      case 'MissingProducts':
        return json({
          data: {
            missingProducts: missing.map((m) => ({
              ...m,
              mapping: mappings.find((p) => p.kind === 'PRODUCT' && p.storeValue.toLowerCase() === m.sku.toLowerCase()) ?? null,
            })),
          },
        });
      case 'MissingShippingMethods':
        return json({
          data: {
            missingShippingMethods: shipping.map((m) => ({
              ...m,
              mapping: mappings.find((p) => p.kind === 'SHIPPING_METHOD' && p.storeValue.toLowerCase() === m.method.toLowerCase()) ?? null,
            })),
          },
        });
      case 'ProductMappings':
        return json({ data: { productMappings: mappings } });
      case 'MappingCompanies':
        return json({ data: { quickBooksDesktopConnections: { edges: companies.map((node) => ({ node })) } } });
      case 'QuickBooksItemSuggestions': {
        // Ranked as the server does: inactive items last.
        const found = v.quickBooksConnectionId === 'qb-2' ? ITEMS.filter((i) => i.fullName.toLowerCase().includes(String(v.search).toLowerCase())) : [];
        return json({ data: { quickBooksItemSuggestions: { items: found, totalCount: found.length } } });
      }
      case 'MapProduct': {
        const m: Mapping = {
          id: String(nextId++),
          kind: v.kind as MappingKind,
          storeValue: String(v.storeValue),
          itemName: String(v.itemName),
          createdBy: 'member@example.com',
          createdAt: '2026-11-20T10:00:00Z',
        };
        mappings = [...mappings.filter((p) => !(p.kind === m.kind && p.storeValue === m.storeValue)), m];
        return json({ data: { mapProduct: m } });
      }
      case 'UnmapProduct':
        mappings = mappings.filter((p) => !(p.kind === v.kind && p.storeValue === v.storeValue));
        return json({ data: { unmapProduct: true } });
      case 'ApplyProductMappings': {
        if (v.kind) {
          // One mapping: its rule, and the orders its SKU held up.
          mappings = mappings.filter((p) => !(p.kind === v.kind && p.storeValue === v.storeValue));
          missing = missing.filter((m) => m.sku !== v.storeValue);
          return json({ data: { applyProductMappings: { rulesCreated: 1, ordersResynced: 1, ordersQueued: 1, orderIds: ['57'] } } });
        }
        const rulesCreated = mappings.length;
        // Mapped shipping methods become rules and leave the list; the others stay.
        shipping = shipping.filter((m) => !mappings.some((p) => p.kind === 'SHIPPING_METHOD' && p.storeValue === m.method));
        mappings = [];
        missing = [];
        return json({ data: { applyProductMappings: { rulesCreated, ordersResynced: 4, ordersQueued: 3, orderIds: ['42', '43', '44', '57'] } } });
      }
    }
    return undefined;
  });
}

/** Both missing SKUs mapped, waiting for the resync. */
const TWO_MAPPINGS = (): Mapping[] => [
  { id: '9', kind: 'PRODUCT', storeValue: 'GAD-7', itemName: 'Gadget', createdBy: 'a', createdAt: '2026-11-20T09:00:00Z' },
  { id: '10', kind: 'PRODUCT', storeValue: 'WID-100-BLK', itemName: 'Widget', createdBy: 'a', createdAt: '2026-11-20T09:00:00Z' },
];

const MISSING: Missing[] = [
  { sku: 'WID-100-BLK', orders: 3, exampleOrderId: '42' },
  { sku: 'GAD-7', orders: 1, exampleOrderId: '57' },
];

afterEach(() => {
  delete (Element.prototype as { scrollIntoView?: unknown }).scrollIntoView;
});

describe('missing product mapping', () => {
  it('lists the SKUs that hold orders, with an example order and the current mapping', async () => {
    const f = mappingBackend({
      missing: MISSING,
      mappings: [{ id: '9', kind: 'PRODUCT', storeValue: 'GAD-7', itemName: 'Gadget', createdBy: 'owner@example.com', createdAt: '2026-11-20T09:00:00Z' }],
    });
    renderApp('/products/missing');
    await screen.findByRole('heading', { name: 'Missing Product Mapping', level: 1 });
    const row = await screen.findByTestId('missing-row-WID-100-BLK');
    expect(within(row).getByText('WID-100-BLK')).toBeTruthy();
    expect(within(row).getByText('3')).toBeTruthy();
    expect(within(row).getByRole('link', { name: 'View order held by WID-100-BLK' }).getAttribute('href')).toBe('/orders/42');
    expect(within(row).getByTestId('current-mapping').textContent).toBe('Not mapped');
    expect(within(screen.getByTestId('missing-row-GAD-7')).getByTestId('current-mapping').textContent).toMatch(/^Gadget Product/);
    expect(within(screen.getByTestId('pending-mappings')).getByText('Gadget')).toBeTruthy();

    // One costly list per request: the server refuses an operation that selects two.
    const lists = ['missingProducts', 'missingShippingMethods', 'productMappings'];
    for (const call of f.calls.filter((c) => c.url === '/graphql')) {
      const query = (call.body as { query?: string } | null)?.query ?? '';
      expect(lists.filter((l) => new RegExp(`\\b${l}\\b`).test(query)).length).toBeLessThanOrEqual(1);
    }

    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Missing products' }).getAttribute('aria-current')).toBe('page');
    expect(within(nav).getByRole('link', { name: 'Products' }).getAttribute('aria-current')).toBeNull();
  });

  it('shows the empty state when nothing is missing', async () => {
    mappingBackend();
    renderApp('/products/missing');
    expect((await screen.findByTestId('empty-state')).textContent).toBe(EMPTY_MISSING);
    expect(EMPTY_MISSING).toBe(
      'No missing products. Orders whose SKUs have no QuickBooks item appear here when the Missing Product Action is “Flag order as error and map”.',
    );
  });

  it('autocompletes from the chosen QuickBooks company’s items and saves the mapping with the chosen kind', async () => {
    const f = mappingBackend({ missing: MISSING });
    renderApp('/products/missing');
    const row = await screen.findByTestId('missing-row-WID-100-BLK');
    fireEvent.click(within(row).getByRole('button', { name: 'Edit' }));
    const editor = within(await screen.findByTestId('mapping-editor'));
    await waitFor(() => expect((editor.getByLabelText('QuickBooks company') as HTMLSelectElement).options).toHaveLength(2));
    fireEvent.change(editor.getByLabelText('QuickBooks company'), { target: { value: 'qb-2' } });

    const input = editor.getByTestId('map-item-input') as HTMLInputElement;
    expect(input.getAttribute('role')).toBe('combobox');
    fireEvent.change(input, { target: { value: 'W' } });
    fireEvent.change(input, { target: { value: 'Wi' } });
    fireEvent.change(input, { target: { value: 'Wid' } });
    const typedAt = performance.now();
    const options = within(await editor.findByRole('listbox', { name: 'QuickBooks items' })).getAllByRole('option');
    // Debounced: one search, for what was typed last, a pause after typing stopped.
    expect(performance.now() - typedAt).toBeGreaterThanOrEqual(AUTOCOMPLETE_DEBOUNCE_MS - 5);
    expect(callsOf(f, 'QuickBooksItemSuggestions').map(variablesOf)).toEqual([{ quickBooksConnectionId: 'qb-2', search: 'Wid', first: 8 }]);
    // In the server's order, the inactive item last and marked.
    expect(options.map((o) => o.textContent)).toEqual(['Widget Inventory Part', 'Widget:Blue Inventory Part', 'Wide Gadget Non-inventory Part inactive']);
    expect(within(options[2]!).getByText('inactive').className).toContain('badge');
    expect(options.map((o) => o.classList.contains('autocomplete-option-inactive'))).toEqual([false, false, true]);
    expect(input.getAttribute('aria-expanded')).toBe('true');

    fireEvent.mouseDown(options[1]!);
    expect(input.value).toBe('Widget:Blue');
    expect(editor.queryByRole('listbox')).toBeNull();

    fireEvent.change(editor.getByLabelText('Item type'), { target: { value: 'SHIPPING_METHOD' } });
    fireEvent.click(editor.getByTestId('map-save'));
    await screen.findByTestId('mapping-status');
    expect(callsOf(f, 'MapProduct').map(variablesOf)).toEqual([{ kind: 'SHIPPING_METHOD', storeValue: 'WID-100-BLK', itemName: 'Widget:Blue' }]);
    expect(screen.queryByTestId('mapping-editor')).toBeNull();
    const pending = await screen.findByTestId('pending-mappings');
    expect(within(pending).getByText('Shipping method')).toBeTruthy();
    expect(within(pending).getByText('Widget:Blue')).toBeTruthy();
  });

  it('brings the suggestions into view when they open below the fold', async () => {
    // jsdom lays nothing out: the list asks the browser to scroll it into view, no further than needed.
    const scrolled = vi.fn();
    Element.prototype.scrollIntoView = scrolled;
    mappingBackend({ missing: MISSING, companies: [{ id: 'qb-2', name: 'Only company' }] });
    renderApp('/products/missing');
    fireEvent.click(within(await screen.findByTestId('missing-row-GAD-7')).getByRole('button', { name: 'Edit' }));
    const editor = within(await screen.findByTestId('mapping-editor'));
    fireEvent.change(editor.getByTestId('map-item-input'), { target: { value: 'wid' } });
    const list = await editor.findByRole('listbox', { name: 'QuickBooks items' });
    await waitFor(() => expect(scrolled).toHaveBeenCalledWith({ block: 'nearest' }));
    expect(scrolled.mock.contexts.at(-1)).toBe(list);
  });

  it('picks a suggestion with the keyboard, and saves a name that is not in the list', async () => {
    const f = mappingBackend({ missing: MISSING, companies: [{ id: 'qb-2', name: 'Only company' }] });
    renderApp('/products/missing');
    fireEvent.click(within(await screen.findByTestId('missing-row-GAD-7')).getByRole('button', { name: 'Edit' }));
    const editor = within(await screen.findByTestId('mapping-editor'));
    expect(editor.queryByLabelText('QuickBooks company')).toBeNull();
    const input = editor.getByTestId('map-item-input') as HTMLInputElement;

    fireEvent.change(input, { target: { value: 'gizmo' } });
    await editor.findByRole('option', { name: /Gizmo/ });
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(input.getAttribute('aria-activedescendant')).toBe(editor.getByRole('option', { name: /Gizmo/ }).id);
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(input.value).toBe('Gizmo');

    fireEvent.change(input, { target: { value: 'Brand new thing' } });
    await editor.findByText(/No QuickBooks item contains “Brand new thing”\. You can still save the name as typed/);
    expect((editor.getByLabelText('Item type') as HTMLSelectElement).value).toBe('PRODUCT');
    fireEvent.click(editor.getByTestId('map-save'));
    await screen.findByTestId('mapping-status');
    expect(callsOf(f, 'MapProduct').map(variablesOf)).toEqual([{ kind: 'PRODUCT', storeValue: 'GAD-7', itemName: 'Brand new thing' }]);
    await waitFor(() => expect(within(screen.getByTestId('missing-row-GAD-7')).getByTestId('current-mapping').textContent).toMatch(/^Brand new thing Product/));
  });

  it('removes a mapping', async () => {
    const f = mappingBackend({
      missing: MISSING,
      mappings: [{ id: '9', kind: 'PRODUCT', storeValue: 'GAD-7', itemName: 'Gadget', createdBy: 'owner@example.com', createdAt: '2026-11-20T09:00:00Z' }],
    });
    renderApp('/products/missing');
    const pending = await screen.findByTestId('pending-mappings');
    fireEvent.click(within(pending).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(screen.queryByTestId('pending-mappings')).toBeNull());
    expect(callsOf(f, 'UnmapProduct').map(variablesOf)).toEqual([{ kind: 'PRODUCT', storeValue: 'GAD-7' }]);
  });

  it('resyncs mapped orders and says what became of the mappings', async () => {
    const f = mappingBackend({ missing: MISSING, mappings: TWO_MAPPINGS() });
    renderApp('/products/missing');
    await screen.findByTestId('pending-mappings');
    fireEvent.click(screen.getByTestId('apply-mappings'));
    const result = await screen.findByTestId('apply-result');
    expect(result.textContent).toMatch(/^2 rules created, 3 orders queued\. 1 order was processed again but not queued/);
    expect(result.textContent).toMatch(/“Map SKU …” rule/);
    expect(within(result).getByRole('link', { name: 'Rules' }).getAttribute('href')).toBe('/rules');
    expect(callsOf(f, 'ApplyProductMappings').map(variablesOf)).toEqual([{}]);
    // A link to the orders it sent again, on the Orders page.
    const link = within(result).getByRole('link', { name: 'See the 4 resynced orders' });
    expect(link.getAttribute('href')).toBe('/orders?ids=42,43,44,57');
    expect(await screen.findByTestId('empty-state')).toBeTruthy();
    expect(screen.queryByTestId('pending-mappings')).toBeNull();
  });

  it('resyncs one mapping on its own, leaving the others waiting', async () => {
    const f = mappingBackend({ missing: MISSING, mappings: TWO_MAPPINGS() });
    renderApp('/products/missing');
    const row = within(await screen.findByTestId('mapping-9'));
    fireEvent.click(row.getByRole('button', { name: 'Resync GAD-7 only' }));
    const result = await screen.findByTestId('apply-result');
    expect(callsOf(f, 'ApplyProductMappings').map(variablesOf)).toEqual([{ kind: 'PRODUCT', storeValue: 'GAD-7' }]);
    expect(result.textContent).toMatch(/^1 rule created, 1 order queued\./);
    expect(within(result).getByRole('link', { name: 'See the resynced order' }).getAttribute('href')).toBe('/orders?ids=57');
    await waitFor(() => expect(screen.queryByTestId('mapping-9')).toBeNull());
    expect(screen.getByTestId('mapping-10')).toBeTruthy();
    expect(screen.getByTestId('missing-row-WID-100-BLK')).toBeTruthy();
  });

  it('lists the shipping methods no rule maps, and maps one with autocomplete as a shipping method', async () => {
    const f = mappingBackend({
      shipping: [
        { method: 'UPS Ground', orders: 2, exampleOrderId: '61' },
        { method: 'USPS Priority', orders: 1, exampleOrderId: '64' },
      ],
      companies: [{ id: 'qb-2', name: 'Only company' }],
    });
    renderApp('/products/missing');
    const table = await screen.findByTestId('missing-shipping-methods');
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Shipping method', 'Orders', 'Example order', 'Mapped to', 'Actions']);
    const row = screen.getByTestId('missing-shipping-UPS Ground');
    expect(within(row).getByRole('rowheader').textContent).toBe('UPS Ground');
    expect(within(row).getByText('2')).toBeTruthy();
    expect(within(row).getByRole('link', { name: 'View order shipped with UPS Ground' }).getAttribute('href')).toBe('/orders/61');
    expect(within(row).getByTestId('current-mapping').textContent).toBe('Not mapped');
    expect(screen.getByTestId('empty-state').textContent).toBe(EMPTY_MISSING); // no SKUs missing

    fireEvent.click(within(row).getByRole('button', { name: 'Edit' }));
    const editor = within(await screen.findByTestId('mapping-editor'));
    expect((editor.getByLabelText('Item type') as HTMLSelectElement).value).toBe('SHIPPING_METHOD');
    fireEvent.click(editor.getByTestId('map-save'));
    expect((await editor.findByText('Enter the QuickBooks item this shipping method posts to.')).textContent).toBeTruthy();
    const input = editor.getByTestId('map-item-input') as HTMLInputElement;
    fireEvent.change(input, { target: { value: 'giz' } });
    fireEvent.mouseDown(await editor.findByRole('option', { name: /Gizmo/ }));
    expect(input.value).toBe('Gizmo');
    fireEvent.click(editor.getByTestId('map-save'));
    expect((await screen.findByTestId('mapping-status')).textContent).toBe(
      'Mapped shipping method “UPS Ground” to “Gizmo”. Click “Resync mapped orders” to post its orders.',
    );
    expect(callsOf(f, 'MapProduct').map(variablesOf)).toEqual([{ kind: 'SHIPPING_METHOD', storeValue: 'UPS Ground', itemName: 'Gizmo' }]);
    await waitFor(() =>
      expect(within(screen.getByTestId('missing-shipping-UPS Ground')).getByTestId('current-mapping').textContent).toMatch(/^Gizmo Shipping method/),
    );

    // The resync turns the mapping into a rule: the method leaves the list, the other stays.
    fireEvent.click(screen.getByTestId('apply-mappings'));
    expect((await screen.findByTestId('apply-result')).textContent).toMatch(/^1 rule created/);
    await waitFor(() => expect(screen.queryByTestId('missing-shipping-UPS Ground')).toBeNull());
    expect(screen.getByTestId('missing-shipping-USPS Priority')).toBeTruthy();
  });

  it('says so when every shipping method is mapped', async () => {
    mappingBackend({ missing: MISSING });
    renderApp('/products/missing');
    expect((await screen.findByTestId('shipping-empty-state')).textContent).toBe(EMPTY_SHIPPING);
    expect(EMPTY_SHIPPING).toBe('Every shipping method your stores charge for is mapped to a QuickBooks item.');
    expect(screen.queryByTestId('missing-shipping-methods')).toBeNull();
  });

  it('is read-only for support staff', async () => {
    mappingBackend({ role: 'SUPPORT', missing: MISSING, shipping: [{ method: 'UPS Ground', orders: 2, exampleOrderId: '61' }] });
    renderApp('/products/missing');
    const row = await screen.findByTestId('missing-row-GAD-7');
    expect(within(row).queryByRole('button', { name: 'Edit' })).toBeNull();
    expect(within(screen.getByTestId('missing-shipping-UPS Ground')).queryByRole('button', { name: 'Edit' })).toBeNull();
    expect(screen.queryByTestId('apply-mappings')).toBeNull();
  });
});

describe('dashboard link to missing products', () => {
  it('appears only when SKUs are missing', async () => {
    const zero = { errorsLast24h: 0, warningsLast24h: 0, infoLast24h: 0, activeApiKeys: 0, worker: { lastHeartbeatAt: null, healthy: true, queues: [] } };
    let missing = [{ sku: 'A', orders: 2 }, { sku: 'B', orders: 1 }];
    mockFetch((call) => {
      if (call.url === '/auth/session') return json(sessionFor('OWNER'));
      if (operationName(call) === 'Dashboard') return json({ data: { dashboard: zero } });
      if (operationName(call) === 'DashboardMissingProducts') return json({ data: { missingProducts: missing } });
      return undefined;
    });
    const { unmount } = renderApp('/');
    const banner = await screen.findByTestId('missing-products-banner');
    expect(banner.textContent).toBe('2 SKUs have no QuickBooks item; 3 orders wait in Needs mapping. Map missing products');
    fireEvent.click(within(banner).getByRole('link', { name: 'Map missing products' }));
    await screen.findByRole('heading', { name: 'Missing Product Mapping' });
    unmount();

    missing = [];
    renderApp('/');
    await screen.findByRole('heading', { name: 'Dashboard' });
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByTestId('missing-products-banner')).toBeNull();
  });
});
