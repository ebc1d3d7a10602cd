import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { callsOf, json, mockFetch, onePage, operationName, renderInRouter, variablesOf } from '../../test/helpers';
import { ShipmentsBackList, ShipStationActivity, ShipStationExportsList } from './ShipStationLists';


const sent = {
  id: 'e1', txnType: 'INVOICE', txnId: '1A-1', refNumber: '1001', txnDate: '2026-12-01', customer: 'Jane Doe', orderKey: 'qb-1-1001',
  shipStationOrderId: '987654', shipStationStoreId: 0, shipStationStatus: 'awaiting_shipment', state: 'sent', result: 'Created in ShipStation.',
  test: false, sentAt: '2026-12-01T10:00:00Z', updatedAt: '2026-12-01T10:00:00Z',
};
const parked = {
  ...sent, id: 'e2', txnType: 'SALES_RECEIPT', refNumber: '1002', shipStationOrderId: null, shipStationStatus: '', state: 'parked',
  result: 'Line 2 has quantity 1.5: ShipStation takes whole quantities. Change the quantity in QuickBooks, then Resend.', test: true, sentAt: null,
};

describe('Sent to ShipStation', () => {
  it('lists the sales with their result, filters by state, and resends a parked one', async () => {
    const f = mockFetch((call) => {
      switch (operationName(call)) {
        case 'ShipStationExports': {
          const { state } = variablesOf(call) as { state: string | null };
          return json({ data: { shipStationExports: onePage([sent, parked].filter((e) => !state || e.state === state)) } });
        }
        case 'ResendShipStationExport':
          return json({ data: { resendShipStationExport: { ...parked, state: 'resend', result: 'To be read again from QuickBooks on the next Web Connector run and sent to ShipStation as it is then.' } } });
      }
      return undefined;
    });
    renderInRouter(<ShipStationExportsList connectionId="ss-1" />);
    const row1 = await screen.findByTestId('shipstation-export-e1');
    expect(row1.textContent).toContain('1001');
    expect(row1.textContent).toContain('Invoice');
    expect(row1.textContent).toContain('2026-12-01');
    expect(row1.textContent).toContain('987654 · Awaiting shipment');
    expect(within(row1).queryByRole('button', { name: 'Resend' })).toBeNull();
    const row2 = screen.getByTestId('shipstation-export-e2');
    expect(row2.textContent).toContain('1002 (test)');
    expect(row2.textContent).toContain('ShipStation takes whole quantities');
    expect(screen.getByText('Showing 2 of 2 sales')).toBeTruthy();

    fireEvent.click(screen.getByRole('tab', { name: 'Not sent' }));
    await waitFor(() => expect(screen.queryByTestId('shipstation-export-e1')).toBeNull());
    expect(variablesOf(callsOf(f, 'ShipStationExports').at(-1)!)).toMatchObject({ connectionId: 'ss-1', state: 'parked' });

    fireEvent.click(within(screen.getByTestId('shipstation-export-e2')).getByRole('button', { name: 'Resend' }));
    await waitFor(() => expect(screen.getByTestId('shipstation-export-e2').textContent).toContain('To be read again from QuickBooks'));
    expect(screen.getByTestId('shipstation-export-e2').textContent).toContain('Waiting for the next Web Connector run (read again, then sent)');
    expect(within(screen.getByTestId('shipstation-export-e2')).queryByRole('button', { name: 'Resend' })).toBeNull();
    expect(variablesOf(callsOf(f, 'ResendShipStationExport')[0]!)).toEqual({ id: 'e2' });
  });
});

describe('Shipments back to QuickBooks', () => {
  it('shows the webhook and poll line and each shipment with its QuickBooks sale and state', async () => {
    const f = mockFetch((call) => {
      if (operationName(call) !== 'ShipmentsBack') return undefined;
      return json({
        data: {
          shipmentsBack: onePage([
            {
              id: 's1', source: 'SHIPMENT', sourceId: '5550001', orderNumber: '1001', quickBooksTxnType: 'Invoice', quickBooksTxnId: '1A-1',
              trackingNumber: '1Z999AA10123456784', carrier: 'ups', service: 'UPS® Ground', shipDate: '2026-12-02', cost: '12.34',
              status: 'APPLIED', message: '', hint: '', createdAt: '2026-12-02T18:00:00Z', appliedAt: '2026-12-02T18:10:00Z', voidedAt: null,
            },
            {
              id: 's2', source: 'SHIPMENT', sourceId: '5550002', orderNumber: '1003', quickBooksTxnType: 'SalesReceipt', quickBooksTxnId: '1A-3',
              trackingNumber: '9400111899223197428490', carrier: 'stamps_com', service: 'USPS Priority Mail', shipDate: '2026-12-02', cost: '8.10',
              status: 'FAILED', message: 'QuickBooks has no item “Freight”.', hint: 'Create the item in QuickBooks or change the shipping item in the settings.',
              createdAt: '2026-12-02T18:00:00Z', appliedAt: null, voidedAt: null,
            },
          ]),
          shipmentsBackState: {
            on: true, offReason: '', webhookRegistered: false, webhookError: 'ShipStation answered 401', lastWebhookAt: null,
            lastPollAt: new Date(Date.now() - 5 * 60_000).toISOString(), lastPollError: '',
          },
        },
      });
    });
    renderInRouter(<ShipmentsBackList connectionId="ss-1" />);
    const r1 = await screen.findByTestId('shipment-back-s1');
    expect(r1.textContent).toContain('1Z999AA10123456784');
    expect(r1.textContent).toContain('ups · UPS® Ground');
    expect(r1.textContent).toContain('12.34');
    expect(r1.textContent).toContain('Invoice 1A-1');
    expect(r1.textContent).toContain('Written to QuickBooks');
    const r2 = screen.getByTestId('shipment-back-s2');
    expect(r2.textContent).toContain('Sales receipt 1A-3');
    expect(r2.textContent).toContain('QuickBooks has no item “Freight”.');
    expect(r2.textContent).toContain('Create the item in QuickBooks');
    const line = screen.getByTestId('shipments-back-state').textContent!;
    expect(line).toContain('Shipments come back to QuickBooks');
    expect(line).toContain('No ShipStation webhook (ShipStation answered 401); polling brings shipments back');
    expect(line).toContain('no delivery yet');
    expect(line).toMatch(/last poll /);
    fireEvent.click(screen.getByRole('tab', { name: 'Failed' }));
    await waitFor(() => expect(variablesOf(f.calls.at(-1)!)).toMatchObject({ storeConnectionId: 'ss-1', status: 'FAILED' }));
  });
});

describe('Orders from QuickBooks on the store card', () => {
  it('reads nothing until opened, then shows both lists', async () => {
    const f = mockFetch((call) => {
      switch (operationName(call)) {
        case 'ShipStationExports':
          return json({ data: { shipStationExports: onePage([sent]) } });
        case 'ShipmentsBack':
          return json({
            data: {
              shipmentsBack: onePage([]),
              shipmentsBackState: { on: false, offReason: 'the direction is off', webhookRegistered: false, webhookError: '', lastWebhookAt: null, lastPollAt: null, lastPollError: '' },
            },
          });
      }
      return undefined;
    });
    renderInRouter(<ShipStationActivity connectionId="ss-1" enabled={false} />);
    expect(screen.getByText(/Sync Orders from QuickBooks is off/)).toBeTruthy();
    expect(f.calls).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Orders from QuickBooks' }));
    expect(await screen.findByTestId('shipstation-export-e1')).toBeTruthy();
    expect((await screen.findByTestId('shipments-back-state')).textContent).toContain('Shipments do not come back to QuickBooks: the direction is off');
    expect(screen.getByTestId('shipments-back-empty')).toBeTruthy();
  });
});
