import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Role } from '../graphql/schema';
import { callsOf, gqlError, json, mockFetch, onePage, operationName, renderApp, sessionFor, variablesOf, type Call } from '../test/helpers';
import { qbdNode, storeNode } from '../test/storeFixtures';
import { QBO_CONNECT_ERRORS, intuitSignIn } from './QboConnections';

const AUTHORIZE = 'http://127.0.0.1:8080/sim/qbo/connect/oauth2?client_id=AB&state=s1';

function qboNode(id: string, name: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    name,
    realmId: '9341453050298464',
    companyName: 'Sandbox Company_US_1',
    status: 'CONNECTED',
    accessTokenExpiresAt: '2026-12-06T01:00:00Z',
    refreshTokenExpiresAt: '2027-03-16T00:00:00Z',
    lastRefreshAt: '2026-12-06T00:00:00Z',
    lastError: '',
    warning: '',
    createdAt: '2026-12-01T09:00:00Z',
    updatedAt: '2026-12-06T00:00:00Z',
    ...extra,
  };
}

function backend(opts: { role?: Role; qbo?: ReturnType<typeof qboNode>[]; stores?: ReturnType<typeof storeNode>[]; start?: (c: Call) => Response } = {}) {
  const qbo = [...(opts.qbo ?? [])];
  const stores = [...(opts.stores ?? [])];
  return mockFetch((call) => {
    if (call.url === '/auth/session') return json(sessionFor(opts.role ?? 'OWNER'));
    switch (operationName(call)) {
      case 'QbdConnections':
        return json({ data: { quickBooksDesktopConnections: onePage([qbdNode({ id: 'qb-1', name: 'Desktop books' })]) } });
      case 'QboConnections':
        return json({ data: { quickBooksOnlineConnections: onePage(qbo.map((n) => structuredClone(n))) } });
      case 'StoreConnections':
        return json({ data: { storeConnections: onePage(stores.map((n) => structuredClone(n))) } });
      case 'StartQboConnect':
        return opts.start?.(call) ?? json({ data: { startQuickBooksOnlineConnect: { authorizeUrl: AUTHORIZE } } });
      case 'ReconnectQbo':
        return json({ data: { reconnectQuickBooksOnline: { authorizeUrl: AUTHORIZE + '&re=' + String(variablesOf(call).id) } } });
      case 'DisconnectQbo': {
        const n = qbo.find((c) => c.id === variablesOf(call).id)!;
        Object.assign(n, { status: 'DISCONNECTED', accessTokenExpiresAt: null, refreshTokenExpiresAt: null });
        return json({ data: { disconnectQuickBooksOnline: n } });
      }
      case 'UpdateStoreConnection': {
        const s = stores.find((x) => x.id === variablesOf(call).id)!;
        const input = variablesOf(call).input as { quickBooksOnlineConnectionId?: string };
        Object.assign(s, { quickBooksOnlineConnectionId: input.quickBooksOnlineConnectionId ?? null, quickBooksConnectionId: null });
        return json({ data: { updateStoreConnection: s } });
      }
    }
    return undefined;
  });
}

function stubAssign() {
  return vi.spyOn(intuitSignIn, 'open').mockImplementation(() => {});
}

afterEach(() => vi.restoreAllMocks());

describe('QuickBooks Online connections', () => {
  it('shows each company with its token health, warnings and errors', async () => {
    backend({
      qbo: [
        qboNode('7', 'Online books', { warning: 'The QuickBooks Online authorization expires in 9 days and cannot be renewed automatically.' }),
        qboNode('8', 'Old books', { status: 'RECONNECT_NEEDED', lastError: 'QuickBooks Online refused the saved authorization. Click Reconnect.' }),
      ],
    });
    renderApp('/connections');
    const card = await screen.findByTestId('qbo-connection-7');
    expect(within(card).getByRole('heading', { name: 'Online books' })).toBeTruthy();
    expect(within(card).getByTestId('qbo-status').textContent).toBe('Connected');
    expect(within(card).getByText('9341453050298464')).toBeTruthy();
    expect(within(card).getByTestId('qbo-access-expires').querySelector('time')!.getAttribute('dateTime')).toBe('2026-12-06T01:00:00Z');
    expect(within(card).getByTestId('qbo-refresh-expires').querySelector('time')!.getAttribute('dateTime')).toBe('2027-03-16T00:00:00Z');
    expect(within(card).getByTestId('qbo-warning').textContent).toMatch(/expires in 9 days/);
    const old = screen.getByTestId('qbo-connection-8');
    expect(within(old).getByTestId('qbo-status').textContent).toBe('Reconnect needed');
    expect(within(old).getByTestId('qbo-last-error').textContent).toMatch(/Click Reconnect/);
  });

  it('Connect to QuickBooks opens Intuit’s sign-in the server made for this session', async () => {
    const f = backend();
    renderApp('/connections');
    expect((await screen.findByTestId('qbo-empty')).textContent).toMatch(/No QuickBooks Online company yet/);
    const assign = stubAssign();
    fireEvent.click(screen.getByRole('button', { name: 'Connect to QuickBooks' }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith(AUTHORIZE));
    expect(callsOf(f, 'StartQboConnect')).toHaveLength(1);
  });

  it('says why connecting failed when the server refuses to start', async () => {
    backend({ start: () => gqlError('QuickBooks Online is not set up on this server: set LEDGERLINK_QBO_CLIENT_ID.', 'BAD_USER_INPUT') });
    renderApp('/connections');
    fireEvent.click(await screen.findByRole('button', { name: 'Connect to QuickBooks' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/not set up on this server/);
  });

  it('shows the outcome of the sign-in the browser came back from', async () => {
    backend({ qbo: [qboNode('7', 'Online books')] });
    renderApp('/connections?qbo=connected&qboId=7');
    await waitFor(() => expect(screen.getByTestId('qbo-outcome').textContent).toBe('QuickBooks Online company “Online books” is connected.'));
  });

  it.each(Object.keys(QBO_CONNECT_ERRORS))('explains qbo_error=%s in plain words', async (code) => {
    backend();
    renderApp(`/connections?qbo_error=${code}`);
    const outcome = await screen.findByTestId('qbo-outcome');
    expect(outcome.getAttribute('role')).toBe('alert');
    expect(outcome.textContent).toBe(QBO_CONNECT_ERRORS[code]);
  });

  it('Reconnect opens the sign-in for that company', async () => {
    backend({ qbo: [qboNode('8', 'Old books', { status: 'RECONNECT_NEEDED' })] });
    renderApp('/connections');
    const card = await screen.findByTestId('qbo-connection-8');
    const assign = stubAssign();
    fireEvent.click(within(card).getByRole('button', { name: 'Reconnect' }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith(AUTHORIZE + '&re=8'));
  });

  it('Disconnect asks first, then revokes and shows the company disconnected', async () => {
    const f = backend({ qbo: [qboNode('7', 'Online books')] });
    renderApp('/connections');
    const card = await screen.findByTestId('qbo-connection-7');
    fireEvent.click(within(card).getByRole('button', { name: 'Disconnect' }));
    expect(callsOf(f, 'DisconnectQbo')).toHaveLength(0);
    expect(within(card).getByText(/revoked at Intuit/)).toBeTruthy();
    fireEvent.click(within(card).getByRole('button', { name: 'Yes, disconnect' }));
    await waitFor(() => expect(within(screen.getByTestId('qbo-connection-7')).getByTestId('qbo-status').textContent).toBe('Disconnected'));
    expect(variablesOf(callsOf(f, 'DisconnectQbo')[0]!)).toEqual({ id: '7' });
  });

  it('members see the companies but cannot connect or disconnect', async () => {
    backend({ role: 'MEMBER', qbo: [qboNode('7', 'Online books')] });
    renderApp('/connections');
    const card = await screen.findByTestId('qbo-connection-7');
    expect(within(card).queryByRole('button', { name: 'Disconnect' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Connect to QuickBooks' })).toBeNull();
  });

  it('a store’s settings choose a Desktop or an Online company', async () => {
    const f = backend({ qbo: [qboNode('7', 'Online books')], stores: [storeNode('1', { name: 'Acme Shopify' })] });
    renderApp('/connections');
    const card = await screen.findByTestId('store-connection-1');
    await screen.findByTestId('qbo-connection-7');
    fireEvent.click(within(card).getByRole('button', { name: 'Settings' }));
    const form = within(within(card).getByRole('form', { name: 'Store settings' }));
    const select = form.getByLabelText('QuickBooks company') as HTMLSelectElement;
    expect(select.value).toBe('qbd:qb-1');
    expect([...select.querySelectorAll('optgroup')].map((g) => [g.label, [...g.querySelectorAll('option')].map((o) => o.textContent)])).toEqual([
      ['QuickBooks Desktop', ['Desktop books']],
      ['QuickBooks Online', ['Online books']],
    ]);
    fireEvent.change(select, { target: { value: 'qbo:7' } });
    fireEvent.click(form.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(callsOf(f, 'UpdateStoreConnection')).toHaveLength(1));
    const input = variablesOf(callsOf(f, 'UpdateStoreConnection')[0]!).input as Record<string, unknown>;
    expect(input.quickBooksOnlineConnectionId).toBe('7');
    expect(input).not.toHaveProperty('quickBooksConnectionId');
    await waitFor(() => expect(within(screen.getByTestId('store-connection-1')).getByTestId('store-qbd').textContent).toBe('Online books (QuickBooks Online)'));
  });
});
