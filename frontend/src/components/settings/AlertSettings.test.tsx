import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { alertsBackend, WEBHOOK_SECRET } from '../../test/alertsBackend';
import { json, mockFetch, operationName, renderApp, sessionFor, variablesOf } from '../../test/helpers';
import type { Role } from '../../graphql/schema';

function backend(role: Role, opts: Parameters<typeof alertsBackend>[0] = {}) {
  const alerts = alertsBackend(opts);
  return mockFetch((call) => {
    if (call.url === '/auth/session') return json(sessionFor(role));
    if (operationName(call) === 'Settings')
      return json({
        data: {
          viewer: { role, user: sessionFor(role).user, account: { id: 'acc-1', name: 'Acme Outdoor' } },
          apiKeys: { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 },
        },
      });
    if (operationName(call) === 'SettingsConnections')
      return json({ data: { storeConnections: { edges: [], totalCount: 0 }, quickBooksDesktopConnections: { edges: [], totalCount: 0 } } });
    return alerts(call);
  });
}

async function openAlerts() {
  renderApp('/settings');
  const section = await screen.findByTestId('alert-settings');
  await within(section).findByLabelText('E-mail recipients');
  return section;
}

describe('settings: alerts (issue 16)', () => {
  it('saves events and recipients, shows the webhook secret once and sends a test alert', async () => {
    const f = backend('OWNER', {
      testResults: [
        { channel: 'EMAIL', ok: true, message: 'Sent to ops@shop.test, owner@shop.test.' },
        { channel: 'WEBHOOK', ok: false, message: 'Failed: webhook https://hooks.example/x answered HTTP 500 Internal Server Error' },
      ],
    });
    const section = await openAlerts();
    fireEvent.click(within(section).getByLabelText('An inventory push fails'));
    fireEvent.click(within(section).getByLabelText('The daily check finds an order missing from Ledgerlink or QuickBooks'));
    fireEvent.change(within(section).getByLabelText('E-mail recipients'), { target: { value: 'ops@shop.test, owner@shop.test' } });
    fireEvent.change(within(section).getByLabelText('Webhook URL'), { target: { value: 'https://hooks.example/x' } });
    fireEvent.change(within(section).getByLabelText('Digest at most every (minutes)'), { target: { value: '30' } });
    fireEvent.change(within(section).getByLabelText('Order waiting threshold (hours)'), { target: { value: '6' } });
    fireEvent.click(within(section).getByRole('button', { name: 'Save alerts' }));

    // The status line is there (empty) before the answer: wait for its words.
    await waitFor(() => expect(within(section).getByTestId('alert-settings-status').textContent).toBe('Saved. New alerts are sent at most every 30 minutes.'));
    const save = f.calls.find((c) => operationName(c) === 'UpdateAlertSettings')!;
    expect(variablesOf(save)).toEqual({
      input: {
        kinds: ['ORDER_FAILED', 'ORDER_WAITING', 'QBD_SILENT', 'STORE_AUTH'],
        recipients: ['ops@shop.test', 'owner@shop.test'],
        webhookUrl: 'https://hooks.example/x',
        digestMinutes: 30,
        waitingHours: 6,
      },
    });
    expect((await within(section).findByTestId('alert-webhook-secret')).textContent).toBe(WEBHOOK_SECRET);
    fireEvent.click(within(section).getByRole('button', { name: 'I have stored the secret' }));
    expect(document.body.textContent).not.toContain(WEBHOOK_SECRET);

    fireEvent.click(within(section).getByRole('button', { name: 'Send test alert' }));
    const results = await within(section).findByTestId('alert-test-results');
    await waitFor(() => expect(results.querySelectorAll('li')).toHaveLength(2));
    expect(results.textContent).toContain('Delivered E-mail: Sent to ops@shop.test, owner@shop.test.');
    expect(results.textContent).toContain('Failed Webhook: Failed: webhook https://hooks.example/x answered HTTP 500');
  });

  it('refuses a bad address and a bad interval without calling the server', async () => {
    const f = backend('OWNER');
    const section = await openAlerts();
    fireEvent.change(within(section).getByLabelText('E-mail recipients'), { target: { value: 'ops@shop.test, not-an-address' } });
    fireEvent.change(within(section).getByLabelText('Digest at most every (minutes)'), { target: { value: '2' } });
    fireEvent.click(within(section).getByRole('button', { name: 'Save alerts' }));
    expect((await within(section).findByText('Not an e-mail address: not-an-address.')).id).toBeTruthy();
    expect(within(section).getByText('Enter whole minutes from 5 to 1440 (a day).')).toBeTruthy();
    expect(within(section).getByLabelText('E-mail recipients').getAttribute('aria-invalid')).toBe('true');
    expect(f.calls.some((c) => operationName(c) === 'UpdateAlertSettings')).toBe(false);
  });

  it('rotates the webhook secret only after confirmation', async () => {
    const f = backend('OWNER', { settings: { webhookUrl: 'https://hooks.example/x', webhookSecretSet: true } });
    const section = await openAlerts();
    fireEvent.click(within(section).getByRole('button', { name: 'Rotate webhook secret' }));
    expect(f.calls.some((c) => operationName(c) === 'RotateAlertWebhookSecret')).toBe(false);
    fireEvent.click(within(section).getByRole('button', { name: 'Yes, rotate' }));
    expect((await within(section).findByTestId('alert-webhook-secret')).textContent).toBe(WEBHOOK_SECRET + '-2');
  });

  it('shows members the settings read-only', async () => {
    backend('MEMBER');
    const section = await openAlerts();
    expect(within(section).getByText('Only the account owner can change alerts.')).toBeTruthy();
    expect(within(section).getByLabelText('E-mail recipients').matches(':disabled')).toBe(true);
    expect(within(section).queryByRole('button', { name: 'Save alerts' })).toBeNull();
    expect(within(section).queryByRole('button', { name: 'Send test alert' })).toBeNull();
  });
});
