import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, mockFetch, operationName, renderApp, sessionFor, variablesOf } from '../test/helpers';

function health() {
  return {
    quickBooksDesktopConnection: {
      id: '3', name: 'Acme Books', runEveryMinutes: 15, companyFile: '', lastContactAt: '2026-12-05T09:00:00Z',
      work: { queued: 4, inFlight: 0, inDoubt: 1, failed: 2 },
      health: {
        status: 'FAILING', since: '2026-12-05T09:05:00Z', summary: 'Failing since 2026-12-05 09:05 UTC: the last 2 runs ended in an error.',
        lastAuthenticateAt: '2026-12-05T09:10:00Z', lastFinishedAt: null, lateAfterMinutes: 45, failingAfterMinutes: 180, authFailures: 0,
        problems: [{ kind: 'QUICKBOOKS_CLOSED', title: 'QuickBooks is closed and the Web Connector could not start it', evidence: '0x80040408: Could not start QuickBooks.',
          fix: 'Open QuickBooks Desktop and the company file.', at: '2026-12-05T09:10:00Z' }],
        runs: [{ startedAt: '2026-12-05T09:10:00Z', endedAt: '2026-12-05T09:10:03Z', durationSeconds: 3, outcome: 'CONNECTION_ERROR', messageSets: 0,
          requestsSent: 0, requestsDone: 0, hresult: '0x80040408', message: 'Could not start QuickBooks.', companyFile: null, qbxmlVersion: null }],
      },
    },
  };
}

describe('Web Connector health page', () => {
  it('shows the status line, each problem with what to do, the queue and the runs', async () => {
    const f = mockFetch((call) => {
      if (call.url === '/auth/session') return json(sessionFor('OWNER'));
      if (operationName(call) === 'WebConnectorHealth') return json({ data: health() });
      return undefined;
    });
    renderApp('/web-connector/3');
    const line = await screen.findByTestId('wc-status-line');
    expect(line.textContent).toBe('Failing since 2026-12-05 09:05 UTC: the last 2 runs ended in an error.');
    expect(screen.getByRole('heading', { name: /Status Failing/ })).toBeTruthy();
    const problem = screen.getByTestId('wc-problem-QUICKBOOKS_CLOSED');
    expect(problem.textContent).toContain('0x80040408: Could not start QuickBooks.');
    expect(problem.textContent).toContain('What to do: Open QuickBooks Desktop and the company file.');
    expect(screen.getByRole('link', { name: '1 in doubt' }).getAttribute('href')).toBe('/connections#qbd-3');
    expect(within(screen.getByTestId('wc-runs')).getByText('Could not reach QuickBooks')).toBeTruthy();
    expect(variablesOf(f.calls.find((c) => operationName(c) === 'WebConnectorHealth')!)).toEqual({ id: '3' });
  });
});
