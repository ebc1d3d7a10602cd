import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { QuickBooksToShipStationSettings } from '../../graphql/schema';
import { callsOf, gqlError, json, mockFetch, operationName, renderInRouter, variablesOf, type Call } from '../../test/helpers';
import { qbdNode, SHIPSTATION_OFF as OFF, SHIPSTATION_STORES as STORES, storeNode as store, type StoreNode } from '../../test/storeFixtures';
import type { QbdOption } from '../StoreFields';
import { DIRECTION_REQUIRED, PAIRING_POLL_MS, ShipStationWizard, type ShipStationWizardProps } from './ShipStationWizard';


const CONNECTED_AT = '2026-12-05T09:30:00Z';

function shipStation(id: string, extra: Partial<StoreNode> = {}, settings: Partial<QuickBooksToShipStationSettings> = {}): StoreNode {
  const base = store(id, { channel: 'SHIPSTATION', name: `ShipStation ${id}`, baseUrl: 'https://ssapi.shipstation.com', ...extra });
  return { ...base, settings: { ...base.settings, quickbooksToShipStation: { ...OFF, ...settings } } as StoreNode['settings'] };
}

interface BackendOptions {
  /** Last contact of each QuickBooks company, changed by the test to make the Web Connector call. */
  contact?: Record<string, string | null>;
  create?: (call: Call) => Response | undefined;
  update?: (call: Call) => Response | undefined;
  /** The connection test's answer (default: ok). */
  check?: (call: Call) => { ok: boolean; field: string | null; message: string };
}

function backend(opts: BackendOptions = {}) {
  const contact = opts.contact ?? {};
  const tests: { refNumber: string; state: string; result: string; requestedAt: string; doneAt: string | null }[] = [];
  let row: StoreNode | null = null;
  const f = mockFetch((call) => {
    const vars = variablesOf(call);
    switch (operationName(call)) {
      case 'CheckStoreCredentials':
        return json({ data: { checkStoreCredentials: opts.check?.(call) ?? { ok: true, field: null, message: '' } } });
      case 'CreateStoreConnection': {
        const custom = opts.create?.(call);
        if (custom) return custom;
        const input = vars.input as { name: string; baseUrl: string; enabled: boolean };
        row = shipStation('ss-new', { name: input.name, baseUrl: input.baseUrl, enabled: input.enabled, quickBooksConnectionId: null });
        return json({ data: { createStoreConnection: row } });
      }
      case 'UpdateStoreConnection': {
        const custom = opts.update?.(call);
        if (custom) return custom;
        const input = vars.input as { quickBooksConnectionId: string; enabled: boolean; settings: { quickbooksToShipStation: Partial<QuickBooksToShipStationSettings> } };
        const s = { ...OFF, ...input.settings.quickbooksToShipStation };
        const saved = shipStation(vars.id as string, { name: row?.name ?? 'ShipStation', enabled: input.enabled, quickBooksConnectionId: input.quickBooksConnectionId }, s);
        return json({ data: { updateStoreConnection: saved } });
      }
      case 'ShipStationStores':
        return json({ data: { shipStationStores: STORES } });
      case 'QbdConnectionContact': {
        const id = vars.id as string;
        return json({ data: { quickBooksDesktopConnection: { id, name: id === 'qb-3' ? 'New company' : 'Main company', lastContactAt: contact[id] ?? null, qbxmlVersion: '13.0', qwc: '<QBWCXML/>' } } });
      }
      case 'CreateQbdConnection': {
        const input = vars.input as { name: string };
        return json({ data: { createQuickBooksDesktopConnection: { password: 'wc-pass-123', connection: { ...qbdNode({ id: 'qb-3', name: input.name }), qbxmlVersion: '' } } } });
      }
      case 'SendShipStationTestSales': {
        for (const r of vars.refNumbers as string[]) tests.unshift({ refNumber: r, state: 'pending', result: '', requestedAt: '2026-12-05T11:00:00Z', doneAt: null });
        return json({ data: { sendShipStationTestSales: tests } });
      }
      case 'ShipStationTestSales':
        return json({ data: { shipStationTestSales: tests } });
    }
    return undefined;
  });
  return { ...f, tests };
}

function renderWizard(stores: StoreNode[], companies: QbdOption[], connectionId?: string) {
  const events = { companyAdded: 0, changed: 0, closed: 0 };
  renderInRouter(
    <ShipStationWizard
      stores={stores as unknown as ShipStationWizardProps['stores']}
      qbdConnections={companies}
      connectionId={connectionId}
      onCompanyAdded={() => events.companyAdded++}
      onChanged={() => events.changed++}
      onClose={() => events.closed++}
    />,
  );
  return events;
}

const wizard = () => within(screen.getByTestId('shipstation-wizard'));
const next = () => fireEvent.click(wizard().getByRole('button', { name: /^(Next|Finish|Check and connect)$/ }));
const atStep = (n: number | 'done') => waitFor(() => expect(screen.getByTestId('shipstation-wizard').dataset.step).toBe(String(n)));

describe('ShipStation set-up wizard', () => {
  it('connects a new ShipStation account paused, checks each step, and saves it all on Finish with the test sales', async () => {
    const f = backend({ contact: { 'qb-1': CONNECTED_AT } });
    const events = renderWizard([store('shop-1')], [{ id: 'qb-1', name: 'Main company', lastContactAt: CONNECTED_AT }]);

    // 1: no ShipStation connection yet, so a new one; the key and secret are required.
    expect(((wizard().getByLabelText('Use a ShipStation connection I already have')) as HTMLInputElement).disabled).toBe(true);
    expect(((wizard().getByLabelText('API URL')) as HTMLInputElement).value).toBe('https://ssapi.shipstation.com');
    next();
    expect(await wizard().findByText('Enter the API key.')).toBeTruthy();
    expect(callsOf(f, 'CreateStoreConnection')).toHaveLength(0);
    fireEvent.change(wizard().getByLabelText('API key'), { target: { value: 'key-1' } });
    fireEvent.change(wizard().getByLabelText('API secret'), { target: { value: 'secret-1' } });
    next();
    await atStep(2);
    expect(variablesOf(callsOf(f, 'CreateStoreConnection')[0]!).input).toEqual({
      channel: 'SHIPSTATION',
      name: 'ShipStation',
      baseUrl: 'https://ssapi.shipstation.com',
      credentials: { apiKey: 'key-1', apiSecret: 'secret-1' },
      enabled: false,
    });
    expect(events.changed).toBe(1);
    expect((wizard().getByTestId('wizard-paused')).textContent).toContain('stays paused until you finish');

    // 2: the direction must be chosen.
    next();
    expect(await wizard().findByText(DIRECTION_REQUIRED)).toBeTruthy();
    fireEvent.click(wizard().getByLabelText('Sync orders from QuickBooks to ShipStation'));
    next();
    await atStep(3);

    // 3: a company that connected before is said to be paired.
    await waitFor(() => expect(wizard().getByTestId('pairing-status').dataset.state).toBe('before'));
    expect((wizard().getByTestId('pairing-status')).textContent).toContain('“Main company” has connected before');
    next();
    await atStep(4);

    // 4: at least one kind of transaction; tracking back with the shipped statuses.
    for (const label of ['Invoices', 'Sales receipts', 'Sales orders']) fireEvent.click(wizard().getByLabelText(label));
    next();
    expect(await wizard().findByText('Choose at least one kind of QuickBooks transaction to send.')).toBeTruthy();
    fireEvent.click(wizard().getByLabelText('Invoices'));
    fireEvent.click(wizard().getByLabelText('Sales orders'));
    fireEvent.click(wizard().getByLabelText('Add the tracking number, carrier and ship date to the QuickBooks sale'));
    fireEvent.change(wizard().getByLabelText('Statuses that count as shipped'), { target: { value: 'shipped, delivered' } });
    next();
    expect(await wizard().findByText(/“delivered” is not a ShipStation status/)).toBeTruthy();
    fireEvent.change(wizard().getByLabelText('Statuses that count as shipped'), { target: { value: 'Shipped' } });
    next();
    await atStep(5);

    // 5: the class filter, the store from ShipStation, and the exclusion rules' links.
    fireEvent.change(wizard().getByLabelText('QuickBooks class'), { target: { value: ' ' } });
    next();
    expect(await wizard().findByText(/Enter the QuickBooks class of the sales to send/)).toBeTruthy();
    fireEvent.change(wizard().getByLabelText('QuickBooks class'), { target: { value: 'Ship Me' } });
    await wizard().findByRole('option', { name: /Target/ });
    fireEvent.change(wizard().getByLabelText('ShipStation store'), { target: { value: '301' } });
    expect((wizard().getByRole('link', { name: 'create an exclusion rule' })).getAttribute('href')).toBe('/rules/new?template=shipstation-exclude');
    expect((wizard().getByRole('link', { name: 'see the QuickBooks → ShipStation rules' })).getAttribute('href')).toBe('/rules?pipeline=QUICKBOOKS_TO_SHIPSTATION');
    next();
    await atStep(6);

    // 6: optional test sales, checked like the section's box.
    fireEvent.change(wizard().getByLabelText('QuickBooks order numbers'), { target: { value: '1001, 123456789012' } });
    next();
    expect(await wizard().findByText(/“123456789012” is longer than QuickBooks’ 11-character order numbers/)).toBeTruthy();
    expect(callsOf(f, 'UpdateStoreConnection')).toHaveLength(0);
    fireEvent.change(wizard().getByLabelText('QuickBooks order numbers'), { target: { value: '1001, 1002' } });
    next();
    await atStep('done');

    expect(variablesOf(callsOf(f, 'UpdateStoreConnection')[0]!)).toEqual({
      id: 'ss-new',
      input: {
        quickBooksConnectionId: 'qb-1',
        enabled: true,
        settings: {
          quickbooksToShipStation: {
            enabled: true,
            txnTypes: ['INVOICE', 'SALES_ORDER'],
            classFilter: 'Ship Me',
            allSales: false,
            storeId: 301,
            orderStatus: 'awaiting_shipment',
            addTracking: true,
            addShippingCost: false,
            shippingCostAs: 'LINE',
            shippingItem: 'Shipping',
            shippedStatuses: ['shipped'],
          },
        },
      },
    });
    expect(variablesOf(callsOf(f, 'SendShipStationTestSales')[0]!)).toEqual({ connectionId: 'ss-new', refNumbers: ['1001', '1002'] });
    expect((screen.getByTestId('shipstation-wizard-done')).textContent).toContain('sends the QuickBooks sales of class Ship Me of “Main company” to ShipStation');
    const rows = await screen.findByTestId('shipstation-test-sale-rows');
    expect(within(rows).getAllByRole('row').map((r) => r.textContent)).toEqual([
      expect.stringContaining('Order'),
      expect.stringContaining('1002Waiting for the next Web Connector run'),
      expect.stringContaining('1001Waiting for the next Web Connector run'),
    ]);
    fireEvent.click(wizard().getByRole('button', { name: 'Close' }));
    expect(events.closed).toBe(1);
  });

  it('reuses a ShipStation connection with its settings and shows live when the new company’s first Web Connector session arrives', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const contact: Record<string, string | null> = { 'qb-1': CONNECTED_AT, 'qb-3': null };
    const f = backend({ contact });
    const mine = shipStation('ss-9', { name: 'Warehouse' }, { enabled: true, classFilter: 'Ship', storeId: 301 });
    const events = renderWizard([shipStation('ss-8'), mine], [{ id: 'qb-1', name: 'Main company', lastContactAt: CONNECTED_AT }], 'ss-9');

    expect(((wizard().getByLabelText('ShipStation connection')) as HTMLInputElement).value).toBe('ss-9');
    next();
    await atStep(2);
    expect(((wizard().getByLabelText('Sync orders from QuickBooks to ShipStation')) as HTMLInputElement).checked).toBe(true);
    expect(callsOf(f, 'CreateStoreConnection')).toHaveLength(0);
    next();
    await atStep(3);

    // A new company: added here, its password shown once, then waiting for its Web Connector.
    fireEvent.click(wizard().getByLabelText('Add a QuickBooks Desktop company'));
    next();
    expect(await wizard().findByText(/Add the company first/)).toBeTruthy();
    fireEvent.change(wizard().getByLabelText('Connection name'), { target: { value: 'New company' } });
    fireEvent.click(wizard().getByRole('button', { name: 'Add connection' }));
    expect(await screen.findByTestId('qbd-password-value')).toBeTruthy();
    expect(events.companyAdded).toBe(1);
    expect((wizard().getByTestId('company-change-warning')).textContent).toContain('“Warehouse” posts its ShipStation orders to “Main company” today; from Finish on they go to “New company”.');
    await waitFor(() => expect(wizard().getByTestId('pairing-status').dataset.state).toBe('waiting'));
    expect((wizard().getByTestId('pairing-status')).textContent).toContain('Waiting for the first Web Connector session');

    // The Web Connector calls while the step is open.
    contact['qb-3'] = '2026-12-05T10:15:00Z';
    const before = callsOf(f, 'QbdConnectionContact').length;
    act(() => {
      vi.advanceTimersByTime(PAIRING_POLL_MS);
    });
    await waitFor(() => expect(wizard().getByTestId('pairing-status').dataset.state).toBe('live'));
    expect(callsOf(f, 'QbdConnectionContact').length).toBe(before + 1);
    expect((wizard().getByTestId('pairing-status')).textContent).toContain('Connected: the Web Connector of “New company” called at');

    next();
    await atStep(4);
    // Leaving the step stops asking.
    const asked = callsOf(f, 'QbdConnectionContact').length;
    act(() => {
      vi.advanceTimersByTime(PAIRING_POLL_MS * 3);
    });
    expect(callsOf(f, 'QbdConnectionContact').length).toBe(asked);
    next();
    await atStep(5);
    expect(((wizard().getByLabelText('QuickBooks class')) as HTMLInputElement).value).toBe('Ship');
    next();
    await atStep(6);
    next();
    await atStep('done');
    const input = variablesOf(callsOf(f, 'UpdateStoreConnection')[0]!).input as { quickBooksConnectionId: string; settings: { quickbooksToShipStation: QuickBooksToShipStationSettings } };
    expect(input.quickBooksConnectionId).toBe('qb-3');
    expect(input.settings.quickbooksToShipStation).toMatchObject({ enabled: true, classFilter: 'Ship', storeId: 301 });
    expect(callsOf(f, 'SendShipStationTestSales')).toHaveLength(0);
  });

  it('keeps refusals where they belong: bad credentials on step 1, a refused setting back on its step', async () => {
    let refuseCreate = true;
    const f = backend({
      contact: { 'qb-1': CONNECTED_AT },
      create: () =>
        refuseCreate
          ? json({ errors: [{ message: 'The store did not accept these credentials: 401 Unauthorized', extensions: { code: 'BAD_USER_INPUT', field: 'credentials' } }], data: null })
          : undefined,
      update: () =>
        json({
          errors: [{ message: 'quickbooksToShipStation.shippingItem: no such item in QuickBooks', extensions: { code: 'BAD_USER_INPUT', field: 'settings' } }],
          data: null,
        }),
    });
    renderWizard([], [{ id: 'qb-1', name: 'Main company', lastContactAt: CONNECTED_AT }]);
    fireEvent.change(wizard().getByLabelText('API key'), { target: { value: 'key-1' } });
    fireEvent.change(wizard().getByLabelText('API secret'), { target: { value: 'wrong' } });
    next();
    expect(await wizard().findByText('The store did not accept these credentials: 401 Unauthorized')).toBeTruthy();
    expect(screen.getByTestId('shipstation-wizard').dataset.step).toBe('1');
    expect((wizard().getByLabelText('API key')).getAttribute('aria-invalid')).toBe('true');

    refuseCreate = false;
    fireEvent.change(wizard().getByLabelText('API secret'), { target: { value: 'secret-1' } });
    next();
    await atStep(2);
    fireEvent.click(wizard().getByLabelText('Sync orders from QuickBooks to ShipStation'));
    next();
    await atStep(3);
    next();
    await atStep(4);
    fireEvent.click(wizard().getByLabelText('Add the shipping cost to the QuickBooks sale'));
    next();
    await atStep(5);
    next();
    await atStep(6);
    next();
    // Back on step 4, the refusal under the shipping item; nothing else was sent.
    await atStep(4);
    expect(await wizard().findByText('no such item in QuickBooks')).toBeTruthy();
    expect((wizard().getByLabelText('QuickBooks shipping item')).getAttribute('aria-invalid')).toBe('true');
    expect(callsOf(f, 'SendShipStationTestSales')).toHaveLength(0);
    expect(callsOf(f, 'CreateStoreConnection')).toHaveLength(2);
  });

  it('shows the connection test’s refusal under the field it concerns, as the Add store wizard does', async () => {
    const REFUSED = 'ShipStation did not accept this API key and secret. Copy both again from ShipStation’s Settings › Account › API Settings.';
    const NO_HOST = 'There is no server named ssapi.shipstaton.com. Check the address for a typing mistake.';
    let reply = { ok: false, field: 'apiSecret' as string | null, message: REFUSED };
    const f = backend({ check: () => reply });
    renderWizard([], []);
    fireEvent.change(wizard().getByLabelText('API key'), { target: { value: 'key-1' } });
    fireEvent.change(wizard().getByLabelText('API secret'), { target: { value: 'wrong' } });
    next();

    // A refused secret: under the API secret only, and nothing is added.
    const alert = await wizard().findByRole('alert');
    expect(alert.textContent).toBe(REFUSED);
    const secret = wizard().getByLabelText('API secret');
    expect(secret.getAttribute('aria-invalid')).toBe('true');
    expect(secret.getAttribute('aria-describedby')).toBe(alert.id);
    expect(wizard().getByLabelText('API key').getAttribute('aria-invalid')).toBeNull();
    expect(wizard().getAllByRole('alert')).toHaveLength(1);
    expect(variablesOf(callsOf(f, 'CheckStoreCredentials')[0]!)).toEqual({
      input: { channel: 'SHIPSTATION', baseUrl: 'https://ssapi.shipstation.com', credentials: { apiKey: 'key-1', apiSecret: 'wrong' } },
    });
    expect(callsOf(f, 'CreateStoreConnection')).toHaveLength(0);

    // An address nobody answers at: under the address.
    reply = { ok: false, field: 'baseUrl', message: NO_HOST };
    fireEvent.change(wizard().getByLabelText('API URL'), { target: { value: 'https://ssapi.shipstaton.com' } });
    next();
    const urlAlert = await wizard().findByText(NO_HOST);
    const url = wizard().getByLabelText('API URL');
    expect(url.getAttribute('aria-invalid')).toBe('true');
    expect(url.getAttribute('aria-describedby')).toBe(urlAlert.id);
    expect(wizard().getByLabelText('API secret').getAttribute('aria-invalid')).toBeNull();

    // A missing secret: under the secret, without a test.
    fireEvent.change(secret, { target: { value: '' } });
    next();
    const missing = await wizard().findByText('Enter the API secret.');
    expect(wizard().getByLabelText('API secret').getAttribute('aria-describedby')).toBe(missing.id);
    expect(wizard().getByLabelText('API key').getAttribute('aria-invalid')).toBeNull();
    expect(callsOf(f, 'CheckStoreCredentials')).toHaveLength(2);

    // Accepted: the connection is added.
    reply = { ok: true, field: null, message: '' };
    fireEvent.change(wizard().getByLabelText('API secret'), { target: { value: 'secret-1' } });
    next();
    await atStep(2);
    expect(callsOf(f, 'CreateStoreConnection')).toHaveLength(1);
  });

  it('says a refused owner-only step in plain words', async () => {
    backend({ create: () => gqlError('forbidden', 'FORBIDDEN') });
    renderWizard([], []);
    fireEvent.change(wizard().getByLabelText('API key'), { target: { value: 'key-1' } });
    fireEvent.change(wizard().getByLabelText('API secret'), { target: { value: 'secret-1' } });
    next();
    expect(await wizard().findByText('Only the account owner can connect ShipStation.')).toBeTruthy();
  });
});
