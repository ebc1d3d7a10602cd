import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { QuickBooksToShipStationSettings } from '../../graphql/schema';
import { json, mockFetch, operationName, renderInRouter, variablesOf, type Call } from '../../test/helpers';
import { SHIPSTATION_OFF as OFF, SHIPSTATION_STORES as STORES } from '../../test/storeFixtures';
import { ShipStationSyncSettings } from './ShipStationSyncSettings';


function backend(opts: { update?: (call: Call) => Response | undefined } = {}) {
  const testSales: { refNumber: string; state: string; result: string; requestedAt: string; doneAt: string | null }[] = [
    { refNumber: '998', state: 'not_found', result: 'QuickBooks has no sale 998: check the order number.', requestedAt: '2026-12-05T10:00:00Z', doneAt: '2026-12-05T10:05:00Z' },
  ];
  return mockFetch((call) => {
    switch (operationName(call)) {
      case 'ShipStationStores':
        return json({ data: { shipStationStores: STORES } });
      case 'ShipStationTestSales':
        return json({ data: { shipStationTestSales: testSales } });
      case 'SendShipStationTestSales': {
        const { refNumbers } = variablesOf(call) as { refNumbers: string[] };
        for (const r of refNumbers) testSales.unshift({ refNumber: r, state: 'pending', result: '', requestedAt: '2026-12-05T11:00:00Z', doneAt: null });
        return json({ data: { sendShipStationTestSales: testSales.slice(0, refNumbers.length) } });
      }
      case 'UpdateStoreConnection': {
        const custom = opts.update?.(call);
        if (custom) return custom;
        const { input } = variablesOf(call) as { input: { settings: { quickbooksToShipStation: Partial<QuickBooksToShipStationSettings> } } };
        const s = { ...OFF, ...input.settings.quickbooksToShipStation };
        return json({ data: { updateStoreConnection: { id: 'ss-1', settings: { quickbooksToShipStation: s } } } });
      }
    }
    return undefined;
  });
}

function renderSection(settings: QuickBooksToShipStationSettings = OFF) {
  const saved: unknown[] = [];
  renderInRouter(
    <ShipStationSyncSettings
      store={{ id: 'ss-1', name: 'Warehouse', quickBooksConnectionId: 'qb-1', settings: { quickbooksToShipStation: settings } }}
      onSaved={(row) => saved.push(row)}
    />,
  );
  return { saved, section: within(screen.getByTestId('shipstation-sync-settings')) };
}

const updates = (f: { calls: Call[] }) => f.calls.filter((c) => operationName(c) === 'UpdateStoreConnection');

describe('Sync Orders from QuickBooks', () => {
  it('saves every field it shows as the settings input', async () => {
    const f = backend();
    const { saved, section } = renderSection();
    await section.findByRole('option', { name: /Target/ });
    fireEvent.click(section.getByLabelText('Sync orders from QuickBooks to ShipStation'));
    fireEvent.click(section.getByLabelText('Sales orders'));
    fireEvent.click(section.getByLabelText('All sales, whatever their class'));
    expect(section.queryByLabelText('QuickBooks class')).toBeNull();
    fireEvent.change(section.getByLabelText('ShipStation store'), { target: { value: '301' } });
    fireEvent.change(section.getByLabelText('Order status in ShipStation'), { target: { value: 'on_hold' } });
    fireEvent.click(section.getByLabelText('Add the tracking number, carrier and ship date to the QuickBooks sale'));
    fireEvent.click(section.getByLabelText('Add the shipping cost to the QuickBooks sale'));
    fireEvent.change(section.getByLabelText('QuickBooks shipping item'), { target: { value: ' Freight ' } });
    fireEvent.change(section.getByLabelText('Statuses that count as shipped'), { target: { value: 'Shipped, on hold' } });
    fireEvent.click(section.getByRole('button', { name: 'Save Sync Orders from QuickBooks' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(variablesOf(updates(f)[0]!)).toEqual({
      id: 'ss-1',
      input: {
        settings: {
          quickbooksToShipStation: {
            enabled: true,
            txnTypes: ['SALES_RECEIPT', 'INVOICE'],
            classFilter: 'ShipStation',
            allSales: true,
            storeId: 301,
            orderStatus: 'on_hold',
            addTracking: true,
            addShippingCost: true,
            shippingCostAs: 'LINE',
            shippingItem: 'Freight',
            shippedStatuses: ['shipped', 'on_hold'],
          },
        },
      },
    });
    expect(section.getByTestId('shipstation-sync-status').textContent).toMatch(/sent to ShipStation on the next Web Connector run/);
  });

  it('shows problems under their fields and sends nothing', async () => {
    const f = backend();
    const { section } = renderSection({ ...OFF, addTracking: true });
    for (const t of ['Invoices', 'Sales receipts', 'Sales orders']) fireEvent.click(section.getByLabelText(t));
    fireEvent.change(section.getByLabelText('QuickBooks class'), { target: { value: '  ' } });
    fireEvent.change(section.getByLabelText('Statuses that count as shipped'), { target: { value: 'delivered' } });
    fireEvent.click(section.getByRole('button', { name: 'Save Sync Orders from QuickBooks' }));
    expect(await section.findByText('Choose at least one kind of QuickBooks transaction to send.')).toBeTruthy();
    expect(section.getByLabelText('QuickBooks class').getAttribute('aria-invalid')).toBe('true');
    expect(section.getByText(/“delivered” is not a ShipStation status/)).toBeTruthy();
    expect(updates(f)).toHaveLength(0);
  });

  it('puts a server refusal under its field', async () => {
    backend({
      update: () =>
        json({
          errors: [{ message: 'quickbooksToShipStation.shippingItem must be at most 159 characters', extensions: { code: 'BAD_USER_INPUT', field: 'settings' } }],
          data: null,
        }),
    });
    const { section } = renderSection({ ...OFF, addShippingCost: true });
    fireEvent.click(section.getByRole('button', { name: 'Save Sync Orders from QuickBooks' }));
    expect(await section.findByText('must be at most 159 characters')).toBeTruthy();
    expect(section.getByLabelText('QuickBooks shipping item').getAttribute('aria-invalid')).toBe('true');
  });

  it('queues test sales for the next Web Connector run and shows their results', async () => {
    const f = backend();
    const { section } = renderSection();
    expect(await section.findByText('QuickBooks has no sale 998: check the order number.')).toBeTruthy();
    fireEvent.change(section.getByLabelText('QuickBooks order numbers'), { target: { value: '1001, 1002,,1001' } });
    fireEvent.click(section.getByRole('button', { name: 'Send on the next Web Connector run' }));
    expect(await section.findByText('Orders 1001, 1002 will be sent on the next Web Connector run.')).toBeTruthy();
    const send = f.calls.find((c) => operationName(c) === 'SendShipStationTestSales')!;
    expect(variablesOf(send)).toEqual({ connectionId: 'ss-1', refNumbers: ['1001', '1002'] });
    const rows = await section.findByTestId('shipstation-test-sale-rows');
    await waitFor(() => expect(within(rows).getAllByText('Waiting for the next Web Connector run')).toHaveLength(2));
    expect(updates(f)).toHaveLength(0);
  });
});
