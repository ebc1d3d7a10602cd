import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Role } from '../graphql/schema';
import { alertsBackend } from '../test/alertsBackend';
import { gqlError, json, mockFetch, operationName, renderApp, sessionFor, variablesOf } from '../test/helpers';

const SECRET = 'llk_3fA9_s3cr3t-value-only-shown-once';

function keyNode(id: string, name: string, prefix: string, revokedAt: string | null = null) {
  return { id, name, prefix, createdAt: '2026-11-01T09:00:00Z', lastUsedAt: null, revokedAt, createdBy: null };
}

/** The account's connections as the Settings page lists them. */
const SETTINGS_CONNECTIONS = {
  storeConnections: {
    edges: [
      { node: { id: '7', channel: 'WOOCOMMERCE', name: 'Acme Woo', enabled: true, quickBooksConnectionId: 'qb-1', settings: { transactionType: 'INVOICE', missingProductAction: 'FLAG', statuses: [] } } },
    ],
    totalCount: 1,
  },
  quickBooksDesktopConnections: { edges: [{ node: { id: 'qb-1', name: 'Main company', lastContactAt: null } }], totalCount: 1 },
};

/** An account with API keys, answering the Settings page's operations. */
function keysBackend(role: Role, opts: { createReply?: () => Response } = {}) {
  const keys = [keyNode('k1', 'Reporting script', 'llk_old1')];
  const alerts = alertsBackend();
  const f = mockFetch((call) => {
    if (call.url === '/auth/session') return json(sessionFor(role));
    const alertReply = alerts(call);
    if (alertReply) return alertReply;
    switch (operationName(call)) {
      case 'Settings':
        return json({
          data: {
            viewer: { role, user: { ...sessionFor(role).user, createdAt: '2026-01-01T00:00:00Z' }, account: { id: 'acc-1', name: 'Acme Outdoor' } },
            apiKeys: {
              edges: keys.map((node) => ({ cursor: node.id, node })),
              pageInfo: { hasNextPage: false, endCursor: keys.at(-1)?.id ?? null },
              totalCount: keys.length,
            },
          },
        });
      case 'SettingsConnections':
        return json({ data: SETTINGS_CONNECTIONS });
      case 'CreateApiKey': {
        if (opts.createReply) return opts.createReply();
        const name = (variablesOf(call).input as { name: string }).name;
        const node = keyNode('k2', name, 'llk_3fA9');
        keys.unshift(node);
        return json({ data: { createApiKey: { secret: SECRET, apiKey: node } } });
      }
      case 'RevokeApiKey': {
        const key = keys.find((k) => k.id === variablesOf(call).id)!;
        key.revokedAt = '2026-11-23T10:00:00Z';
        return json({ data: { revokeApiKey: key } });
      }
    }
    return undefined;
  });
  return f;
}

describe('settings: API keys', () => {
  it('lists keys with name, prefix, last use and status, and the signed-in user', async () => {
    keysBackend('OWNER');
    renderApp('/settings');
    await screen.findByText('Reporting script');
    const row = screen.getByText('Reporting script').closest('tr')!;
    expect(within(row).getByText('llk_old1')).toBeTruthy();
    expect(within(row).getByText('Never')).toBeTruthy();
    expect(within(row).getByText('Active')).toBeTruthy();
    expect(screen.getByText(/Olive Owner · owner@example.com/)).toBeTruthy();
  });

  it('creates a key and shows its secret once', async () => {
    const f = keysBackend('OWNER');
    renderApp('/settings');
    await screen.findByText('Reporting script');

    fireEvent.change(screen.getByLabelText('Key name'), { target: { value: '  e2e key ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));

    const secret = await screen.findByTestId('new-api-key-secret');
    expect(secret.textContent).toBe(SECRET);
    expect(screen.getByText(/cannot be shown again/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy' })).toBeTruthy();
    const create = f.calls.find((c) => operationName(c) === 'CreateApiKey')!;
    expect(variablesOf(create)).toEqual({ input: { name: 'e2e key' } });
    expect(create.headers['x-csrf-token']).toBe('csrf-123');

    // The list refreshes and shows the new key by its prefix only.
    await screen.findByText('e2e key');
    expect((screen.getByLabelText('Key name') as HTMLInputElement).value).toBe('');
    expect(screen.getAllByText(SECRET)).toHaveLength(1);

    // Once dismissed, the secret is gone for good.
    fireEvent.click(screen.getByRole('button', { name: 'I have stored the key' }));
    expect(screen.queryByTestId('new-api-key-secret')).toBeNull();
    expect(document.body.textContent).not.toContain(SECRET);
  });

  it('copies the secret to the clipboard', async () => {
    let copied = '';
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: async (text: string) => void (copied = text) },
    });
    keysBackend('OWNER');
    renderApp('/settings');
    await screen.findByText('Reporting script');
    fireEvent.change(screen.getByLabelText('Key name'), { target: { value: 'Copy test' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    await screen.findByTestId('new-api-key-secret');
    fireEvent.click(screen.getByRole('button', { name: 'Copy' }));
    await screen.findByText('Copied to the clipboard.');
    expect(copied).toBe(SECRET);
    Reflect.deleteProperty(navigator, 'clipboard');
  });

  it('refuses an empty name without calling the server', async () => {
    const f = keysBackend('OWNER');
    renderApp('/settings');
    await screen.findByText('Reporting script');
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Enter a name/);
    expect(f.calls.some((c) => operationName(c) === 'CreateApiKey')).toBe(false);
  });

  it('says only the owner can manage keys when the server answers FORBIDDEN', async () => {
    keysBackend('OWNER', { createReply: () => gqlError('forbidden', 'FORBIDDEN') });
    renderApp('/settings');
    await screen.findByText('Reporting script');
    fireEvent.change(screen.getByLabelText('Key name'), { target: { value: 'Nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Only the account owner can manage API keys.');
    expect(screen.queryByTestId('new-api-key-secret')).toBeNull();
  });

  it('hides key management from members', async () => {
    keysBackend('MEMBER');
    renderApp('/settings');
    await screen.findByText('Reporting script');
    expect(screen.getByText('Only the account owner can manage API keys.')).toBeTruthy();
    expect(screen.queryByLabelText('Key name')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Revoke' })).toBeNull();
  });

  it('revokes a key only after confirmation', async () => {
    const f = keysBackend('OWNER');
    renderApp('/settings');
    await screen.findByText('Reporting script');
    const row = screen.getByText('Reporting script').closest('tr')!;

    fireEvent.click(within(row).getByRole('button', { name: 'Revoke' }));
    expect(f.calls.some((c) => operationName(c) === 'RevokeApiKey')).toBe(false);
    fireEvent.click(within(row).getByRole('button', { name: 'Cancel' }));
    expect(within(row).queryByRole('button', { name: 'Yes, revoke' })).toBeNull();

    fireEvent.click(within(row).getByRole('button', { name: 'Revoke' }));
    fireEvent.click(within(row).getByRole('button', { name: 'Yes, revoke' }));
    await waitFor(() => expect(within(row).getByText('Revoked')).toBeTruthy());
    const revoke = f.calls.filter((c) => operationName(c) === 'RevokeApiKey');
    expect(revoke).toHaveLength(1);
    expect(variablesOf(revoke[0]!)).toEqual({ id: 'k1' });
    expect(within(row).queryByRole('button', { name: 'Revoke' })).toBeNull();
  });
});

describe('settings: connection settings (issue 17)', () => {
  it('lists each store with its posting options and Missing Product Action, linking to its settings', async () => {
    keysBackend('OWNER');
    renderApp('/settings');
    const row = await screen.findByTestId('settings-store-7');
    expect(within(row).getByText('Acme Woo')).toBeTruthy();
    expect(within(row).getByText('Main company')).toBeTruthy();
    expect(within(row).getByText('Invoice, plus a payment when the order is paid')).toBeTruthy();
    expect(within(row).getByText('Flag order as error and map')).toBeTruthy();
    const link = within(row).getByRole('link', { name: 'Change settings of Acme Woo' });
    expect(link.getAttribute('href')).toBe('/connections?store=7&panel=settings');
    expect(screen.getByText(/Missing\s+Product Action/).textContent).toContain('Open a store’s settings below');
    const company = within(screen.getByTestId('settings-companies')).getByRole('link', { name: 'Main company' });
    expect(company.getAttribute('href')).toBe('/web-connector/qb-1');
  });

  it('tells members they can see, not change, a store’s settings', async () => {
    keysBackend('MEMBER');
    renderApp('/settings');
    const row = await screen.findByTestId('settings-store-7');
    expect(within(row).getByRole('link', { name: 'See settings of Acme Woo' })).toBeTruthy();
  });
});
