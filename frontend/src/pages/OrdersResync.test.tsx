import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, mockFetch, operationName, renderApp, sessionFor, variablesOf } from '../test/helpers';

const COUNTS = { pending: 0, ready: 0, sent: 0, posted: 1, error: 1, needsMapping: 1, skippedDuplicate: 0, excluded: 0 };

const order = (id: string, state: string) => ({
  cursor: id,
  node: {
    id, number: `10${id}`, channel: 'shopify', customerName: 'Ana', total: '10.00', currency: 'USD', state,
    stateReason: '', storeCreatedAt: null, changedAfterPost: false,
  },
});

function backend() {
  return mockFetch((call) => {
    if (call.url === '/auth/session') return json(sessionFor('OWNER'));
    switch (operationName(call)) {
      case 'Orders':
        return json({ data: { orders: { edges: [order('1', 'POSTED'), order('2', 'ERROR'), order('3', 'NEEDS_MAPPING')],
          pageInfo: { hasNextPage: false, endCursor: '3' }, totalCount: 3 } } });
      case 'OrderStateCounts':
        return json({ data: { orderStateCounts: COUNTS } });
      case 'ResyncOrders':
        return json({ data: { resyncOrders: (variablesOf(call).ids as string[]).map((id) => ({ id, state: 'READY', stateReason: 'Queued' })) } });
    }
    return undefined;
  });
}

describe('orders: bulk resync', () => {
  it('offers only orders that can be resynced and sends the selected ids', async () => {
    const f = backend();
    renderApp('/orders');
    await screen.findByText('102');
    expect(screen.queryByLabelText('Select order 101')).toBeNull(); // posted: never posted again
    fireEvent.click(screen.getByLabelText('Select order 102'));
    fireEvent.click(screen.getByLabelText('Select order 103'));
    fireEvent.click(screen.getByTestId('resync-selected'));
    await waitFor(() => expect(screen.getByTestId('resync-result').textContent).toContain('2 orders resynced: 2 queued'));
    const sent = f.calls.find((c) => operationName(c) === 'ResyncOrders');
    expect(sent && variablesOf(sent).ids).toEqual(['2', '3']);
  });

  it('selects all resyncable orders at once', async () => {
    backend();
    renderApp('/orders');
    await screen.findByText('102');
    fireEvent.click(screen.getByLabelText('Select all orders that can be resynced'));
    expect(screen.getByTestId('resync-selected').textContent).toContain('(2)');
  });
});
