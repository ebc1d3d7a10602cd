import { act, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, mockFetch, operationName, renderApp, sessionFor } from '../test/helpers';

function dashboard(overrides: Record<string, unknown> = {}) {
  return {
    errorsLast24h: 0,
    warningsLast24h: 3,
    infoLast24h: 1250,
    activeApiKeys: 0,
    worker: {
      lastHeartbeatAt: '2026-11-23T10:00:00Z',
      healthy: true,
      queues: [
        { name: 'default', pending: 0, active: 1, scheduled: 2, retry: 0, archived: 0, processedToday: 40, failedToday: 0 },
        { name: 'critical', pending: 5, active: 0, scheduled: 0, retry: 1, archived: 2, processedToday: 7, failedToday: 3 },
      ],
    },
    ...overrides,
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('dashboard', () => {
  it('shows every card, zero counts included, and the queue table', async () => {
    mockFetch((call) => {
      if (call.url === '/auth/session') return json(sessionFor('OWNER'));
      if (operationName(call) === 'Dashboard') return json({ data: { dashboard: dashboard() } });
      return undefined;
    });
    renderApp('/');
    await screen.findByTestId('card-errors');
    expect(screen.getByTestId('card-errors-value').textContent).toBe('0');
    expect(screen.getByTestId('card-warnings-value').textContent).toBe('3');
    expect(screen.getByTestId('card-info-value').textContent).toBe((1250).toLocaleString());
    expect(screen.getByTestId('card-api-keys-value').textContent).toBe('0');
    expect(screen.getByTestId('card-worker').textContent).toMatch(/Healthy/);
    expect(screen.getByTestId('card-worker').textContent).toMatch(/Last heartbeat/);

    const rows = screen.getByTestId('queue-table').querySelectorAll('tbody tr');
    expect(rows).toHaveLength(2);
    expect([...rows[1]!.children].map((c) => c.textContent)).toEqual(['critical', '5', '0', '0', '1', '2', '7', '3']);
  });

  it('shows a stale worker that never sent a heartbeat', async () => {
    mockFetch((call) => {
      if (call.url === '/auth/session') return json(sessionFor('OWNER'));
      if (operationName(call) === 'Dashboard')
        return json({ data: { dashboard: dashboard({ worker: { lastHeartbeatAt: null, healthy: false, queues: [] } }) } });
      return undefined;
    });
    renderApp('/');
    const card = await screen.findByTestId('card-worker');
    expect(card.textContent).toMatch(/Stale/);
    expect(card.textContent).toMatch(/No heartbeat recorded yet/);
    expect(screen.getByText(/No queues reported yet/)).toBeTruthy();
  });

  it('refreshes every 15 seconds', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let errors = 0;
    const f = mockFetch((call) => {
      if (call.url === '/auth/session') return json(sessionFor('OWNER'));
      if (operationName(call) === 'Dashboard') return json({ data: { dashboard: dashboard({ errorsLast24h: errors++ }) } });
      return undefined;
    });
    renderApp('/');
    await screen.findByTestId('card-errors');
    expect(screen.getByTestId('card-errors-value').textContent).toBe('0');
    const dashCalls = () => f.calls.filter((c) => operationName(c) === 'Dashboard').length;
    expect(dashCalls()).toBe(1);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(15_000);
    });
    expect(dashCalls()).toBe(2);
    expect(screen.getByTestId('card-errors-value').textContent).toBe('1');
  });
});
