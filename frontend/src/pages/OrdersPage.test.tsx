import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { gqlError, json, mockFetch, operationName, renderApp, sessionFor, variablesOf, type Call } from '../test/helpers';
import { ORDERS_REFRESH_MS } from './OrdersPage';

const STORES = { storeConnections: { edges: [{ node: { id: '7', name: 'Main shop', channel: 'SHOPIFY' } }, { node: { id: '8', name: 'Outlet', channel: 'WOOCOMMERCE' } }] } };

let COUNTS_NOW: Record<string, number> | null = null;
const COUNTS = { pending: 2, ready: 1, sent: 0, posted: 40, error: 3, needsMapping: 4, skippedDuplicate: 1, excluded: 5 };

function order(n: number, extra: Record<string, unknown> = {}) {
  return {
    cursor: `o${n}`,
    node: {
      id: String(n),
      number: `#${1000 + n}`,
      channel: 'shopify',
      connectionId: '7',
      customerName: `Customer ${n}`,
      total: '129.95',
      currency: 'USD',
      state: 'ERROR',
      stateReason: 'There is an invalid reference to QuickBooks Customer "Web".',
      storeCreatedAt: '2026-11-20T10:00:00Z',
      changedAfterPost: false,
      ...extra,
    },
  };
}

const page = (edges: ReturnType<typeof order>[], hasNextPage = false, totalCount = edges.length) => ({
  edges,
  pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
  totalCount,
});

/** A signed-in owner whose Orders queries are answered by `answer`; the detail by `detail`. */
function ordersBackend(answer: (call: Call) => unknown, detail?: (call: Call) => Response | undefined) {
  return mockFetch((call) => {
    if (call.url === '/auth/session') return json(sessionFor('OWNER'));
    switch (operationName(call)) {
      case 'Orders':
        return json({ data: { orders: answer(call) } });
      case 'OrderStateCounts':
        return json({ data: { orderStateCounts: COUNTS_NOW ?? COUNTS } });
      case 'StoreNames':
        return json({ data: STORES });
      case 'Order':
      case 'WorkItem':
        return detail?.(call);
    }
    return undefined;
  });
}

const ordersCalls = (f: ReturnType<typeof mockFetch>) => f.calls.filter((c) => operationName(c) === 'Orders');

afterEach(() => {
  COUNTS_NOW = null;
});

describe('orders list', () => {
  it('shows each order with its store, customer, total, state, reason and store date, linking to its detail', async () => {
    ordersBackend(() => page([order(1), order(2, { state: 'POSTED', stateReason: '', channel: 'woocommerce', connectionId: '8', currency: 'EUR', total: '10.00' })]));
    renderApp('/orders');
    await screen.findByRole('heading', { name: 'Orders', level: 1 });
    const row = await screen.findByTestId('order-row-1');
    expect(within(row).getByRole('link', { name: '#1001' }).getAttribute('href')).toBe('/orders/1');
    expect(await within(row).findByText('Main shop')).toBeTruthy();
    expect(within(row).getByText('Customer 1')).toBeTruthy();
    expect(within(row).getByText('129.95 USD')).toBeTruthy();
    expect(within(row).getByTestId('order-state').textContent).toBe('Error');
    // The reason is cut to one line in the table; its whole text is the cell's tooltip.
    expect(within(row).getByText(/invalid reference/).getAttribute('title')).toBe('There is an invalid reference to QuickBooks Customer "Web".');
    expect(within(row).getByText(/2026/)).toBeTruthy();
    const second = screen.getByTestId('order-row-2');
    expect(within(second).getByTestId('order-state').textContent).toBe('Posted');
    expect(within(second).getByText('Outlet')).toBeTruthy();
    expect(within(second).getByText('10.00 EUR')).toBeTruthy();
    expect(screen.getByTestId('orders-total').textContent).toBe('Showing 2 of 2 orders');

    // The tabs carry the counts; All is their sum.
    await waitFor(() => expect(screen.getByTestId('order-tab-count-ALL').textContent).toBe('56'));
    expect(screen.getByRole('tab', { name: /^Errors/ }).textContent).toBe('Errors 3');
    expect(screen.getByRole('tab', { name: /^Needs mapping/ }).textContent).toBe('Needs mapping 4');
    expect(screen.getByRole('tab', { name: /^Duplicates/ }).textContent).toBe('Duplicates 1');

    fireEvent.click(within(row).getByRole('link', { name: '#1001' }));
    expect(window.location.pathname).toBe('/orders/1');
  });

  it('explains the selected tab, hides an empty Pending tab and filters one store from the URL', async () => {
    COUNTS_NOW = { ...COUNTS, pending: 0 };
    const f = ordersBackend(() => page([order(1)]));
    renderApp('/orders?store=7&state=READY');
    await screen.findByTestId('order-row-1');
    expect(screen.getByTestId('order-tab-help').textContent).toContain('what Connex calls the Pending Queue');
    await waitFor(() => expect(screen.getByTestId('order-tab-help').textContent).toContain('Showing the orders of Main shop only.'));
    expect(variablesOf(ordersCalls(f)[0]!)).toEqual({ filter: { state: 'READY', connectionId: '7' }, first: 50 });
    await waitFor(() => expect(screen.queryByRole('tab', { name: /^Pending/ })).toBeNull());
    expect(screen.getByRole('tab', { name: /^Ready/ }).getAttribute('title')).toMatch(/Pending Queue/);
  });

  it('shows only the orders a link names by id (the mapping page’s resync), with a way back to all', async () => {
    const f = ordersBackend(() => page([order(42), order(57)]));
    renderApp('/orders?ids=42,57,x');
    await screen.findByTestId('order-row-42');
    expect(variablesOf(ordersCalls(f)[0]!)).toEqual({ filter: { ids: ['42', '57'] }, first: 50 });
    const notice = screen.getByTestId('orders-by-id');
    expect(notice.textContent).toMatch(/^Showing only the 2 orders a resync sent again\./);
    fireEvent.click(within(notice).getByRole('link', { name: 'Show all orders' }));
    await waitFor(() => expect(window.location.search).toBe(''));
    await waitFor(() => expect(variablesOf(ordersCalls(f).at(-1)!)).toEqual({ filter: {}, first: 50 }));
  });

  it('says so when there are no orders yet', async () => {
    ordersBackend(() => page([]));
    renderApp('/orders');
    expect((await screen.findByTestId('empty-state')).textContent).toBe(
      'No orders yet. Orders pulled from your stores appear here with their sync state.',
    );
  });

  it('sends the tab as the state variable and keeps it in the URL', async () => {
    const f = ordersBackend(() => page([]));
    renderApp('/orders');
    await screen.findByTestId('empty-state');
    expect(variablesOf(ordersCalls(f)[0]!)).toEqual({ filter: {}, first: 50 });

    const cases: [RegExp, string][] = [
      [/^Errors/, 'ERROR'],
      [/^Needs mapping/, 'NEEDS_MAPPING'],
      [/^Duplicates/, 'SKIPPED_DUPLICATE'],
      [/^Excluded/, 'EXCLUDED'],
      [/^Pending/, 'PENDING'],
    ];
    for (const [name, state] of cases) {
      const before = ordersCalls(f).length;
      fireEvent.click(screen.getByRole('tab', { name }));
      await waitFor(() => expect(ordersCalls(f)).toHaveLength(before + 1));
      expect(variablesOf(ordersCalls(f).at(-1)!)).toEqual({ filter: { state }, first: 50 });
      expect(window.location.search).toBe(`?state=${state}`);
      expect(screen.getByRole('tab', { name }).getAttribute('aria-selected')).toBe('true');
    }
    expect(await screen.findByText('No orders match these filters.')).toBeTruthy();

    fireEvent.click(screen.getByRole('tab', { name: /^All/ }));
    await waitFor(() => expect(window.location.search).toBe(''));
    await waitFor(() => expect(variablesOf(ordersCalls(f).at(-1)!)).toEqual({ filter: {}, first: 50 }));
  });

  it('says "1,000+" when the server stopped counting a search at its cap', async () => {
    ordersBackend(() => ({ ...page([order(1), order(2)], true, 1000), pageInfo: { hasNextPage: true, endCursor: 'o2', totalCountCapped: true } }));
    renderApp('/orders?q=ada');
    await screen.findByTestId('order-row-1');
    expect(screen.getByTestId('orders-total').textContent).toBe('Showing 2 of 1,000+ orders');
  });

  it('debounces the search box into the filter and the URL, keeping the tab', async () => {
    const f = ordersBackend(() => page([]));
    renderApp('/orders?state=error');
    await screen.findByText('No orders match these filters.');
    expect(variablesOf(ordersCalls(f)[0]!)).toEqual({ filter: { state: 'ERROR' }, first: 50 });
    const box = screen.getByLabelText('Search');
    fireEvent.change(box, { target: { value: '10' } });
    fireEvent.change(box, { target: { value: ' 1001 ' } });
    expect(ordersCalls(f)).toHaveLength(1);
    await waitFor(() => expect(ordersCalls(f)).toHaveLength(2));
    expect(variablesOf(ordersCalls(f)[1]!)).toEqual({ filter: { state: 'ERROR', search: '1001' }, first: 50 });
    expect(new URLSearchParams(window.location.search).get('q')).toBe(' 1001 ');
    expect(new URLSearchParams(window.location.search).get('state')).toBe('ERROR');

    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(window.location.search).toBe(''));
    expect((box as HTMLInputElement).value).toBe('');
  });

  it('loads more with the end cursor and appends', async () => {
    const f = ordersBackend((call) =>
      variablesOf(call).after === 'o2' ? page([order(3)], false, 3) : page([order(1), order(2)], true, 3),
    );
    renderApp('/orders');
    await screen.findByText('Showing 2 of 3 orders');
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByTestId('order-row-3');
    expect(variablesOf(ordersCalls(f)[1]!)).toEqual({ filter: {}, first: 50, after: 'o2' });
    expect(screen.getByTestId('order-row-1')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('reads the queue again every 15 seconds', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let state = 'PENDING';
    const f = ordersBackend(() => page([order(1, { state })]));
    renderApp('/orders');
    const row = await screen.findByTestId('order-row-1');
    expect(within(row).getByTestId('order-state').textContent).toBe('Pending');
    state = 'POSTED';
    const counts = f.calls.filter((c) => operationName(c) === 'OrderStateCounts').length;
    act(() => {
      vi.advanceTimersByTime(ORDERS_REFRESH_MS);
    });
    await waitFor(() => expect(within(screen.getByTestId('order-row-1')).getByTestId('order-state').textContent).toBe('Posted'));
    expect(ordersCalls(f)).toHaveLength(2);
    await waitFor(() => expect(f.calls.filter((c) => operationName(c) === 'OrderStateCounts').length).toBe(counts + 1));
  });
});

function orderDetail(extra: Record<string, unknown> = {}) {
  return {
    id: '7',
    channel: 'shopify',
    connectionId: '7',
    externalId: '5550001',
    number: '#1007',
    state: 'POSTED',
    stateReason: 'Posted as sales receipt 88-1.',
    customerName: 'Ada Lovelace',
    total: '59.00',
    currency: 'USD',
    storeCreatedAt: '2026-11-20T10:00:00Z',
    storeUpdatedAt: '2026-11-21T10:00:00Z',
    changedAfterPost: false,
    createdAt: '2026-11-20T10:01:00Z',
    updatedAt: '2026-11-20T10:05:00Z',
    normalized:
      '{"number":"#1007","lines":[{"sku":"ABC-1","name":"Blue mug","quantity":2,"unitPrice":2900,"total":5800}],"shippingTotal":100,"taxTotal":0,"total":5900}',
    raw: '{"id":5550001,"name":"#1007"}',
    events: [
      { id: 'e1', kind: 'received', message: 'Pulled from Shopify.', details: null, createdAt: '2026-11-20T10:01:00Z' },
      {
        id: 'e2',
        kind: 'rule',
        message: 'Rule “Prefix” (v2) set refPrefix from "" to "SH-".',
        details: '{"ruleId":4,"version":2,"changes":[{"field":"refPrefix","before":"","after":"SH-"}]}',
        createdAt: '2026-11-20T10:02:00Z',
      },
      {
        id: 'e3',
        kind: 'qbxml',
        message: 'SalesReceiptAdd queued.',
        details: '{"workItem":12,"request":"<SalesReceiptAddRq><RefNumber>SH-1007</RefNumber></SalesReceiptAddRq>"}',
        createdAt: '2026-11-20T10:03:00Z',
      },
    ],
    refunds: [],
    ...extra,
  };
}

describe('order detail', () => {
  it('shows the header, the audit trail with details and the JSON viewers', async () => {
    const f = ordersBackend(
      () => page([]),
      () => json({ data: { order: orderDetail() } }),
    );
    renderApp('/orders/7');
    await screen.findByRole('heading', { name: 'Order #1007', level: 1 });
    expect(variablesOf(f.calls.find((c) => operationName(c) === 'Order')!)).toEqual({ id: '7' });
    expect(screen.getByTestId('order-state').textContent).toBe('Posted');
    expect(screen.getByTestId('order-reason').textContent).toBe('Posted as sales receipt 88-1.');
    expect(screen.getByText('59.00 USD')).toBeTruthy();
    expect(screen.getByText('Ada Lovelace')).toBeTruthy();
    expect(screen.queryByTestId('changed-after-post')).toBeNull();
    // Line items as a table in money, not cents; the store by name.
    const line = screen.getByTestId('order-lines').querySelector('tbody tr')!;
    expect([...line.children].map((c) => c.textContent)).toEqual(['ABC-1', 'Blue mug', '2', '$29.00', '—', '$58.00']);
    expect(screen.getByTestId('order-lines-total').textContent).toBe('$59.00');
    await waitFor(() => expect(screen.getByTestId('order-store').textContent).toBe('Main shop'));
    // The Orders section stays current in the navigation.
    expect(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Orders' }).getAttribute('aria-current')).toBe('page');

    const events = screen.getAllByTestId('order-event');
    expect(events).toHaveLength(3);
    expect(events.map((e) => e.getAttribute('data-kind'))).toEqual(['received', 'rule', 'qbxml']);
    expect(within(events[0]!).getByText('received')).toBeTruthy();
    expect(within(events[0]!).queryByText('Details')).toBeNull();
    expect(within(events[1]!).getByText(/set refPrefix/)).toBeTruthy();
    expect(within(events[1]!).getByText('Details')).toBeTruthy();
    expect(within(events[1]!).getByText(/"field": "refPrefix"/)).toBeTruthy();
    // qbXML inside the details gets its own <pre>, out of the JSON.
    const xml = within(events[2]!).getByText('<SalesReceiptAddRq><RefNumber>SH-1007</RefNumber></SalesReceiptAddRq>');
    expect(xml.tagName).toBe('PRE');
    expect(within(events[2]!).getByText('request')).toBeTruthy();
    expect(within(events[2]!).getByText(/"workItem": 12/).textContent).not.toContain('SalesReceiptAddRq');

    const normalized = screen.getByTestId('order-normalized');
    expect(normalized.tagName).toBe('DETAILS');
    expect(within(normalized).getByText('Normalized order')).toBeTruthy();
    expect(normalized.querySelector('pre')!.textContent).toMatch(/^\{\n {2}"number": "#1007",\n {2}"lines": \[\n {4}\{\n {6}"sku": "ABC-1",/);
    expect(within(screen.getByTestId('order-raw')).getByText('Store payload')).toBeTruthy();
    expect(screen.getByTestId('order-raw').querySelector('pre')!.textContent).toContain('"id": 5550001');
  });

  it('links an audit event to its QuickBooks request and answer, read when opened', async () => {
    const queued = {
      id: 'e4',
      kind: 'qbxml',
      message: 'SalesReceiptAdd queued for QuickBooks.',
      details: '{"workItemId":12,"qbxml":"<SalesReceiptAddRq/>"}',
      createdAt: '2026-11-20T10:03:00Z',
    };
    const workItem = {
      id: '12', kind: 'SalesReceiptAdd', status: 'DONE', statusCode: 0, statusMessage: 'Status OK', quickBooksId: '88-1',
      request: '<SalesReceiptAddRq><RefNumber>SH-1007</RefNumber></SalesReceiptAddRq>', response: 'SalesReceiptAddRs 0 Status OK TxnID=88-1',
      updatedAt: '2026-11-20T10:05:00Z',
    };
    const f = ordersBackend(
      () => page([]),
      (call) =>
        operationName(call) === 'Order' ? json({ data: { order: orderDetail({ events: [queued] }) } }) : json({ data: { workItem } }),
    );
    renderApp('/orders/7');
    const event = await screen.findByTestId('order-event');
    const link = within(event).getByText('QuickBooks request and answer');
    expect(f.calls.filter((c) => operationName(c) === 'WorkItem')).toHaveLength(0);
    const box = link.closest('details')!;
    box.open = true;
    fireEvent(box, new Event('toggle'));
    const view = await within(event).findByTestId('work-item');
    expect(variablesOf(f.calls.find((c) => operationName(c) === 'WorkItem')!)).toEqual({ id: '12' });
    expect(within(view).getByText(workItem.request).tagName).toBe('PRE');
    expect(within(view).getByText(workItem.response).tagName).toBe('PRE');
    expect(view.textContent).toContain('SalesReceiptAdd · done · QuickBooks status 0 · TxnID 88-1');
  });

  it('lists the refunds with their credit memo and QuickBooks state', async () => {
    ordersBackend(
      () => page([]),
      () =>
        json({
          data: {
            order: orderDetail({
              refunds: [
                {
                  id: '3', externalId: '98400001', seq: 1, refNumber: '1007-R1', state: 'POSTED',
                  stateReason: 'Credit memo 1007-R1 is in QuickBooks: 39.98 paid back to the card.', total: '39.98', restocked: 2,
                  applied: '0.00', refunded: '39.98', creditTxnId: '1A-99', storeCreatedAt: '2026-11-22T09:00:00Z', updatedAt: '2026-11-22T09:05:00Z',
                },
                {
                  id: '4', externalId: '98400002', seq: 2, refNumber: '', state: 'WAITING',
                  stateReason: "The order's sale is not in QuickBooks yet.", total: '10.00', restocked: 0,
                  applied: '0.00', refunded: '0.00', creditTxnId: '', storeCreatedAt: '2026-11-23T09:00:00Z', updatedAt: '2026-11-23T09:00:00Z',
                },
              ],
            }),
          },
        }),
    );
    renderApp('/orders/7');
    const rows = await screen.findAllByTestId('order-refund');
    expect(rows.map((r) => r.getAttribute('data-state'))).toEqual(['POSTED', 'WAITING']);
    expect(within(rows[0]!).getByText('1007-R1')).toBeTruthy();
    expect(within(rows[0]!).getByText('In QuickBooks')).toBeTruthy();
    expect(within(rows[0]!).getByText('39.98 USD')).toBeTruthy();
    expect(within(rows[0]!).getByText(/paid back to the card/)).toBeTruthy();
    expect(within(rows[0]!).getByText('QuickBooks id 1A-99')).toBeTruthy();
    expect(within(rows[1]!).getByText('R2')).toBeTruthy();
    expect(within(rows[1]!).getByText('Waiting for the sale')).toBeTruthy();
  });

  it('shows no refunds section for an order without refunds', async () => {
    ordersBackend(
      () => page([]),
      () => json({ data: { order: orderDetail() } }),
    );
    renderApp('/orders/7');
    await screen.findByRole('heading', { name: 'Order #1007', level: 1 });
    expect(screen.queryByTestId('order-refunds')).toBeNull();
  });

  it('warns when the order changed in the store after it was posted', async () => {
    ordersBackend(
      () => page([]),
      () => json({ data: { order: orderDetail({ changedAfterPost: true }) } }),
    );
    renderApp('/orders/7');
    expect((await screen.findByTestId('changed-after-post')).textContent).toBe(
      'Changed in the store after it was posted: not re-posted automatically.',
    );
  });

  it('says plainly when the order does not exist', async () => {
    ordersBackend(
      () => page([]),
      () => gqlError('not found', 'NOT_FOUND'),
    );
    renderApp('/orders/999');
    expect((await screen.findByRole('alert')).textContent).toContain('There is no such order in this account');
  });
});
