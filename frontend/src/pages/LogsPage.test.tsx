import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, mockFetch, operationName, renderApp, sessionFor, variablesOf, type Call } from '../test/helpers';

function logLine(n: number, level = 'ERROR') {
  return {
    cursor: `c${n}`,
    node: {
      id: `log-${n}`,
      level,
      source: 'orders',
      message: `Order #${n} could not be posted`,
      hint: n % 2 ? 'Map the product to a QuickBooks item.' : null,
      orderId: n % 2 ? String(100 + n) : null,
      createdAt: '2026-11-20T10:00:00Z',
    },
  };
}

/** A signed-in owner whose Logs queries are answered by `answer`. */
function logsBackend(answer: (call: Call) => unknown) {
  return mockFetch((call) => {
    if (call.url === '/auth/session') return json(sessionFor('OWNER'));
    if (operationName(call) === 'Logs') return json({ data: { logs: answer(call) } });
    return undefined;
  });
}

const logsCalls = (f: ReturnType<typeof mockFetch>) => f.calls.filter((c) => operationName(c) === 'Logs');

describe('logs page', () => {
  it('shows lines with level, source, message, hint and the total', async () => {
    logsBackend(() => ({ edges: [logLine(1), logLine(2, 'WARNING')], pageInfo: { hasNextPage: false, endCursor: 'c2' }, totalCount: 2 }));
    renderApp('/logs');
    await screen.findByText('Order #1 could not be posted');
    expect(screen.getByText('Map the product to a QuickBooks item.')).toBeTruthy();
    expect(screen.getByText('Warning')).toBeTruthy();
    expect(screen.getByTestId('logs-total').textContent).toBe('Showing 2 of 2 lines');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('links a line about an order to that order', async () => {
    logsBackend(() => ({ edges: [logLine(1), logLine(2)], pageInfo: { hasNextPage: false, endCursor: 'c2' }, totalCount: 2 }));
    renderApp('/logs');
    await screen.findByText('Order #1 could not be posted');
    const links = screen.getAllByTestId('log-order-link');
    expect(links.map((a) => [a.textContent, a.getAttribute('href')])).toEqual([['Open the order', '/orders/101']]);
  });

  it('filters by tab, puts the filter in the URL and sends it as the level', async () => {
    const f = logsBackend(() => ({ edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 }));
    renderApp('/logs');
    await screen.findByText(/No log lines yet/);
    expect(variablesOf(logsCalls(f)[0]!)).toEqual({ filter: {}, first: 50 });

    fireEvent.click(screen.getByRole('tab', { name: 'Errors' }));
    await waitFor(() => expect(logsCalls(f)).toHaveLength(2));
    expect(window.location.search).toBe('?level=ERROR');
    expect(variablesOf(logsCalls(f)[1]!)).toEqual({ filter: { level: 'ERROR' }, first: 50 });
    expect(await screen.findByText('No log lines match these filters.')).toBeTruthy();

    fireEvent.click(screen.getByRole('tab', { name: 'Info' }));
    await waitFor(() => expect(logsCalls(f)).toHaveLength(3));
    expect(variablesOf(logsCalls(f)[2]!)).toEqual({ filter: { level: 'INFO' }, first: 50 });
    expect(screen.getByRole('tab', { name: 'Info' }).getAttribute('aria-selected')).toBe('true');
  });

  it('debounces the search box into the URL and the query', async () => {
    const f = logsBackend(() => ({ edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 }));
    renderApp('/logs?level=WARNING');
    await screen.findByText('No log lines match these filters.');
    const box = screen.getByLabelText('Search');
    fireEvent.change(box, { target: { value: 'tim' } });
    fireEvent.change(box, { target: { value: 'timeout' } });
    expect(logsCalls(f)).toHaveLength(1);
    await waitFor(() => expect(window.location.search).toBe('?level=WARNING&q=timeout'));
    await waitFor(() => expect(logsCalls(f)).toHaveLength(2));
    expect(variablesOf(logsCalls(f)[1]!)).toEqual({ filter: { level: 'WARNING', search: 'timeout' }, first: 50 });
    expect((box as HTMLInputElement).value).toBe('timeout');
  });

  it('reads a shared link with dates and sends whole days', async () => {
    const f = logsBackend(() => ({ edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 }));
    renderApp('/logs?from=2026-11-01&to=2026-11-02');
    await screen.findByText('No log lines match these filters.');
    expect((screen.getByLabelText('From') as HTMLInputElement).value).toBe('2026-11-01');
    expect(variablesOf(logsCalls(f)[0]!)).toEqual({
      filter: { from: new Date(2026, 10, 1).toISOString(), to: new Date(2026, 10, 3).toISOString() },
      first: 50,
    });
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(window.location.search).toBe(''));
  });

  it('loads more with the end cursor and appends', async () => {
    const f = logsBackend((call) =>
      variablesOf(call).after === 'c2'
        ? { edges: [logLine(3)], pageInfo: { hasNextPage: false, endCursor: 'c3' }, totalCount: 3 }
        : { edges: [logLine(1), logLine(2)], pageInfo: { hasNextPage: true, endCursor: 'c2' }, totalCount: 3 },
    );
    renderApp('/logs');
    await screen.findByText('Showing 2 of 3 lines');
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByText('Order #3 could not be posted');
    expect(variablesOf(logsCalls(f)[1]!)).toEqual({ filter: {}, first: 50, after: 'c2' });
    expect(screen.getByText('Order #1 could not be posted')).toBeTruthy();
    expect(screen.getByTestId('logs-total').textContent).toBe('Showing 3 of 3 lines');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });
});
