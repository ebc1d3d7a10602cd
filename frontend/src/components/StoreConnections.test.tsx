import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Channel, PostingSettings, Role, SyncProgress } from '../graphql/schema';
import { DEFAULT_POSTING_SETTINGS, fromLocalInput, type PostingSettingsBase } from '../storeSettings';
import { callsOf, json, mockFetch, onePage, operationName, renderApp, sessionFor, variablesOf, type Call } from '../test/helpers';
import { qbdNode, storeNode as store, type StoreNode } from '../test/storeFixtures';
import { STORES_ACTIVE_REFRESH_MS, STORES_REFRESH_MS } from './StoreConnections';

const COMPANIES = [
  { id: 'qb-1', name: 'Main company' },
  { id: 'qb-2', name: 'Second company' },
];

function progress(state: string, extra: Partial<SyncProgress> = {}): SyncProgress {
  return {
    state,
    from: null,
    to: null,
    pages: 0,
    orders: 0,
    newOrders: 0,
    queued: 0,
    errors: 0,
    error: '',
    startedAt: null,
    finishedAt: null,
    ...extra,
  };
}

interface BackendOptions {
  role?: Role;
  stores?: StoreNode[];
  createReply?: (call: Call) => Response | undefined;
  updateReply?: (call: Call) => Response | undefined;
  /** Called for every StoreConnections answer, to move a sync along. */
  onList?: (stores: StoreNode[], n: number) => void;
  /** The connection test's answer (default: ok). */
  checkReply?: (call: Call) => { ok: boolean; field: string | null; message: string };
  /** The demo's simulated stores (default: none, as outside demo mode). */
  presets?: Record<string, string>[];
  /** When each QuickBooks company last called (default: never). */
  contacts?: Record<string, string>;
  /** The QuickBooks companies (default COMPANIES). */
  companies?: { id: string; name: string }[];
  /** The QuickBooks Online companies (default none). */
  online?: { id: string; name: string }[];
}

function storesBackend(opts: BackendOptions = {}) {
  const list = [...(opts.stores ?? [])];
  let listed = 0;
  const f = mockFetch((call) => {
    if (call.url === '/auth/session') return json(sessionFor(opts.role ?? 'OWNER'));
    switch (operationName(call)) {
      case 'QbdConnections':
        return json({
          data: {
            quickBooksDesktopConnections: {
              edges: (opts.companies ?? COMPANIES).map((c) => ({ cursor: c.id, node: qbdNode({ ...c, lastContactAt: opts.contacts?.[c.id] }) })),
              pageInfo: { hasNextPage: false, endCursor: 'qb-2' },
              totalCount: (opts.companies ?? COMPANIES).length,
            },
          },
        });
      case 'QboConnections':
        return json({
          data: {
            quickBooksOnlineConnections: onePage(
              (opts.online ?? []).map((c) => ({ ...c, realmId: '9341453050298464', companyName: c.name, status: 'CONNECTED', lastError: '', warning: '' })),
            ),
          },
        });
      case 'StoreConnections':
        opts.onList?.(list, listed++);
        return json({ data: { storeConnections: onePage(list.map((node) => structuredClone(node))) } });
      case 'CreateStoreConnection': {
        const custom = opts.createReply?.(call);
        if (custom) return custom;
        const input = variablesOf(call).input as Record<string, unknown>;
        const node = store('50', {
          channel: input.channel as Channel,
          name: input.name as string,
          baseUrl: input.baseUrl as string,
          quickBooksConnectionId: (input.quickBooksConnectionId as string) ?? null,
          syncEveryMinutes: input.syncEveryMinutes as number,
          settings: { ...DEFAULT_POSTING_SETTINGS, ...(input.settings as object) },
        });
        list.push(node);
        return json({ data: { createStoreConnection: node } });
      }
      case 'UpdateStoreConnection': {
        const custom = opts.updateReply?.(call);
        if (custom) return custom;
        const { id, input } = variablesOf(call) as { id: string; input: Record<string, unknown> };
        const node = list.find((s) => s.id === id)!;
        const { settings, credentials: _credentials, ...rest } = input;
        Object.assign(node, rest);
        if (settings) node.settings = { ...node.settings, ...(settings as object) };
        return json({ data: { updateStoreConnection: node } });
      }
      case 'CheckStoreCredentials':
        return json({ data: { checkStoreCredentials: opts.checkReply?.(call) ?? { ok: true, field: null, message: '' } } });
      case 'DemoStorePresets':
        return json({ data: { demoStorePresets: opts.presets ?? [] } });
      case 'SyncStoreConnection': {
        const { id, from, to } = variablesOf(call) as { id: string; from: string; to: string };
        const node = list.find((s) => s.id === id)!;
        node.sync = progress('queued', { from, to });
        return json({ data: { syncStoreConnection: node.sync } });
      }
    }
    return undefined;
  });
  return { ...f, list, listCount: () => listed };
}

function badInput(message: string, field: string) {
  return json({ errors: [{ message, path: ['x'], extensions: { code: 'BAD_USER_INPUT', field } }], data: null });
}

// ---------------------------------------------------------------------------

describe('stores: list', () => {
  it('shows each store with its channel, address, QuickBooks company, schedule, last sync, error and progress', async () => {
    storesBackend({
      stores: [
        store('1', {
          name: 'Acme Shopify',
          baseUrl: 'https://acme.myshopify.com',
          quickBooksConnectionId: 'qb-2',
          syncEveryMinutes: 30,
          lastSyncAt: '2026-11-20T10:00:00Z',
          lastSyncError: 'Shopify answered 401: the access token was revoked.',
          sync: progress('done', { pages: 3, orders: 120, newOrders: 7, queued: 6, errors: 1, startedAt: '2026-11-20T09:59:00Z', finishedAt: '2026-11-20T10:00:00Z' }),
        }),
        store('2', { channel: 'SHIPSTATION', name: 'Warehouse', baseUrl: 'https://ssapi.shipstation.com', quickBooksConnectionId: null, enabled: false }),
      ],
    });
    renderApp('/connections');
    const first = await screen.findByTestId('store-connection-1');
    expect(within(first).getByTestId('channel-badge').textContent).toBe('Shopify');
    expect(within(first).getByRole('heading', { name: /Acme Shopify/ })).toBeTruthy();
    expect(within(first).getByText('https://acme.myshopify.com')).toBeTruthy();
    expect(within(first).getByTestId('store-qbd').textContent).toBe('Second company');
    expect(within(first).getByText('30 min')).toBeTruthy();
    expect(within(first).getByTestId('store-enabled').textContent).toBe('Yes');
    expect(within(first).getByTestId('store-last-sync').textContent).not.toContain('Never');
    const err = within(first).getByTestId('store-sync-error');
    expect(err.textContent).toContain('Shopify answered 401: the access token was revoked.');
    expect(err.textContent).toMatch(/Change credentials/);
    expect(err.querySelector('.sync-error')).not.toBeNull();
    const prog = within(first).getByTestId('sync-progress');
    expect(prog.getAttribute('data-state')).toBe('done');
    expect(within(prog).getByTestId('sync-state').textContent).toBe('Done');
    expect(within(prog).getByTestId('sync-pages').textContent).toBe('3 pages');
    expect(within(prog).getByTestId('sync-orders').textContent).toBe('120 orders');
    expect(within(prog).getByTestId('sync-newOrders').textContent).toBe('7 new');
    expect(within(prog).getByTestId('sync-queued').textContent).toBe('6 queued for QuickBooks');
    expect(within(prog).getByTestId('sync-errors').className).toContain('work-count-error');
    expect(prog.textContent).toMatch(/Started .* finished /);

    const second = screen.getByTestId('store-connection-2');
    expect(within(second).getByTestId('channel-badge').textContent).toBe('ShipStation');
    expect(within(second).getByTestId('store-last-sync').textContent).toBe('Never');
    expect(within(second).getByTestId('store-qbd').textContent).toMatch(/^Not linked/);
    expect(within(second).getByTestId('store-enabled').textContent).toMatch(/^No/);
    expect(within(second).queryByTestId('store-sync-error')).toBeNull();
    expect(within(second).queryByTestId('sync-progress')).toBeNull();
    expect(screen.queryByTestId('stores-empty-state')).toBeNull();
  });

  it('says so when there are no stores, and members can sync but not add or change stores', async () => {
    storesBackend({ role: 'MEMBER' });
    renderApp('/connections');
    expect((await screen.findByTestId('stores-empty-state')).textContent).toMatch(/^No stores yet\./);
    expect(screen.getByText('Only the account owner can add stores.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Add store' })).toBeNull();
  });

  it('shows Manual Sync but not Settings to members', async () => {
    storesBackend({ role: 'MEMBER', stores: [store('1')] });
    renderApp('/connections');
    const card = await screen.findByTestId('store-connection-1');
    expect(within(card).getByRole('button', { name: 'Manual Sync' })).toBeTruthy();
    expect(within(card).queryByRole('button', { name: 'Settings' })).toBeNull();
  });
});

// ---------------------------------------------------------------------------

const wizard = () => within(screen.getByRole('form', { name: 'Add store' }));

async function openWizard() {
  fireEvent.click(await screen.findByRole('button', { name: 'Add store' }));
  return wizard();
}

/** Fills the wizard's first step with a Shopify store and goes on. */
function fillShopifyStep1(w: ReturnType<typeof wizard>) {
  fireEvent.change(w.getByLabelText('Store name'), { target: { value: 'Acme' } });
  fireEvent.change(w.getByLabelText('Store URL'), { target: { value: 'https://acme.myshopify.com' } });
  fireEvent.change(w.getByLabelText('Admin API access token'), { target: { value: 'shpat_x' } });
  fireEvent.click(w.getByRole('button', { name: 'Next' }));
}

const CHANNEL_CASES: {
  channel: Channel;
  label: string;
  urlLabel: string;
  url: string;
  prefilled: string;
  fields: Record<string, string>;
  credentials: Record<string, string>;
}[] = [
  {
    channel: 'SHOPIFY',
    label: 'Shopify',
    urlLabel: 'Store URL',
    url: 'https://acme-outdoor.myshopify.com',
    prefilled: '',
    fields: { 'Admin API access token': ' shpat_abc123 ' },
    credentials: { accessToken: 'shpat_abc123' },
  },
  {
    channel: 'WOOCOMMERCE',
    label: 'WooCommerce',
    urlLabel: 'Store URL',
    url: 'https://shop.example.com',
    prefilled: '',
    fields: { 'Consumer key': 'ck_111', 'Consumer secret': 'cs_222' },
    credentials: { consumerKey: 'ck_111', consumerSecret: 'cs_222' },
  },
  {
    channel: 'SHIPSTATION',
    label: 'ShipStation',
    urlLabel: 'API URL',
    url: 'https://ssapi.shipstation.com',
    prefilled: 'https://ssapi.shipstation.com',
    fields: { 'API key': 'key-1', 'API secret': 'secret-2' },
    credentials: { apiKey: 'key-1', apiSecret: 'secret-2' },
  },
];

describe('stores: add store wizard', () => {
  it.each(CHANNEL_CASES)('sends the $label credentials, company, interval and default settings', async (c) => {
    const f = storesBackend();
    renderApp('/connections');
    await screen.findByTestId('stores-empty-state');
    const w = await openWizard();
    fireEvent.click(w.getByRole('radio', { name: c.label }));
    expect(w.getByTestId('credentials-howto').textContent).toContain(`Where to find them in ${c.label}`);
    const url = w.getByLabelText(c.urlLabel) as HTMLInputElement;
    expect(url.value).toBe(c.prefilled);
    // Only this channel's credential fields are shown.
    const others = CHANNEL_CASES.filter((o) => o.channel !== c.channel).flatMap((o) => Object.keys(o.fields));
    for (const label of others) expect(w.queryByLabelText(label)).toBeNull();

    fireEvent.change(w.getByLabelText('Store name'), { target: { value: ` My ${c.label} ` } });
    fireEvent.change(url, { target: { value: c.url } });
    for (const [label, value] of Object.entries(c.fields)) {
      const input = w.getByLabelText(label) as HTMLInputElement;
      expect(input.type).toBe('password');
      expect(input.value).toBe('');
      fireEvent.change(input, { target: { value } });
    }
    fireEvent.click(w.getByRole('button', { name: 'Next' }));

    // Step 2: the QuickBooks company and the interval.
    const company = (await wizard().findByLabelText('QuickBooks company')) as HTMLSelectElement;
    await waitFor(() => expect(company.value).toBe('qbd:qb-1'));
    expect([...company.options].map((o) => o.textContent)).toEqual(['Not linked yet', 'Main company', 'Second company']);
    fireEvent.change(company, { target: { value: 'qbd:qb-2' } });
    fireEvent.change(wizard().getByLabelText('Sync every (minutes)'), { target: { value: '30' } });
    fireEvent.click(wizard().getByRole('button', { name: 'Next' }));

    // Step 3: the server's defaults.
    const w3 = wizard();
    expect((await w3.findByLabelText('Deposit account') as HTMLInputElement).value).toBe('Undeposited Funds');
    expect((w3.getByLabelText('Missing Product Action') as HTMLSelectElement).value).toBe('CREATE');
    expect((w3.getByLabelText('Transaction type') as HTMLSelectElement).value).toBe('SALES_RECEIPT');
    expect((w3.getByLabelText('Order statuses to export') as HTMLInputElement).value).toBe('');
    fireEvent.click(w3.getByRole('button', { name: 'Add store' }));

    await screen.findByTestId('store-added');
    const create = callsOf(f, 'CreateStoreConnection');
    expect(create).toHaveLength(1);
    expect(variablesOf(create[0]!)).toEqual({
      input: {
        channel: c.channel,
        name: `My ${c.label}`,
        baseUrl: c.url,
        credentials: c.credentials,
        quickBooksConnectionId: 'qb-2',
        syncEveryMinutes: 30,
        settings: DEFAULT_POSTING_SETTINGS,
      },
    });
    const card = await screen.findByTestId('store-connection-50');
    expect(within(card).getByTestId('channel-badge').textContent).toBe(c.label);
    expect(screen.queryByRole('form', { name: 'Add store' })).toBeNull();
    // No secret stays on the page.
    for (const value of Object.values(c.credentials)) expect(document.body.innerHTML).not.toContain(value);
  });

  it('checks each step before going on', async () => {
    const f = storesBackend();
    renderApp('/connections');
    const w = await openWizard();
    fireEvent.click(w.getByRole('radio', { name: 'WooCommerce' }));
    fireEvent.change(w.getByLabelText('Store URL'), { target: { value: 'shop.example.com' } });
    fireEvent.change(w.getByLabelText('Consumer key'), { target: { value: 'ck_1' } });
    fireEvent.click(w.getByRole('button', { name: 'Next' }));
    const alerts = (await w.findAllByRole('alert')).map((a) => a.textContent);
    expect(alerts).toEqual([
      'Give the store a name of 1 to 100 characters, e.g. “Acme Shopify”.',
      'Enter a full address starting with https://, e.g. https://store.example.com.',
      'Enter the consumer secret.',
    ]);
    expect(w.getByLabelText('Consumer secret').getAttribute('aria-invalid')).toBe('true');
    expect(w.queryByLabelText('QuickBooks company')).toBeNull();
    expect(callsOf(f, 'CreateStoreConnection')).toHaveLength(0);
  });

  it.each([
    ['credentials', 'The store did not accept these credentials: 401 Unauthorized', 'API secret'],
    ['baseUrl', 'Enter the store’s address, e.g. https://example.myshopify.com.', 'API URL'],
    ['name', 'Give the connection a name of 1 to 100 characters.', 'Store name'],
  ])('goes back to step 1 and shows the server’s %s error next to its field', async (field, message, label) => {
    storesBackend({ createReply: () => badInput(message, field) });
    renderApp('/connections');
    const w = await openWizard();
    fireEvent.click(w.getByRole('radio', { name: 'ShipStation' }));
    fireEvent.change(w.getByLabelText('Store name'), { target: { value: 'Warehouse' } });
    fireEvent.change(w.getByLabelText('API key'), { target: { value: 'k' } });
    fireEvent.change(w.getByLabelText('API secret'), { target: { value: 's' } });
    fireEvent.click(w.getByRole('button', { name: 'Next' }));
    fireEvent.click(await wizard().findByRole('button', { name: 'Next' }));
    fireEvent.click(await wizard().findByRole('button', { name: 'Add store' }));

    const alert = await wizard().findByRole('alert');
    expect(alert.textContent).toBe(message);
    const input = wizard().getByLabelText(label);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toBe(alert.id);
    // Back on step 1, with what was typed still there, secrets included (never sent anywhere else).
    expect((wizard().getByLabelText('Store name') as HTMLInputElement).value).toBe('Warehouse');
    expect(screen.queryByTestId('store-added')).toBeNull();
  });

  it('shows a settings error on the posting settings step', async () => {
    storesBackend({ createReply: () => badInput('singleCustomer is required when customerMatch is single', 'settings') });
    renderApp('/connections');
    fillShopifyStep1(await openWizard());
    fireEvent.click(await wizard().findByRole('button', { name: 'Next' }));
    fireEvent.click(await wizard().findByRole('button', { name: 'Add store' }));
    const alert = await wizard().findByRole('alert');
    expect(alert.textContent).toBe('singleCustomer is required when customerMatch is single');
    expect(wizard().getByLabelText('Missing Product Action')).toBeTruthy();
  });
});

// ---------------------------------------------------------------------------

describe('stores: manual sync', () => {
  it('sends the chosen dates and polls the progress every 3 seconds until it is done', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let afterSync = 0;
    const f = storesBackend({
      stores: [store('1', { name: 'Acme Shopify', sync: progress('done', { orders: 5, startedAt: '2026-11-19T10:00:00Z' }) })],
      onList: (list) => {
        const s = list[0]!;
        if (!s.sync || s.sync.state === 'done' || s.sync.state === 'failed') return;
        afterSync++;
        if (afterSync === 2) s.sync = { ...s.sync, state: 'running', pages: 1, orders: 50, startedAt: '2026-11-20T10:00:00Z' };
        if (afterSync === 3) s.sync = { ...s.sync, state: 'done', pages: 2, orders: 80, newOrders: 12, queued: 11, errors: 1, finishedAt: '2026-11-20T10:01:00Z' };
      },
    });
    renderApp('/connections');
    const card = await screen.findByTestId('store-connection-1');
    fireEvent.click(within(card).getByRole('button', { name: 'Manual Sync' }));
    const panel = within(card).getByRole('dialog', { name: 'Manual Sync: Acme Shopify' });
    const from = within(panel).getByLabelText('Start date') as HTMLInputElement;
    const to = within(panel).getByLabelText('End date') as HTMLInputElement;
    // Default: the last 24 hours.
    const span = fromLocalInput(to.value)!.getTime() - fromLocalInput(from.value)!.getTime();
    expect(span).toBe(24 * 60 * 60 * 1000);
    expect(Math.abs(fromLocalInput(to.value)!.getTime() - Date.now())).toBeLessThan(2 * 60 * 1000);

    fireEvent.change(from, { target: { value: '2026-10-01T00:00' } });
    fireEvent.change(to, { target: { value: '2026-11-20T12:30' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Sync now' }));

    await within(panel).findByTestId('manual-sync-progress');
    const sync = callsOf(f, 'SyncStoreConnection');
    expect(sync).toHaveLength(1);
    expect(variablesOf(sync[0]!)).toEqual({
      id: '1',
      from: new Date(2026, 9, 1, 0, 0).toISOString(),
      to: new Date(2026, 10, 20, 12, 30).toISOString(),
      statuses: [],
    });
    await waitFor(() => expect(within(panel).getByTestId('manual-sync-progress').getAttribute('data-state')).toBe('queued'));
    expect(within(panel).getByRole('button', { name: 'Syncing…' })).toBeTruthy();
    // The list came back with the queued pull: it now refreshes quickly.
    await screen.findByText(/Refreshes every 3 seconds while a sync runs/);
    // The text is on screen before React runs the effect that starts the 3-second timer
    // (passive effects can run a task later): flush it, or the advance below misses it.
    await act(async () => {});

    const lists = () => callsOf(f, 'StoreConnections').length;
    // Queued: the list is asked again after 3 s.
    let before = lists();
    act(() => {
      vi.advanceTimersByTime(STORES_ACTIVE_REFRESH_MS);
    });
    // Wait on the page, not the call count: waitFor re-checks on DOM changes (its polling
    // interval is faked here), and the new state shows only once the list came back.
    await waitFor(() => expect(within(panel).getByTestId('manual-sync-progress').getAttribute('data-state')).toBe('running'));
    expect(lists()).toBe(before + 1);
    expect(within(panel).getByTestId('sync-orders').textContent).toBe('50 orders');

    before = lists();
    act(() => {
      vi.advanceTimersByTime(STORES_ACTIVE_REFRESH_MS);
    });
    await waitFor(() => expect(within(panel).getByTestId('manual-sync-progress').getAttribute('data-state')).toBe('done'));
    expect(lists()).toBe(before + 1);
    expect(within(panel).getByTestId('manual-sync-status').textContent).toBe(
      'Sync finished: 80 orders pulled, 12 new, 11 queued for QuickBooks.',
    );
    expect(within(panel).getByRole('button', { name: 'Sync now' })).toBeTruthy();

    // Done: back to every 15 seconds.
    await screen.findByText(/pulled from\. Refreshes every 15 seconds\./);
    await act(async () => {});
    before = lists();
    act(() => {
      vi.advanceTimersByTime(STORES_ACTIVE_REFRESH_MS * 2);
    });
    await Promise.resolve();
    expect(lists()).toBe(before);
    act(() => {
      vi.advanceTimersByTime(STORES_REFRESH_MS - STORES_ACTIVE_REFRESH_MS * 2);
    });
    await waitFor(() => expect(lists()).toBe(before + 1));
  });

  it('refuses an end date before the start date without calling the server', async () => {
    const f = storesBackend({ stores: [store('1')] });
    renderApp('/connections');
    const card = await screen.findByTestId('store-connection-1');
    fireEvent.click(within(card).getByRole('button', { name: 'Manual Sync' }));
    fireEvent.change(within(card).getByLabelText('Start date'), { target: { value: '2026-11-20T00:00' } });
    fireEvent.change(within(card).getByLabelText('End date'), { target: { value: '2026-11-19T00:00' } });
    fireEvent.click(within(card).getByRole('button', { name: 'Sync now' }));
    expect((await within(card).findByRole('alert')).textContent).toBe('The end date must be after the start date.');
    expect(callsOf(f, 'SyncStoreConnection')).toHaveLength(0);
  });
});

// ---------------------------------------------------------------------------

const A: PostingSettingsBase = {
  transactionType: 'INVOICE',
  refPrefix: 'WEB-',
  depositAccount: 'Checking',
  shippingItem: 'Freight',
  discountItem: 'Promo',
  taxItem: 'State Tax',
  roundingItem: 'Pennies',
  incomeAccount: 'Web Sales',
  cogsAccount: 'COGS',
  assetAccount: 'Stock',
  newItemType: 'INVENTORY',
  class: 'Online',
  customerMatch: 'EMAIL',
  singleCustomer: '',
  createMissingCustomers: false,
  missingProductAction: 'CREATE',
  statuses: ['paid', 'shipped'],
};

const B: PostingSettingsBase = {
  transactionType: 'SALES_ORDER',
  refPrefix: 'SS-',
  depositAccount: 'Undeposited Funds',
  shippingItem: 'Shipping & Handling',
  discountItem: 'Discount',
  taxItem: 'Sales Tax',
  roundingItem: 'Rounding',
  incomeAccount: 'Merchandise Sales',
  cogsAccount: 'Cost of Sales',
  assetAccount: 'Inventory',
  newItemType: 'SERVICE',
  class: 'Retail',
  customerMatch: 'SINGLE',
  singleCustomer: 'Web Store',
  createMissingCustomers: true,
  missingProductAction: 'FLAG',
  statuses: ['awaiting_shipment', 'shipped'],
};

const TEXT_LABELS: [keyof PostingSettingsBase, string][] = [
  ['refPrefix', 'Order number prefix'],
  ['depositAccount', 'Deposit account'],
  ['class', 'Class'],
  ['shippingItem', 'Shipping item'],
  ['discountItem', 'Discount item'],
  ['taxItem', 'Tax item'],
  ['roundingItem', 'Rounding item'],
  ['incomeAccount', 'Income account'],
  ['cogsAccount', 'COGS account'],
  ['assetAccount', 'Inventory asset account'],
];
const SELECT_LABELS: [keyof PostingSettingsBase, string][] = [
  ['transactionType', 'Transaction type'],
  ['newItemType', 'New item type'],
  ['customerMatch', 'Customer matching'],
  ['missingProductAction', 'Missing Product Action'],
];

function expectForm(form: ReturnType<typeof within>, s: PostingSettingsBase) {
  for (const [key, label] of [...TEXT_LABELS, ...SELECT_LABELS]) {
    expect([key, (form.getByLabelText(label) as HTMLInputElement).value]).toEqual([key, s[key]]);
  }
  expect((form.getByLabelText('Order statuses to export') as HTMLInputElement).value).toBe(s.statuses.join(', '));
  expect((form.getByLabelText('Create missing customers') as HTMLInputElement).checked).toBe(s.createMissingCustomers);
  if (s.customerMatch === 'SINGLE') expect((form.getByLabelText('Single customer name') as HTMLInputElement).value).toBe(s.singleCustomer);
  else expect(form.queryByLabelText('Single customer name')).toBeNull();
}

describe('stores: settings', () => {
  it('round-trips every setting, Missing Product Action “Flag order as error and map” included', async () => {
    const f = storesBackend({ stores: [store('1', { name: 'Acme Shopify', settings: A, syncEveryMinutes: 15 })] });
    renderApp('/connections');
    const card = await screen.findByTestId('store-connection-1');
    expect(within(card).getByTestId('store-missing-action').textContent).toBe('Create item in QuickBooks');
    fireEvent.click(within(card).getByRole('button', { name: 'Settings' }));
    let form = within(within(card).getByRole('form', { name: 'Store settings' }));
    expect((form.getByLabelText('Store name') as HTMLInputElement).value).toBe('Acme Shopify');
    expect((form.getByLabelText('QuickBooks company') as HTMLSelectElement).value).toBe('qbd:qb-1');
    expect((form.getByLabelText('Sync every (minutes)') as HTMLInputElement).value).toBe('15');
    expect((form.getByLabelText('Enabled') as HTMLInputElement).checked).toBe(true);
    expectForm(form, A);
    const mpa = form.getByLabelText('Missing Product Action') as HTMLSelectElement;
    expect([...mpa.options].map((o) => o.textContent)).toEqual(['Create item in QuickBooks', 'Flag order as error and map']);

    fireEvent.change(form.getByLabelText('Store name'), { target: { value: 'Acme Shopify US' } });
    fireEvent.change(form.getByLabelText('QuickBooks company'), { target: { value: 'qbd:qb-2' } });
    fireEvent.change(form.getByLabelText('Sync every (minutes)'), { target: { value: '45' } });
    fireEvent.click(form.getByLabelText('Enabled'));
    for (const [key, label] of [...TEXT_LABELS, ...SELECT_LABELS]) {
      fireEvent.change(form.getByLabelText(label), { target: { value: B[key] } });
    }
    fireEvent.change(form.getByLabelText('Single customer name'), { target: { value: 'Web Store' } });
    fireEvent.click(form.getByLabelText('Create missing customers'));
    fireEvent.change(form.getByLabelText('Order statuses to export'), { target: { value: ' awaiting_shipment, shipped,, ' } });
    fireEvent.click(form.getByRole('button', { name: 'Save settings' }));

    await waitFor(() => expect(form.getByTestId('store-settings-status').textContent).toMatch(/^Settings saved/));
    const update = callsOf(f, 'UpdateStoreConnection');
    expect(update).toHaveLength(1);
    expect(variablesOf(update[0]!)).toEqual({
      id: '1',
      input: { name: 'Acme Shopify US', quickBooksConnectionId: 'qb-2', syncEveryMinutes: 45, enabled: false, settings: B },
    });
    expect(JSON.stringify(variablesOf(update[0]!))).not.toContain('credentials');

    // The card shows the new values once the list is back, and the form opens with them again.
    await waitFor(() => expect(within(card).getByTestId('store-missing-action').textContent).toMatch(/^Flag order as error and map/));
    expect(within(card).getByTestId('store-qbd').textContent).toBe('Second company');
    fireEvent.click(within(card).getByRole('button', { name: 'Close' }));
    fireEvent.click(within(card).getByRole('button', { name: 'Settings' }));
    form = within(within(card).getByRole('form', { name: 'Store settings' }));
    expectForm(form, B);
    expect((form.getByLabelText('Enabled') as HTMLInputElement).checked).toBe(false);
  });

  it('warns when another store can post the same order numbers, and fills in the suggested prefix', async () => {
    const message =
      'This store and “ShipStation” post to the same QuickBooks company, their order numbers can be the same, and neither adds a RefNumber prefix: in QuickBooks their sales would share numbers. Ledgerlink still posts each store’s orders once, but set a prefix such as “SE-” to tell them apart.';
    const f = storesBackend({
      stores: [
        store('1', { name: 'ShipStation EU', channel: 'SHIPSTATION', numberClash: { otherStores: ['ShipStation'], suggestedPrefix: 'SE-', message } }),
        store('2', { name: 'Corner Shop' }),
      ],
    });
    renderApp('/connections');
    const quiet = await screen.findByTestId('store-connection-2');
    fireEvent.click(within(quiet).getByRole('button', { name: 'Settings' }));
    expect(within(quiet).queryByTestId('number-clash')).toBeNull();

    const card = screen.getByTestId('store-connection-1');
    fireEvent.click(within(card).getByRole('button', { name: 'Settings' }));
    const form = within(within(card).getByRole('form', { name: 'Store settings' }));
    expect(form.getByTestId('number-clash').textContent).toContain(message);
    fireEvent.click(form.getByRole('button', { name: 'Use the prefix SE-' }));
    expect((form.getByLabelText('Order number prefix') as HTMLInputElement).value).toBe('SE-');
    fireEvent.click(form.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(callsOf(f, 'UpdateStoreConnection')).toHaveLength(1));
    expect((variablesOf(callsOf(f, 'UpdateStoreConnection')[0]!).input as { settings: PostingSettings }).settings.refPrefix).toBe('SE-');
    // The list asks the server for the clash of every store.
    expect((callsOf(f, 'StoreConnections')[0]!.body as { query: string }).query).toContain('numberClash { otherStores suggestedPrefix message }');
  });

  it('asks for the single customer’s name before saving', async () => {
    const f = storesBackend({ stores: [store('1')] });
    renderApp('/connections');
    const card = await screen.findByTestId('store-connection-1');
    fireEvent.click(within(card).getByRole('button', { name: 'Settings' }));
    const form = within(within(card).getByRole('form', { name: 'Store settings' }));
    fireEvent.change(form.getByLabelText('Customer matching'), { target: { value: 'SINGLE' } });
    fireEvent.click(form.getByRole('button', { name: 'Save settings' }));
    expect((await form.findByRole('alert')).textContent).toMatch(/every order is posted to/);
    expect(form.getByLabelText('Single customer name').getAttribute('aria-invalid')).toBe('true');
    expect(callsOf(f, 'UpdateStoreConnection')).toHaveLength(0);
  });

  it('replaces credentials in a separate form that never shows the stored ones', async () => {
    let reply: Response | undefined = badInput('The store did not accept these credentials: 401', 'credentials');
    const f = storesBackend({
      stores: [store('1', { channel: 'WOOCOMMERCE', baseUrl: 'https://shop.example.com' })],
      updateReply: () => {
        const r = reply;
        reply = undefined;
        return r;
      },
    });
    renderApp('/connections');
    const card = await screen.findByTestId('store-connection-1');
    fireEvent.click(within(card).getByRole('button', { name: 'Settings' }));
    expect(within(card).queryByLabelText('Consumer key')).toBeNull();
    fireEvent.click(within(card).getByRole('button', { name: 'Change credentials' }));
    const creds = within(within(card).getByRole('form', { name: 'Change credentials' }));
    const key = creds.getByLabelText('Consumer key') as HTMLInputElement;
    const secret = creds.getByLabelText('Consumer secret') as HTMLInputElement;
    expect([key.value, secret.value, key.type, secret.type]).toEqual(['', '', 'password', 'password']);

    // A missing secret is shown under the secret, and nothing is sent.
    fireEvent.change(key, { target: { value: 'ck_new' } });
    fireEvent.click(creds.getByRole('button', { name: 'Check and save credentials' }));
    const missing = await creds.findByRole('alert');
    expect(missing.textContent).toBe('Enter the consumer secret.');
    expect(secret.getAttribute('aria-describedby')).toBe(missing.id);
    expect(key.getAttribute('aria-invalid')).toBeNull();
    expect(callsOf(f, 'UpdateStoreConnection')).toHaveLength(0);

    fireEvent.change(secret, { target: { value: 'cs_new' } });
    fireEvent.click(creds.getByRole('button', { name: 'Check and save credentials' }));
    expect((await creds.findByRole('alert')).textContent).toBe('The store did not accept these credentials: 401');
    expect(key.getAttribute('aria-invalid')).toBe('true');

    fireEvent.click(creds.getByRole('button', { name: 'Check and save credentials' }));
    await creds.findByText('New credentials checked and saved.');
    const calls = callsOf(f, 'UpdateStoreConnection').map(variablesOf);
    expect(calls).toEqual([
      { id: '1', input: { credentials: { consumerKey: 'ck_new', consumerSecret: 'cs_new' } } },
      { id: '1', input: { credentials: { consumerKey: 'ck_new', consumerSecret: 'cs_new' } } },
    ]);
    expect(key.value).toBe('');
    expect(secret.value).toBe('');
  });
});

describe('add store wizard: steps 2 and 3 checked as they are edited', () => {
  const INTERVAL = 'Enter a whole number of minutes from 1 to 1440.';

  it('checks a field when it is left and clears its error as it is corrected, before Next', async () => {
    storesBackend();
    renderApp('/connections');
    fillShopifyStep1(await openWizard());

    // Step 2: the interval.
    const every = await wizard().findByLabelText('Sync every (minutes)');
    fireEvent.change(every, { target: { value: '0' } });
    expect(wizard().queryByRole('alert')).toBeNull();
    fireEvent.blur(every);
    const alert = await wizard().findByRole('alert');
    expect(alert.textContent).toBe(INTERVAL);
    expect(every.getAttribute('aria-invalid')).toBe('true');
    expect(every.getAttribute('aria-describedby')).toBe(alert.id);
    fireEvent.change(every, { target: { value: '30' } });
    expect(wizard().queryByRole('alert')).toBeNull();
    expect(every.getAttribute('aria-invalid')).toBeNull();
    fireEvent.blur(every);
    expect(wizard().queryByRole('alert')).toBeNull();
    fireEvent.click(wizard().getByRole('button', { name: 'Next' }));

    // Step 3: the single customer's name, once matching is Single.
    fireEvent.change(await wizard().findByLabelText('Customer matching'), { target: { value: 'SINGLE' } });
    const single = wizard().getByLabelText('Single customer name');
    expect(wizard().queryByRole('alert')).toBeNull();
    fireEvent.blur(single);
    const missing = await wizard().findByRole('alert');
    expect(missing.textContent).toMatch(/every order is posted to/);
    expect(single.getAttribute('aria-describedby')).toBe(missing.id);
    fireEvent.change(single, { target: { value: 'Web Store' } });
    expect(wizard().queryByRole('alert')).toBeNull();
    fireEvent.blur(single);
    expect(wizard().queryByRole('alert')).toBeNull();

    // An error the other field makes moot goes with it: it does not come back with the field.
    fireEvent.change(single, { target: { value: '' } });
    fireEvent.blur(single);
    expect(await wizard().findByRole('alert')).toBeTruthy();
    fireEvent.change(wizard().getByLabelText('Customer matching'), { target: { value: 'EMAIL' } });
    fireEvent.change(wizard().getByLabelText('Customer matching'), { target: { value: 'SINGLE' } });
    expect(wizard().queryByRole('alert')).toBeNull();
  });

  it('clears an error shown by Next as the field is corrected', async () => {
    storesBackend();
    renderApp('/connections');
    fillShopifyStep1(await openWizard());
    const every = await wizard().findByLabelText('Sync every (minutes)');
    fireEvent.change(every, { target: { value: '' } });
    fireEvent.click(wizard().getByRole('button', { name: 'Next' }));
    expect((await wizard().findByRole('alert')).textContent).toBe(INTERVAL);
    fireEvent.change(every, { target: { value: '15' } });
    expect(wizard().queryByRole('alert')).toBeNull();
  });
});

describe('change credentials: connection test', () => {
  const REFUSED = 'The store did not accept this consumer key and secret. Copy both again from WooCommerce › Settings › Advanced › REST API (the secret is shown only once: add a new key if you no longer have it).';
  const NO_HOST = 'There is no server named shop.example.com. Check the address for a typing mistake.';

  it('shows a refused key or secret under that field, as the Add store wizard does, and saves only what the store accepts', async () => {
    let reply = { ok: false, field: 'consumerSecret' as string | null, message: REFUSED };
    const f = storesBackend({ stores: [store('1', { channel: 'WOOCOMMERCE', baseUrl: 'https://shop.example.com' })], checkReply: () => reply });
    renderApp('/connections');
    const card = await screen.findByTestId('store-connection-1');
    fireEvent.click(within(card).getByRole('button', { name: 'Settings' }));
    fireEvent.click(within(card).getByRole('button', { name: 'Change credentials' }));
    const creds = within(within(card).getByRole('form', { name: 'Change credentials' }));
    const key = creds.getByLabelText('Consumer key');
    const secret = creds.getByLabelText('Consumer secret');
    fireEvent.change(key, { target: { value: 'ck_new' } });
    fireEvent.change(secret, { target: { value: 'cs_wrong' } });
    const save = () => fireEvent.click(creds.getByRole('button', { name: 'Check and save credentials' }));

    // The refused secret: under the secret only.
    save();
    const alert = await creds.findByRole('alert');
    expect(alert.textContent).toBe(REFUSED);
    expect(secret.getAttribute('aria-invalid')).toBe('true');
    expect(secret.getAttribute('aria-describedby')).toBe(alert.id);
    expect(key.getAttribute('aria-invalid')).toBeNull();
    expect(creds.getAllByRole('alert')).toHaveLength(1);
    expect(variablesOf(callsOf(f, 'CheckStoreCredentials')[0]!)).toEqual({
      input: { channel: 'WOOCOMMERCE', baseUrl: 'https://shop.example.com', credentials: { consumerKey: 'ck_new', consumerSecret: 'cs_wrong' } },
    });
    expect(callsOf(f, 'UpdateStoreConnection')).toHaveLength(0);

    // An unknown key: under the key only.
    reply = { ok: false, field: 'consumerKey', message: REFUSED };
    save();
    await waitFor(() => expect(key.getAttribute('aria-invalid')).toBe('true'));
    expect(key.getAttribute('aria-describedby')).toBe(creds.getByRole('alert').id);
    expect(secret.getAttribute('aria-invalid')).toBeNull();

    // The store's address no longer answers: there is no address field here, so above the button.
    reply = { ok: false, field: 'baseUrl', message: NO_HOST };
    save();
    await waitFor(() => expect(creds.getByRole('alert').textContent).toBe(NO_HOST));
    expect(key.getAttribute('aria-invalid')).toBeNull();
    expect(secret.getAttribute('aria-invalid')).toBeNull();
    expect(callsOf(f, 'UpdateStoreConnection')).toHaveLength(0);

    reply = { ok: true, field: null, message: '' };
    save();
    await creds.findByText('New credentials checked and saved.');
    expect(callsOf(f, 'UpdateStoreConnection').map(variablesOf)).toEqual([
      { id: '1', input: { credentials: { consumerKey: 'ck_new', consumerSecret: 'cs_wrong' } } },
    ]);
  });
});

describe('stores: inventory sync', () => {
  const open = async (id: string) => {
    const card = await screen.findByTestId(`store-connection-${id}`);
    fireEvent.click(within(card).getByRole('button', { name: 'Settings' }));
    return card;
  };

  it('saves every choice of a Shopify store in settings.inventory, alone', async () => {
    const f = storesBackend({ stores: [store('1', { name: 'Acme Shopify' })] });
    renderApp('/connections');
    const card = await open('1');
    const form = within(within(card).getByRole('form', { name: 'Inventory sync' }));
    expect((form.getByLabelText('Send QuickBooks quantities to this store') as HTMLInputElement).checked).toBe(false);
    expect((form.getByLabelText('Quantity to send') as HTMLSelectElement).value).toBe('ON_HAND');
    expect((form.getByLabelText('Safety stock') as HTMLInputElement).value).toBe('0');

    fireEvent.click(form.getByLabelText('Send QuickBooks quantities to this store'));
    fireEvent.change(form.getByLabelText('Quantity to send'), { target: { value: 'AVAILABLE' } });
    fireEvent.change(form.getByLabelText('Safety stock'), { target: { value: '2' } });
    fireEvent.change(form.getByLabelText('Shopify location'), { target: { value: ' Warehouse ' } });
    fireEvent.change(form.getByLabelText('SKUs to leave alone'), { target: { value: 'GIFT-CARD, gift-card\nSAMPLE\n' } });
    fireEvent.click(form.getByRole('button', { name: 'Save inventory sync' }));

    await waitFor(() => expect(form.getByTestId('inventory-sync-status').textContent).toMatch(/^Inventory sync saved\. QuickBooks quantities/));
    const calls = callsOf(f, 'UpdateStoreConnection');
    expect(calls).toHaveLength(1);
    expect(variablesOf(calls[0]!)).toEqual({
      id: '1',
      input: {
        settings: { inventory: { enabled: true, basis: 'AVAILABLE', location: 'Warehouse', excludeSkus: ['GIFT-CARD', 'SAMPLE'], safetyStock: 2 } },
      },
    });
    expect((form.getByLabelText('SKUs to leave alone') as HTMLTextAreaElement).value).toBe('GIFT-CARD\nSAMPLE');
  });

  it('has no location for WooCommerce, no section for ShipStation, and checks the safety stock', async () => {
    const f = storesBackend({
      stores: [
        store('2', { name: 'Woo', channel: 'WOOCOMMERCE', baseUrl: 'https://woo.example' }),
        store('3', { name: 'Ship', channel: 'SHIPSTATION', baseUrl: 'https://ssapi.shipstation.com' }),
      ],
    });
    renderApp('/connections');
    const ship = await open('3');
    expect(within(ship).queryByRole('form', { name: 'Inventory sync' })).toBeNull();
    const woo = await open('2');
    const form = within(within(woo).getByRole('form', { name: 'Inventory sync' }));
    expect(form.queryByLabelText('Shopify location')).toBeNull();
    fireEvent.change(form.getByLabelText('Safety stock'), { target: { value: '-1' } });
    fireEvent.click(form.getByRole('button', { name: 'Save inventory sync' }));
    expect((await form.findByRole('alert')).textContent).toBe('Enter a whole number of units, 0 or more (0: hold nothing back).');
    expect(callsOf(f, 'UpdateStoreConnection')).toHaveLength(0);
  });

  it('shows the server’s refusal under its field', async () => {
    storesBackend({
      stores: [store('1', { name: 'Acme Shopify' })],
      updateReply: () => badInput('Only Shopify stores have locations; leave the location empty.', 'settings.inventory.location'),
    });
    renderApp('/connections');
    const card = await open('1');
    const form = within(within(card).getByRole('form', { name: 'Inventory sync' }));
    fireEvent.change(form.getByLabelText('Shopify location'), { target: { value: 'Back room' } });
    fireEvent.click(form.getByRole('button', { name: 'Save inventory sync' }));
    expect((await form.findByRole('alert')).textContent).toBe('Only Shopify stores have locations; leave the location empty.');
    expect(form.getByLabelText('Shopify location').getAttribute('aria-invalid')).toBe('true');
  });
});

describe('manual sync end', () => {
  it('pulls up to the moment of the click when the end is left as it was, not to the start of that minute', async () => {
    const f = storesBackend({ stores: [store('1', { name: 'Acme Shopify' })] });
    renderApp('/connections');
    const card = await screen.findByTestId('store-connection-1');
    fireEvent.click(within(card).getByRole('button', { name: 'Manual Sync' }));
    const panel = within(card).getByRole('dialog', { name: 'Manual Sync: Acme Shopify' });
    const clicked = Date.now();
    fireEvent.click(within(panel).getByRole('button', { name: 'Sync now' }));
    await waitFor(() => expect(callsOf(f, 'SyncStoreConnection')).toHaveLength(1));
    const to = Date.parse((variablesOf(callsOf(f, 'SyncStoreConnection')[0]!) as { to: string }).to);
    // An order created 15 s before the click is inside the window.
    expect(to).toBeGreaterThanOrEqual(clicked);
  });
});

describe('add store wizard: connection test (issue 17)', () => {
  const REFUSED = 'ShipStation did not accept this API key and secret. Copy both again from ShipStation’s Settings › Account › API Settings.';
  const NO_HOST = 'There is no server named ssapi.shipstaton.com. Check the address for a typing mistake.';

  async function fillShipStation(url = 'https://ssapi.shipstation.com') {
    const w = await openWizard();
    fireEvent.click(w.getByRole('radio', { name: 'ShipStation' }));
    fireEvent.change(w.getByLabelText('Store name'), { target: { value: 'Warehouse' } });
    fireEvent.change(w.getByLabelText('API URL'), { target: { value: url } });
    fireEvent.change(w.getByLabelText('API key'), { target: { value: 'key-1' } });
    fireEvent.change(w.getByLabelText('API secret'), { target: { value: 'wrong-secret' } });
    return w;
  }

  it('shows a refused secret under the secret and stays on step 1 until the test passes', async () => {
    let reply = { ok: false, field: 'apiSecret' as string | null, message: REFUSED };
    const f = storesBackend({ checkReply: () => reply });
    renderApp('/connections');
    const w = await fillShipStation();
    fireEvent.click(w.getByRole('button', { name: 'Next' }));

    const alert = await w.findByRole('alert');
    expect(alert.textContent).toBe(REFUSED);
    const secret = w.getByLabelText('API secret');
    expect(secret.getAttribute('aria-invalid')).toBe('true');
    expect(secret.getAttribute('aria-describedby')).toBe(alert.id);
    expect(w.getByLabelText('API key').getAttribute('aria-invalid')).toBeNull();
    expect(w.queryByLabelText('QuickBooks company')).toBeNull();
    expect(variablesOf(callsOf(f, 'CheckStoreCredentials')[0]!)).toEqual({
      input: { channel: 'SHIPSTATION', baseUrl: 'https://ssapi.shipstation.com', credentials: { apiKey: 'key-1', apiSecret: 'wrong-secret' } },
    });

    // Typing a new secret clears its error; the next test passes and the wizard goes on.
    fireEvent.change(secret, { target: { value: 'right-secret' } });
    expect(w.queryByRole('alert')).toBeNull();
    reply = { ok: true, field: null, message: '' };
    fireEvent.click(w.getByRole('button', { name: 'Next' }));
    expect(await wizard().findByLabelText('QuickBooks company')).toBeTruthy();
    expect(callsOf(f, 'CheckStoreCredentials')).toHaveLength(2);
    expect(callsOf(f, 'CreateStoreConnection')).toHaveLength(0);
  });

  it('shows an address nobody answers at under the address, in plain words', async () => {
    storesBackend({ checkReply: () => ({ ok: false, field: 'baseUrl', message: NO_HOST }) });
    renderApp('/connections');
    const w = await fillShipStation('https://ssapi.shipstaton.com');
    fireEvent.click(w.getByRole('button', { name: 'Next' }));
    const alert = await w.findByRole('alert');
    expect(alert.textContent).toBe(NO_HOST);
    expect(w.getByLabelText('API URL').getAttribute('aria-describedby')).toBe(alert.id);
    expect(w.getByLabelText('API secret').getAttribute('aria-invalid')).toBeNull();
    expect((w.getByLabelText('Store name') as HTMLInputElement).value).toBe('Warehouse');
  });

  it('shows a failure that concerns no field above the buttons', async () => {
    storesBackend({ checkReply: () => ({ ok: false, field: null, message: 'ShipStation failed to answer (HTTP Service Unavailable). Try again in a few minutes.' }) });
    renderApp('/connections');
    const w = await fillShipStation();
    fireEvent.click(w.getByRole('button', { name: 'Next' }));
    expect((await w.findByRole('alert')).textContent).toBe('ShipStation failed to answer (HTTP Service Unavailable). Try again in a few minutes.');
    expect(w.getByLabelText('API secret').getAttribute('aria-invalid')).toBeNull();
  });

  it('puts a missing API key under the API key, and checks an address as it is left', async () => {
    const f = storesBackend();
    renderApp('/connections');
    const w = await openWizard();
    fireEvent.click(w.getByRole('radio', { name: 'ShipStation' }));
    fireEvent.change(w.getByLabelText('Store name'), { target: { value: 'Warehouse' } });
    fireEvent.change(w.getByLabelText('API secret'), { target: { value: 's' } });
    fireEvent.click(w.getByRole('button', { name: 'Next' }));
    const alert = await w.findByRole('alert');
    expect(alert.textContent).toBe('Enter the API key.');
    expect(w.getByLabelText('API key').getAttribute('aria-describedby')).toBe(alert.id);
    expect(w.getByLabelText('API secret').getAttribute('aria-invalid')).toBeNull();
    expect(callsOf(f, 'CheckStoreCredentials')).toHaveLength(0);

    const url = w.getByLabelText('API URL');
    fireEvent.change(url, { target: { value: 'ssapi.shipstation.com' } });
    fireEvent.blur(url);
    expect(url.getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(url, { target: { value: 'https://ssapi.shipstation.com' } });
    fireEvent.blur(url);
    expect(url.getAttribute('aria-invalid')).toBeNull();
  });

  it('offers the demo’s simulated stores with their credentials filled in', async () => {
    storesBackend({
      presets: [
        { channel: 'SHIPSTATION', name: 'Demo ShipStation (simulated)', baseUrl: 'http://127.0.0.1:8080/sim/shipstation', accessToken: '', webhookSecret: '', consumerKey: '', consumerSecret: '', apiKey: 'ShipStation', apiSecret: 'Rocks' },
      ],
    });
    renderApp('/connections');
    const w = await openWizard();
    fireEvent.click(await w.findByRole('button', { name: 'Fill in Demo ShipStation (simulated)' }));
    expect((w.getByRole('radio', { name: 'ShipStation' }) as HTMLInputElement).checked).toBe(true);
    expect((w.getByLabelText('Store name') as HTMLInputElement).value).toBe('Demo ShipStation (simulated)');
    expect((w.getByLabelText('API URL') as HTMLInputElement).value).toBe('http://127.0.0.1:8080/sim/shipstation');
    expect((w.getByLabelText('API key') as HTMLInputElement).value).toBe('ShipStation');
    expect((w.getByLabelText('API secret') as HTMLInputElement).value).toBe('Rocks');
  });

  it('offers no demo stores outside demo mode', async () => {
    const f = storesBackend();
    renderApp('/connections');
    const w = await openWizard();
    await waitFor(() => expect(callsOf(f, 'DemoStorePresets')).toHaveLength(1));
    expect(w.queryByTestId('demo-store-presets')).toBeNull();
  });

  it('links a company that has connected, and says so when the only choice never has', async () => {
    storesBackend({ contacts: { 'qb-2': '2026-12-05T10:00:00Z' } });
    renderApp('/connections');
    await fillShipStation();
    fireEvent.click(wizard().getByRole('button', { name: 'Next' }));
    const company = (await wizard().findByLabelText('QuickBooks company')) as HTMLSelectElement;
    await waitFor(() => expect(company.value).toBe('qbd:qb-2'));
    expect(wizard().queryByTestId('company-never-connected')).toBeNull();
    // Choosing the company that never connected says what that means.
    fireEvent.change(company, { target: { value: 'qbd:qb-1' } });
    expect(wizard().getByTestId('company-never-connected').textContent).toContain('“Main company” has never connected');
  });

  it('pre-selects a never-connected company only with a warning', async () => {
    storesBackend();
    renderApp('/connections');
    await fillShipStation();
    fireEvent.click(wizard().getByRole('button', { name: 'Next' }));
    const company = (await wizard().findByLabelText('QuickBooks company')) as HTMLSelectElement;
    // The companies arrive with their own query: the choice is made once they are in.
    await waitFor(() => expect(company.value).toBe('qbd:qb-1'));
    expect(wizard().getByTestId('company-never-connected').textContent).toContain('“Main company” has never connected');
  });

  it('posts a new store to a QuickBooks Online company chosen in the wizard (issue 14)', async () => {
    const f = storesBackend({ online: [{ id: 'qo-7', name: 'Online books' }] });
    renderApp('/connections');
    await fillShipStation();
    fireEvent.click(wizard().getByRole('button', { name: 'Next' }));
    const company = (await wizard().findByLabelText('QuickBooks company')) as HTMLSelectElement;
    await waitFor(() =>
      expect([...company.options].map((o) => o.textContent)).toEqual(['Not linked yet', 'Main company', 'Second company', 'Online books']),
    );
    fireEvent.change(company, { target: { value: 'qbo:qo-7' } });
    expect(wizard().queryByTestId('company-never-connected')).toBeNull();
    fireEvent.click(wizard().getByRole('button', { name: 'Next' }));
    fireEvent.click(await wizard().findByRole('button', { name: 'Add store' }));
    await screen.findByTestId('store-added');
    const create = callsOf(f, 'CreateStoreConnection');
    expect(create).toHaveLength(1);
    const input = variablesOf(create[0]!).input as Record<string, unknown>;
    expect(input.quickBooksOnlineConnectionId).toBe('qo-7');
    expect(input).not.toHaveProperty('quickBooksConnectionId');
  });

  it('pre-selects the QuickBooks Online company when there is no Desktop one', async () => {
    storesBackend({ companies: [], online: [{ id: 'qo-7', name: 'Online books' }] });
    renderApp('/connections');
    await fillShipStation();
    fireEvent.click(wizard().getByRole('button', { name: 'Next' }));
    const company = (await wizard().findByLabelText('QuickBooks company')) as HTMLSelectElement;
    await waitFor(() => expect(company.value).toBe('qbo:qo-7'));
  });
});

describe('manual sync statuses (issue 17)', () => {
  it('starts from the store’s statuses and sends the ones chosen on the form', async () => {
    const f = storesBackend({ stores: [store('1', { name: 'Acme Shopify', settings: { ...DEFAULT_POSTING_SETTINGS, statuses: ['paid'] } })] });
    renderApp('/connections');
    const card = await screen.findByTestId('store-connection-1');
    fireEvent.click(within(card).getByRole('button', { name: 'Manual Sync' }));
    const panel = within(card).getByRole('dialog', { name: 'Manual Sync: Acme Shopify' });
    const field = within(panel).getByLabelText('Order statuses') as HTMLInputElement;
    expect(field.value).toBe('paid');
    fireEvent.change(field, { target: { value: 'paid, refunded ' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Sync now' }));
    await waitFor(() => expect(callsOf(f, 'SyncStoreConnection')).toHaveLength(1));
    expect((variablesOf(callsOf(f, 'SyncStoreConnection')[0]!) as { statuses: string[] }).statuses).toEqual(['paid', 'refunded']);
  });
});

describe('store settings reached from Settings (issue 17)', () => {
  it('opens the linked store’s Settings, where Missing Product Action is, and its help points up to the item settings', async () => {
    storesBackend({ stores: [store('1', { name: 'Acme Shopify' }), store('2', { name: 'Other' })] });
    renderApp('/connections?store=2&panel=settings');
    const panel = await screen.findByTestId('store-settings-2');
    expect(screen.queryByTestId('store-settings-1')).toBeNull();
    const action = within(panel).getByLabelText('Missing Product Action') as HTMLSelectElement;
    expect(action.value).toBe('CREATE');
    // “above”: the Items and accounts group comes before the Missing Product Action field.
    const items = within(panel).getByText('Items and accounts', { selector: 'legend' });
    expect(items.compareDocumentPosition(action) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(within(panel).getByText(/becomes a new item/).textContent).toBe(
      'A SKU QuickBooks does not have becomes a new item, of the New item type and with the accounts under Items and accounts above.',
    );
  });

  it('opens the linked store’s Manual Sync form (the dashboard’s link)', async () => {
    storesBackend({ role: 'MEMBER', stores: [store('1', { name: 'Acme Shopify' })] });
    renderApp('/connections?store=1&panel=sync');
    const card = await screen.findByTestId('store-connection-1');
    expect(within(card).getByRole('dialog', { name: 'Manual Sync: Acme Shopify' })).toBeTruthy();
    expect(within(card).getByLabelText('Order statuses')).toBeTruthy();
  });

  it('opens no settings for members, who follow the same link to the store card', async () => {
    storesBackend({ role: 'MEMBER', stores: [store('1', { name: 'Acme Shopify' })] });
    renderApp('/connections?store=1&panel=settings');
    await screen.findByTestId('store-connection-1');
    expect(screen.queryByTestId('store-settings-1')).toBeNull();
  });

  it('points down to Add QuickBooks Desktop when there is no company yet', async () => {
    storesBackend({ companies: [] });
    renderApp('/connections');
    fillShopifyStep1(await openWizard());
    const notice = await wizard().findByText(/There is no QuickBooks Desktop connection yet/);
    expect(notice.textContent).toContain('Add one under Add QuickBooks Desktop below');
    const heading = screen.getByRole('heading', { name: 'Add QuickBooks Desktop' });
    expect(notice.compareDocumentPosition(heading) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });
});
