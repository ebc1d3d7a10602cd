import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Role } from '../graphql/schema';
import { callsOf, captureDownloads, gqlError, json, mockFetch, onePage, operationName, renderApp, sessionFor, variablesOf, type Call } from '../test/helpers';
import { IN_DOUBT_EXPLANATION, WORK_REFRESH_MS } from './ConnectionsPage';

const PASSWORD = 'wc-pass-7Kq2-only-shown-once';
const NEW_PASSWORD = 'wc-pass-second-one-9Zx';

function qwcFor(id: string, username: string) {
  return `<?xml version="1.0"?>\n<QBWCXML>\n\t<AppName>Ledgerlink</AppName>\n\t<UserName>${username}</UserName>\n\t<OwnerID>{${id}}</OwnerID>\n</QBWCXML>\n`;
}

type Counts = { queued: number; inFlight: number; inDoubt: number; done: number; failed: number };
const ZERO: Counts = { queued: 0, inFlight: 0, inDoubt: 0, done: 0, failed: 0 };

function connection(id: string, name: string, extra: Record<string, unknown> = {}, work: Counts = ZERO) {
  const username = `llqbd-${id}`;
  return {
    id,
    name,
    webConnectorUsername: username,
    companyFile: '',
    runEveryMinutes: 15,
    qbxmlVersion: null as string | null,
    lastContactAt: null as string | null,
    createdAt: '2026-11-01T09:00:00Z',
    qwc: qwcFor(id, username),
    work,
    ...extra,
  };
}

function workItem(n: number, status = 'DONE') {
  return {
    cursor: `w${n}`,
    node: {
      id: `wi-${n}`,
      docKey: `order:shopify:${1000 + n}`,
      kind: 'SalesReceiptAdd',
      status,
      attempts: status === 'QUEUED' ? 0 : 1,
      statusCode: status === 'DONE' ? 0 : null,
      statusMessage: status === 'FAILED' ? 'There is an invalid reference to QuickBooks Customer "Web".' : '',
      quickBooksId: status === 'DONE' ? `TXN-${n}` : null,
      request: `<SalesReceiptAddRq><SalesReceiptAdd><RefNumber>${1000 + n}</RefNumber></SalesReceiptAdd></SalesReceiptAddRq>`,
      response: status === 'DONE' ? `statusCode=0 statusSeverity=Info TxnID=TXN-${n}` : '',
      createdAt: '2026-11-20T10:00:00Z',
      updatedAt: '2026-11-20T10:05:00Z',
    },
  };
}

interface BackendOptions {
  role?: Role;
  connections?: ReturnType<typeof connection>[];
  createReply?: (call: Call) => Response | undefined;
  work?: (call: Call) => unknown;
}

/** A signed-in user whose account has `connections`, answering the Connections page's operations. */
function qbdBackend(opts: BackendOptions = {}) {
  const role = opts.role ?? 'OWNER';
  const list = [...(opts.connections ?? [])];
  return mockFetch((call) => {
    if (call.url === '/auth/session') return json(sessionFor(role));
    switch (operationName(call)) {
      case 'QbdConnections':
        return json({
          data: {
            quickBooksDesktopConnections: {
              edges: list.map((node) => ({ cursor: `c-${node.id}`, node })),
              pageInfo: { hasNextPage: false, endCursor: list.at(-1) ? `c-${list.at(-1)!.id}` : null },
              totalCount: list.length,
            },
          },
        });
      case 'CreateQbdConnection': {
        const custom = opts.createReply?.(call);
        if (custom) return custom;
        const input = variablesOf(call).input as { name: string; companyFile: string; runEveryMinutes: number };
        const node = connection('9', input.name, { companyFile: input.companyFile, runEveryMinutes: input.runEveryMinutes });
        list.push(node);
        return json({ data: { createQuickBooksDesktopConnection: { password: PASSWORD, connection: node } } });
      }
      case 'ResetWebConnectorPassword': {
        const node = list.find((c) => c.id === variablesOf(call).id)!;
        return json({ data: { resetWebConnectorPassword: { password: NEW_PASSWORD, connection: node } } });
      }
      case 'QboConnections':
        return json({ data: { quickBooksOnlineConnections: onePage([]) } });
      case 'StoreConnections':
        return json({ data: { storeConnections: { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 } } });
      case 'QbdWorkItems': {
        const page = opts.work?.(call) ?? { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 };
        return json({ data: { quickBooksDesktopConnection: { id: variablesOf(call).id, workItems: page } } });
      }
    }
    return undefined;
  });
}

describe('connections: list', () => {
  it('shows each connection with its settings and work counts, highlighting in-doubt and failed work', async () => {
    qbdBackend({
      connections: [
        connection(
          '1',
          'Main company',
          { companyFile: 'C:\\QB\\Acme.QBW', runEveryMinutes: 30, qbxmlVersion: '13.0', lastContactAt: '2026-11-20T10:00:00Z' },
          { queued: 3, inFlight: 1, inDoubt: 2, done: 40, failed: 5 },
        ),
        connection('2', 'Second shop'),
      ],
    });
    renderApp('/connections');
    await screen.findByRole('heading', { name: 'Connections', level: 1 });
    const first = await screen.findByTestId('qbd-connection-1');
    expect(within(first).getByRole('heading', { name: 'Main company' })).toBeTruthy();
    expect(within(first).getByTestId('qbd-username').textContent).toBe('llqbd-1');
    expect(within(first).getByText('C:\\QB\\Acme.QBW')).toBeTruthy();
    expect(within(first).getByText('30 min')).toBeTruthy();
    expect(within(first).getByText('13.0')).toBeTruthy();
    expect(within(first).getByTestId('qbd-last-contact').textContent).not.toContain('Never');
    const count = (card: HTMLElement, id: string) => within(card).getByTestId(id);
    expect(count(first, 'qbd-work-queued').textContent).toBe('3 Queued');
    expect(count(first, 'qbd-work-in-flight').textContent).toBe('1 In flight');
    expect(count(first, 'qbd-work-in-doubt').textContent).toBe('2 In doubt');
    expect(count(first, 'qbd-work-done').textContent).toBe('40 Done');
    expect(count(first, 'qbd-work-failed').textContent).toBe('5 Failed');
    expect(count(first, 'qbd-work-in-doubt').className).toContain('work-count-warning');
    expect(count(first, 'qbd-work-failed').className).toContain('work-count-error');
    expect(count(first, 'qbd-work-queued').className).not.toMatch(/work-count-(warning|error)/);

    const second = screen.getByTestId('qbd-connection-2');
    expect(within(second).getByText('Whichever file is open')).toBeTruthy();
    expect(within(second).getByText('Not connected yet')).toBeTruthy();
    expect(within(second).getByTestId('qbd-last-contact').textContent).toBe('Never');
    expect(count(second, 'qbd-work-queued').textContent).toBe('0 Queued');
    expect(count(second, 'qbd-work-in-doubt').className).not.toContain('work-count-warning');
    expect(count(second, 'qbd-work-failed').className).not.toContain('work-count-error');
    expect(screen.queryByTestId('empty-state')).toBeNull();
  });

  it('says so when there are no connections yet', async () => {
    qbdBackend();
    renderApp('/connections');
    expect((await screen.findByTestId('empty-state')).textContent).toBe(
      'No connections yet. Add your QuickBooks Desktop company to start syncing.',
    );
  });
});

describe('connections: adding one', () => {
  it('creates a connection and shows its password once, until dismissed', async () => {
    const f = qbdBackend();
    renderApp('/connections');
    await screen.findByTestId('empty-state');
    expect((screen.getByLabelText('Run every (minutes)') as HTMLInputElement).value).toBe('15');

    fireEvent.change(screen.getByLabelText('Connection name'), { target: { value: '  Main company ' } });
    fireEvent.change(screen.getByLabelText('Company file (optional)'), { target: { value: 'C:\\QB\\Acme.QBW' } });
    fireEvent.change(screen.getByLabelText('Run every (minutes)'), { target: { value: '30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add connection' }));

    const panel = await screen.findByTestId('qbd-password');
    expect(within(panel).getByTestId('qbd-password-value').textContent).toBe(PASSWORD);
    expect(panel.getAttribute('data-connection-id')).toBe('9');
    expect(panel.textContent).toMatch(/cannot be shown again/);
    expect(within(panel).getByRole('button', { name: 'Copy' })).toBeTruthy();
    const steps = within(panel).getAllByRole('listitem').map((li) => li.textContent ?? '');
    expect(steps).toHaveLength(3);
    expect(steps[0]).toMatch(/Download the \.qwc file/);
    expect(steps[1]).toMatch(/File > Add an application/);
    expect(steps[2]).toMatch(/Password.*Auto-Run.*Update Selected/);

    const create = callsOf(f, 'CreateQbdConnection');
    expect(create).toHaveLength(1);
    expect(variablesOf(create[0]!)).toEqual({ input: { name: 'Main company', companyFile: 'C:\\QB\\Acme.QBW', runEveryMinutes: 30 } });
    expect(create[0]!.headers['x-csrf-token']).toBe('csrf-123');

    // The list reloads with the new connection; the form is empty again.
    const card = await screen.findByTestId('qbd-connection-9');
    expect(within(card).getByText('30 min')).toBeTruthy();
    expect((screen.getByLabelText('Connection name') as HTMLInputElement).value).toBe('');
    expect(screen.getAllByText(PASSWORD)).toHaveLength(1);

    fireEvent.click(within(panel).getByRole('button', { name: 'I have entered the password' }));
    expect(screen.queryByTestId('qbd-password')).toBeNull();
    expect(document.body.textContent).not.toContain(PASSWORD);
  });

  it('says only the owner can add connections when the server answers FORBIDDEN', async () => {
    qbdBackend({ createReply: () => gqlError('forbidden', 'FORBIDDEN') });
    renderApp('/connections');
    await screen.findByTestId('empty-state');
    fireEvent.change(screen.getByLabelText('Connection name'), { target: { value: 'Nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add connection' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Only the account owner can add connections.');
    expect(screen.queryByTestId('qbd-password')).toBeNull();
  });

  it('shows a validation error from the server next to its field', async () => {
    qbdBackend({
      createReply: () =>
        json({
          errors: [{ message: 'The Web Connector can run every 1 to 1440 minutes.', path: ['createQuickBooksDesktopConnection'], extensions: { code: 'BAD_USER_INPUT', field: 'runEveryMinutes' } }],
          data: null,
        }),
    });
    renderApp('/connections');
    await screen.findByTestId('empty-state');
    fireEvent.change(screen.getByLabelText('Connection name'), { target: { value: 'Main company' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add connection' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('The Web Connector can run every 1 to 1440 minutes.');
    const input = screen.getByLabelText('Run every (minutes)');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toBe(alert.id);
    expect(screen.getByLabelText('Connection name').getAttribute('aria-invalid')).toBeNull();
  });

  it('checks the name and the interval before calling the server', async () => {
    const f = qbdBackend();
    renderApp('/connections');
    await screen.findByTestId('empty-state');
    fireEvent.change(screen.getByLabelText('Run every (minutes)'), { target: { value: '1441' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add connection' }));
    const alerts = await screen.findAllByRole('alert');
    expect(alerts.map((a) => a.textContent)).toEqual([
      'Enter a name for the connection, e.g. "Main company file".',
      'Enter a whole number of minutes from 1 to 1440.',
    ]);
    expect(callsOf(f, 'CreateQbdConnection')).toHaveLength(0);
  });

  it('tells members that only the owner can add connections or reset passwords', async () => {
    qbdBackend({ role: 'MEMBER', connections: [connection('1', 'Main company')] });
    renderApp('/connections');
    const card = await screen.findByTestId('qbd-connection-1');
    expect(screen.getByText('Only the account owner can add connections.')).toBeTruthy();
    expect(screen.queryByLabelText('Connection name')).toBeNull();
    expect(within(card).queryByRole('button', { name: 'Reset password' })).toBeNull();
    expect(within(card).getByRole('button', { name: 'Download .qwc' })).toBeTruthy();
  });
});

describe('connections: .qwc file and password reset', () => {
  it('downloads the .qwc text as ledgerlink-<slug>.qwc', async () => {
    const { blobs, clicks } = captureDownloads((n) => `blob:http://localhost/qwc-${n}`);

    const c = connection('7', 'Main company (Café) #2');
    qbdBackend({ connections: [c] });
    renderApp('/connections');
    fireEvent.click(await screen.findByTestId('qwc-download-7'));

    expect(clicks).toEqual([{ download: 'ledgerlink-main-company-cafe-2.qwc', href: 'blob:http://localhost/qwc-1', attached: true }]);
    expect(blobs).toHaveLength(1);
    expect(blobs[0]!.type).toBe('application/xml');
    const text = await blobs[0]!.text();
    expect(text).toBe(c.qwc);
    expect(text).toContain('<UserName>llqbd-7</UserName>');
    // The temporary link is gone again.
    expect(document.querySelector('a[download]')).toBeNull();
  });

  it('resets the Web Connector password only after confirmation and shows the new one once', async () => {
    const f = qbdBackend({ connections: [connection('1', 'Main company')] });
    renderApp('/connections');
    const card = await screen.findByTestId('qbd-connection-1');

    fireEvent.click(within(card).getByRole('button', { name: 'Reset password' }));
    fireEvent.click(within(card).getByRole('button', { name: 'Cancel' }));
    expect(callsOf(f, 'ResetWebConnectorPassword')).toHaveLength(0);

    fireEvent.click(within(card).getByRole('button', { name: 'Reset password' }));
    fireEvent.click(within(card).getByRole('button', { name: 'Yes, reset' }));
    const panel = await screen.findByTestId('qbd-password');
    expect(within(panel).getByTestId('qbd-password-value').textContent).toBe(NEW_PASSWORD);
    expect(panel.textContent).toMatch(/old one no longer works/);
    expect(panel.textContent).toMatch(/cannot be shown again/);
    const reset = callsOf(f, 'ResetWebConnectorPassword');
    expect(reset).toHaveLength(1);
    expect(variablesOf(reset[0]!)).toEqual({ id: '1' });

    fireEvent.click(within(panel).getByRole('button', { name: 'I have entered the password' }));
    expect(document.body.textContent).not.toContain(NEW_PASSWORD);
  });
});

describe('connections: work queue', () => {
  const page = (items: ReturnType<typeof workItem>[], hasNextPage: boolean, totalCount: number) => ({
    edges: items,
    pageInfo: { hasNextPage, endCursor: items.at(-1)?.cursor ?? null },
    totalCount,
  });

  it('maps the filter tabs to the status variable and passes the cursor on "Load more"', async () => {
    const f = qbdBackend({
      connections: [connection('1', 'Main company')],
      work: (call) => {
        const v = variablesOf(call);
        if (v.after === 'w2') return page([workItem(3, 'FAILED')], false, 3);
        if (v.status === 'FAILED') return page([workItem(3, 'FAILED')], false, 1);
        return page([workItem(1, 'QUEUED'), workItem(2, 'IN_DOUBT')], true, 3);
      },
    });
    renderApp('/connections');
    const card = await screen.findByTestId('qbd-connection-1');
    fireEvent.click(within(card).getByRole('button', { name: 'Show work queue' }));

    await within(card).findByText('order:shopify:1001');
    const work = () => callsOf(f, 'QbdWorkItems').map(variablesOf);
    expect(work()).toEqual([{ id: '1', first: 25 }]);
    expect(window.location.search).toBe('?queue=1');
    expect(within(card).getByTestId('work-total').textContent).toBe('Showing 2 of 3 items');
    expect(within(card).getByTestId('in-doubt-legend').textContent).toContain(IN_DOUBT_EXPLANATION);
    expect(within(card).getByTestId('work-item-wi-2').textContent).toContain('In doubt');

    fireEvent.click(within(card).getByRole('button', { name: 'Load more' }));
    await within(card).findByText('order:shopify:1003');
    expect(work()[1]).toEqual({ id: '1', first: 25, after: 'w2' });
    expect(within(card).getByTestId('work-total').textContent).toBe('Showing 3 of 3 items');
    expect(within(card).queryByRole('button', { name: 'Load more' })).toBeNull();

    const expected: [string, string | undefined][] = [
      ['Failed', 'FAILED'],
      ['Queued', 'QUEUED'],
      ['In doubt', 'IN_DOUBT'],
      ['Done', 'DONE'],
      ['All', undefined],
    ];
    for (const [label, status] of expected) {
      const before = work().length;
      fireEvent.click(within(card).getByRole('tab', { name: label }));
      await waitFor(() => expect(work()).toHaveLength(before + 1));
      expect(work()[before]).toEqual(status ? { id: '1', first: 25, status } : { id: '1', first: 25 });
      expect(within(card).getByRole('tab', { name: label }).getAttribute('aria-selected')).toBe('true');
      expect(new URLSearchParams(window.location.search).get('status')).toBe(status ?? null);
    }
  });

  it('shows the qbXML request and QuickBooks’ answer of a row', async () => {
    qbdBackend({ connections: [connection('1', 'Main company')], work: () => page([workItem(5, 'DONE')], false, 1) });
    renderApp('/connections?queue=1&status=DONE');
    const row = await screen.findByTestId('work-item-wi-5');
    expect(screen.getByRole('tab', { name: 'Done' }).getAttribute('aria-selected')).toBe('true');
    expect(within(row).getByText('SalesReceiptAdd')).toBeTruthy();
    expect(within(row).getByText('TXN-5')).toBeTruthy();
    expect(screen.queryByTestId('work-item-detail-wi-5')).toBeNull();

    fireEvent.click(within(row).getByRole('button', { name: 'Details' }));
    const detail = screen.getByTestId('work-item-detail-wi-5');
    const pre = detail.querySelector('pre')!;
    expect(pre.textContent).toBe('<SalesReceiptAddRq><SalesReceiptAdd><RefNumber>1005</RefNumber></SalesReceiptAdd></SalesReceiptAddRq>');
    expect(within(detail).getByText('statusCode=0 statusSeverity=Info TxnID=TXN-5')).toBeTruthy();
    fireEvent.click(within(row).getByRole('button', { name: 'Hide' }));
    expect(screen.queryByTestId('work-item-detail-wi-5')).toBeNull();
  });

  it('refreshes the open queue every 15 seconds, keeping the loaded rows', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const f = qbdBackend({
      connections: [connection('1', 'Main company')],
      work: (call) => {
        const v = variablesOf(call);
        if (v.after === 'w25') return page([workItem(26)], false, 26);
        const items = Array.from({ length: Math.min(Number(v.first), 26) }, (_, i) => workItem(i + 1));
        return page(items.slice(0, v.first === 25 ? 25 : 26), v.first === 25, 26);
      },
    });
    renderApp('/connections?queue=1');
    await screen.findByText('order:shopify:1025');
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByText('order:shopify:1026');

    const before = callsOf(f, 'QbdWorkItems').length;
    act(() => {
      vi.advanceTimersByTime(WORK_REFRESH_MS);
    });
    await waitFor(() => expect(callsOf(f, 'QbdWorkItems')).toHaveLength(before + 1));
    // The refresh asks for everything on screen at once, from the top.
    expect(variablesOf(callsOf(f, 'QbdWorkItems')[before]!)).toEqual({ id: '1', first: 26 });
    await waitFor(() => expect(screen.getByTestId('work-total').textContent).toBe('Showing 26 of 26 items'));

    // Closed, it stops asking.
    fireEvent.click(screen.getByRole('button', { name: 'Hide work queue' }));
    const closed = callsOf(f, 'QbdWorkItems').length;
    act(() => {
      vi.advanceTimersByTime(WORK_REFRESH_MS * 2);
    });
    await waitFor(() => expect(callsOf(f, 'QbdConnections').length).toBeGreaterThan(1));
    expect(callsOf(f, 'QbdWorkItems')).toHaveLength(closed);
  });
});
