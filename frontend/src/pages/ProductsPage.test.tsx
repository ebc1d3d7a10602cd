import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../readFile';
import { callsOf, json, mockFetch, operationName, renderApp, sessionFor, variablesOf, type Call } from '../test/helpers';
import { EMPTY_NO_COMPANY, ITEM_READ_POLL_MS } from './ProductsPage';

function item(n: number, extra: Record<string, unknown> = {}) {
  return {
    id: `it-${n}`,
    fullName: `Item ${n}`,
    type: 'Inventory Part',
    description: `Description ${n}`,
    price: `${n}.99`,
    quantityOnHand: String(n * 10),
    active: true,
    source: 'csv',
    updatedAt: '2026-11-20T10:00:00Z',
    ...extra,
  };
}

function productsBackend(
  opts: {
    companies?: { id: string; name: string }[];
    /** The QuickBooks company of each store. */
    storeCompanies?: (string | null)[];
    items?: (vars: Record<string, unknown>) => ReturnType<typeof item>[];
    upload?: (call: Call) => Response;
  } = {},
) {
  const companies = opts.companies ?? [
    { id: 'qb-1', name: 'Main company' },
    { id: 'qb-2', name: 'Second company' },
  ];
  // The read asked for goes QUEUED, READING (page 2), DONE, one step per look.
  const reads = [
    { state: 'QUEUED', page: 1, startedAt: '2026-11-20T10:00:00Z', message: null },
    { state: 'READING', page: 2, startedAt: '2026-11-20T10:00:00Z', message: null },
    { state: 'DONE', page: 2, startedAt: '2026-11-20T10:00:00Z', message: 'Read the item list from QuickBooks: 612 items in 2 pages.' },
  ];
  let read = -1;
  return mockFetch((call) => {
    if (call.url === '/auth/session') return json(sessionFor('MEMBER'));
    const v = variablesOf(call);
    switch (operationName(call)) {
      case 'ItemListRead': {
        const now = read < 0 ? null : reads[Math.min(read, reads.length - 1)];
        if (read >= 0) read++;
        return json({ data: { itemListRead: now } });
      }
      case 'ItemListCompanies':
        return json({
          data: {
            quickBooksDesktopConnections: { edges: companies.map((node) => ({ node })) },
            storeConnections: { edges: (opts.storeCompanies ?? []).map((quickBooksConnectionId) => ({ node: { quickBooksConnectionId } })) },
          },
        });
      case 'QuickBooksItems': {
        const all = opts.items?.(v) ?? [];
        const start = v.after ? Number(String(v.after).slice(1)) : 0;
        const page = all.slice(start, start + Number(v.first));
        return json({
          data: {
            quickBooksItems: {
              edges: page.map((node, i) => ({ cursor: `c${start + i + 1}`, node })),
              pageInfo: { hasNextPage: start + page.length < all.length, endCursor: page.length ? `c${start + page.length}` : null },
              totalCount: all.length,
            },
          },
        });
      }
      case 'RefreshItemList':
        read = 0;
        return json({ data: { refreshItemList: true } });
      case 'UploadItemList':
        return opts.upload?.(call) ?? json({ data: { uploadItemList: { created: 0, updated: 0, skipped: [] } } });
    }
    return undefined;
  });
}

describe('products: QuickBooks item list', () => {
  it('lists the chosen company’s items with search and paging', async () => {
    const many = Array.from({ length: 60 }, (_, i) => item(i + 1));
    const f = productsBackend({
      items: (v) => {
        if (v.quickBooksConnectionId === 'qb-2') return [item(900, { fullName: 'Gadget', active: false, source: 'quickbooks' })];
        if (v.search) return many.filter((i) => i.fullName.includes(String(v.search)));
        return many;
      },
    });
    renderApp('/products');
    await screen.findByRole('heading', { name: 'Products', level: 1 });
    const row = await screen.findByTestId('item-row-it-1');
    expect([...row.children].map((c) => c.textContent)).toEqual(['Item 1', 'Inventory Part', 'Description 1', '1.99', '10', 'Yes', 'Uploaded list']);
    expect(screen.getByTestId('items-total').textContent).toBe('Showing 50 of 60 items');
    expect(callsOf(f, 'QuickBooksItems').map(variablesOf)).toEqual([{ quickBooksConnectionId: 'qb-1', first: 50 }]);

    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByTestId('item-row-it-60');
    expect(variablesOf(callsOf(f, 'QuickBooksItems')[1]!)).toEqual({ quickBooksConnectionId: 'qb-1', first: 50, after: 'c50' });
    expect(screen.getByTestId('items-total').textContent).toBe('Showing 60 of 60 items');

    fireEvent.change(screen.getByLabelText('Search items'), { target: { value: 'Item 5' } });
    await waitFor(() => expect(screen.getByTestId('items-total').textContent).toBe('Showing 11 of 11 items'));
    expect(variablesOf(callsOf(f, 'QuickBooksItems').at(-1)!)).toEqual({ quickBooksConnectionId: 'qb-1', first: 50, search: 'Item 5' });

    fireEvent.change(screen.getByLabelText('QuickBooks company'), { target: { value: 'qb-2' } });
    const gadget = await screen.findByTestId('item-row-it-900');
    expect(gadget.textContent).toContain('Inactive');
    expect(gadget.textContent).toContain('QuickBooks');
  });

  it('starts with the company most stores post to', async () => {
    const f = productsBackend({ storeCompanies: ['qb-2', null, 'qb-1', 'qb-2'], items: () => [item(1)] });
    renderApp('/products');
    await screen.findByTestId('item-row-it-1');
    expect((screen.getByLabelText('QuickBooks company') as HTMLSelectElement).value).toBe('qb-2');
    expect(callsOf(f, 'QuickBooksItems').map(variablesOf)).toEqual([{ quickBooksConnectionId: 'qb-2', first: 50 }]);
    expect(screen.getByLabelText('Item list (.csv) for Second company')).toBeTruthy();
  });

  it('asks QuickBooks for the item list of the chosen company', async () => {
    const f = productsBackend({ items: () => [] });
    renderApp('/products');
    await screen.findByTestId('empty-state');
    fireEvent.change(screen.getByLabelText('QuickBooks company'), { target: { value: 'qb-2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Read from QuickBooks' }));
    expect((await screen.findByText(/next QuickBooks Web Connector run reads the whole item list/)).textContent).toBeTruthy();
    expect(callsOf(f, 'RefreshItemList').map(variablesOf)).toEqual([{ quickBooksConnectionId: 'qb-2' }]);
    // Followed without a reload: the pages as they come, then the counts, and the list is read again.
    const status = screen.getByTestId('refresh-status');
    expect((screen.getByRole('button', { name: 'Read from QuickBooks' }) as HTMLButtonElement).disabled).toBe(true);
    await waitFor(() => expect(status.textContent).toBe('Reading the item list from QuickBooks (page 2)…'), { timeout: ITEM_READ_POLL_MS * 3 });
    const listReads = callsOf(f, 'QuickBooksItems').length;
    await waitFor(() => expect(status.getAttribute('data-state')).toBe('done'), { timeout: ITEM_READ_POLL_MS * 3 });
    expect(status.textContent).toMatch(/^Read the item list from QuickBooks: 612 items in 2 pages\. \(asked for /);
    await waitFor(() => expect(callsOf(f, 'QuickBooksItems').length).toBeGreaterThan(listReads));
    expect((screen.getByRole('button', { name: 'Read from QuickBooks' }) as HTMLButtonElement).disabled).toBe(false);
  }, 30_000);

  it('says what to do when there is no QuickBooks company', async () => {
    productsBackend({ companies: [] });
    renderApp('/products');
    expect((await screen.findByTestId('empty-state')).textContent).toBe(EMPTY_NO_COMPANY);
    expect(screen.queryByTestId('item-list-upload')).toBeNull();
  });
});

describe('products: item list upload', () => {
  const CSV = ',Item,Type,Description,Price,Quantity On Hand\n,Widget,Inventory Part,Standard widget,19.99,100\n,Gadget,Service,,5.00,\n,,Service,no name here,1.00,\n,Widget,Inventory Part,again,1,1\n';

  it('reads the chosen .csv file, uploads it for the company and lists every skipped row', async () => {
    let listed = 0;
    const f = productsBackend({
      companies: [{ id: 'qb-7', name: 'Demo company' }],
      items: () => (listed++ === 0 ? [] : [item(1, { fullName: 'Widget' }), item(2, { fullName: 'Gadget' })]),
      upload: () =>
        json({
          data: {
            uploadItemList: {
              created: 2,
              updated: 0,
              skipped: [
                { row: 4, problem: 'no item name' },
                { row: 5, problem: '"Widget" repeats row 2' },
              ],
            },
          },
        }),
    });
    renderApp('/products');
    expect((await screen.findByTestId('empty-state')).textContent).toMatch(/^No QuickBooks items yet\. Upload/);
    expect(screen.getByTestId('item-company').textContent).toBe('Demo company');
    const input = screen.getByTestId('item-list-upload') as HTMLInputElement;
    expect(input.accept).toBe('.csv,text/csv');
    fireEvent.change(input, { target: { files: [new File([CSV], 'items.csv', { type: 'text/csv' })] } });

    const result = await screen.findByTestId('upload-result');
    expect(result.textContent).toMatch(/^items\.csv: 2 new items, 0 updated, 2 rows skipped\./);
    const skipped = within(result).getAllByTestId('skipped-row').map((r) => [...r.children].map((c) => c.textContent));
    expect(skipped).toEqual([
      ['Row 4', 'no item name'],
      ['Row 5', '"Widget" repeats row 2'],
    ]);
    const upload = callsOf(f, 'UploadItemList');
    expect(upload).toHaveLength(1);
    expect(variablesOf(upload[0]!)).toEqual({ quickBooksConnectionId: 'qb-7', csv: CSV });
    // The list reloads with the new items.
    await screen.findByTestId('item-row-it-1');
  });

  it('decodes a Windows-1252 export and refuses files that are not CSV', async () => {
    const f = productsBackend({ companies: [{ id: 'qb-1', name: 'Main company' }] });
    renderApp('/products');
    const input = (await screen.findByTestId('item-list-upload')) as HTMLInputElement;

    fireEvent.change(input, { target: { files: [new File(['x'], 'items.xlsx', { type: 'application/vnd.ms-excel' })] } });
    expect((await screen.findByTestId('upload-error')).textContent).toMatch(/is not a \.csv file/);
    expect(callsOf(f, 'UploadItemList')).toHaveLength(0);

    // "Item\nCaf\xe9 table\n" as Excel on Windows saves it.
    const bytes = new Uint8Array([0x49, 0x74, 0x65, 0x6d, 0x0a, 0x43, 0x61, 0x66, 0xe9, 0x20, 0x74, 0x61, 0x62, 0x6c, 0x65, 0x0a]);
    fireEvent.change(input, { target: { files: [new File([bytes], 'ITEMS.CSV')] } });
    await screen.findByTestId('upload-result');
    expect(variablesOf(callsOf(f, 'UploadItemList')[0]!).csv).toBe('Item\nCafé table\n');
    expect(screen.queryByTestId('upload-error')).toBeNull();
  });

  it('shows the server’s reason when the file cannot be read', async () => {
    productsBackend({
      companies: [{ id: 'qb-1', name: 'Main company' }],
      upload: () =>
        json({
          errors: [{ message: 'the file has no header row with an "Item" (or "Name") column', path: ['uploadItemList'], extensions: { code: 'BAD_USER_INPUT', field: 'csv' } }],
          data: null,
        }),
    });
    renderApp('/products');
    const input = await screen.findByTestId('item-list-upload');
    fireEvent.change(input, { target: { files: [new File(['a,b\n1,2\n'], 'list.csv', { type: 'text/csv' })] } });
    expect((await screen.findByTestId('upload-error')).textContent).toBe('the file has no header row with an "Item" (or "Name") column');
    expect(screen.queryByTestId('upload-result')).toBeNull();
  });
});

describe('decodeText', () => {
  it('keeps UTF-8 and drops its byte order mark', () => {
    expect(decodeText(new TextEncoder().encode('\ufeffCafé'))).toBe('Café');
  });
});
