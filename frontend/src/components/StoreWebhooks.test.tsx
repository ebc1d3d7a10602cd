import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Channel, Role, StoreWebhook } from '../graphql/schema';
import { callsOf, gqlError, json, mockFetch, onePage, operationName, renderApp, sessionFor, variablesOf, type Call } from '../test/helpers';
import { storeNode as baseStore, type StoreNode } from '../test/storeFixtures';

/** A store of that channel with no QuickBooks company yet. */
function storeNode(id: string, channel: Channel, extra: Partial<StoreNode> = {}) {
  return baseStore(id, { channel, baseUrl: channel === 'SHOPIFY' ? 'https://acme.myshopify.com' : 'https://shop.example.com', quickBooksConnectionId: null, ...extra });
}

type Node = StoreNode;

function hook(topic: string, state: StoreWebhook['state'], extra: Partial<StoreWebhook> = {}): StoreWebhook {
  return { topic, state, message: '', deliveries: 0, refused: 0, lastDeliveryAt: null, updatedAt: '2026-12-05T10:00:00Z', ...extra };
}

function backend(opts: { role?: Role; stores: Node[]; register?: (call: Call) => Response | undefined }) {
  const list = opts.stores;
  return mockFetch((call) => {
    if (call.url === '/auth/session') return json(sessionFor(opts.role ?? 'OWNER'));
    switch (operationName(call)) {
      case 'QbdConnections':
        return json({ data: { quickBooksDesktopConnections: { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 } } });
      case 'QboConnections':
        return json({ data: { quickBooksOnlineConnections: onePage([]) } });
      case 'StoreConnections':
        return json({ data: { storeConnections: onePage(list.map((node) => structuredClone(node))) } });
      case 'RegisterStoreWebhooks': {
        const custom = opts.register?.(call);
        if (custom) return custom;
        const node = list.find((s) => s.id === variablesOf(call).id)!;
        node.webhooks = node.webhooks.map((w) => ({ ...w, state: 'REGISTERING', message: '' }));
        return json({ data: { registerStoreWebhooks: { id: node.id, enabled: node.enabled, webhooks: node.webhooks } } });
      }
      case 'UpdateStoreConnection': {
        const { id } = variablesOf(call) as { id: string };
        return json({ data: { updateStoreConnection: list.find((s) => s.id === id)! } });
      }
      case 'CheckStoreCredentials':
        return json({ data: { checkStoreCredentials: { ok: true, field: null, message: '' } } });
      case 'CreateStoreConnection': {
        const input = variablesOf(call).input as { channel: Channel; name: string };
        const node = storeNode('50', input.channel, { name: input.name });
        list.push(node);
        return json({ data: { createStoreConnection: node } });
      }
    }
    return undefined;
  });
}

const panel = async (id: string) => within(await screen.findByTestId(`store-webhooks-${id}`));
const row = (p: ReturnType<typeof within>, topic: string) => within(p.getByTestId(`webhook-${topic}`));

const FAILED_MSG = 'The store refused the subscription: 403 read_orders scope missing.';
const MANUAL_MSG = 'Shopify signs its webhooks with the app’s client secret. Enter it in this store’s credentials.';

describe('store webhooks panel', () => {
  it('shows each topic’s state in words with its message, counts and last delivery; a store turned off shows its topics off', async () => {
    backend({
      stores: [
        storeNode('1', 'SHOPIFY', {
          webhooks: [
            hook('orders/create', 'ACTIVE', { deliveries: 1234, refused: 2, lastDeliveryAt: '2026-12-05T09:30:00Z' }),
            hook('orders/updated', 'FAILED', { message: FAILED_MSG }),
            hook('refunds/create', 'MANUAL', { message: MANUAL_MSG }),
          ],
        }),
        storeNode('2', 'WOOCOMMERCE', { enabled: false }),
        storeNode('3', 'SHIPSTATION'),
      ],
    });
    renderApp('/connections');
    const p = await panel('1');
    const created = row(p, 'orders/create');
    expect(created.getByTestId('webhook-state').textContent).toBe('Registered');
    expect(created.getByTestId('webhook-deliveries').textContent).toBe('1,234');
    expect(created.getByTestId('webhook-refused').textContent).toBe('2');
    expect(created.getByTestId('webhook-last').querySelector('time')?.getAttribute('dateTime')).toBe('2026-12-05T09:30:00Z');
    expect(created.queryByTestId('webhook-message')).toBeNull();

    const updated = row(p, 'orders/updated');
    expect(updated.getByTestId('webhook-state').textContent).toBe('Failed');
    expect(updated.getByTestId('webhook-message').textContent).toBe(FAILED_MSG);
    expect(updated.getByTestId('webhook-todo').textContent).toMatch(/then press “Register webhooks again”/);
    expect(updated.getByTestId('webhook-last').textContent).toBe('Never');

    const refunds = row(p, 'refunds/create');
    expect(refunds.getByTestId('webhook-state').textContent).toBe('Needs your action');
    expect(refunds.getByTestId('webhook-message').textContent).toBe(MANUAL_MSG);
    // Refused deliveries are explained with what to check.
    expect(p.getByTestId('webhooks-refused-help').textContent).toMatch(/app client secret/);

    const off = await panel('2');
    expect(off.getAllByTestId('webhook-state').map((e) => e.textContent)).toEqual(['Off', 'Off']);
    expect(off.getByTestId('webhook-order.created')).toBeTruthy();
    expect(off.getAllByTestId('webhook-todo')[0]!.textContent).toMatch(/turned off/);
    expect((off.getByRole('button', { name: 'Register webhooks again' }) as HTMLButtonElement).disabled).toBe(true);

    const none = await panel('3');
    expect(row(none, 'ORDER_NOTIFY').getByTestId('webhook-state').textContent).toBe('Not registered');
    expect((none.getByRole('button', { name: 'Register webhooks again' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('tells members to ask the owner and offers them no button', async () => {
    backend({ role: 'MEMBER', stores: [storeNode('1', 'SHOPIFY', { webhooks: [hook('orders/create', 'FAILED', { message: FAILED_MSG })] })] });
    renderApp('/connections');
    const p = await panel('1');
    expect(row(p, 'orders/create').getByTestId('webhook-todo').textContent).toMatch(/^Ask the account owner/);
    expect(p.queryByRole('button', { name: 'Register webhooks again' })).toBeNull();
  });

  it('“Register webhooks again” calls the mutation, shows the webhooks registering and reloads the list', async () => {
    const f = backend({ stores: [storeNode('7', 'SHOPIFY', { webhooks: [hook('orders/create', 'FAILED', { message: FAILED_MSG })] })] });
    renderApp('/connections');
    const p = await panel('7');
    const before = callsOf(f, 'StoreConnections').length;
    fireEvent.click(p.getByRole('button', { name: 'Register webhooks again' }));
    await p.findByText('Registration queued with Shopify: the states above update in a few seconds.');
    expect(callsOf(f, 'RegisterStoreWebhooks').map(variablesOf)).toEqual([{ id: '7' }]);
    expect(row(p, 'orders/create').getByTestId('webhook-state').textContent).toBe('Registering…');
    expect(row(p, 'orders/create').queryByTestId('webhook-message')).toBeNull();
    await waitFor(() => expect(callsOf(f, 'StoreConnections').length).toBeGreaterThan(before));
  });

  it('shows the worker’s result once the list brings it', async () => {
    const stores = [storeNode('7', 'SHOPIFY', { webhooks: [hook('orders/create', 'FAILED', { message: FAILED_MSG })] })];
    backend({
      stores,
      // The worker is done before the list reloads.
      register: () => {
        stores[0]!.webhooks = [hook('orders/create', 'ACTIVE')];
        return json({ data: { registerStoreWebhooks: { id: '7', enabled: true, webhooks: [hook('orders/create', 'REGISTERING')] } } });
      },
    });
    renderApp('/connections');
    const p = await panel('7');
    fireEvent.click(p.getByRole('button', { name: 'Register webhooks again' }));
    await p.findByText('Registration done: each event’s state is above.');
    expect(row(p, 'orders/create').getByTestId('webhook-state').textContent).toBe('Registered');
  });

  it('shows why a registration was refused', async () => {
    backend({
      stores: [storeNode('7', 'SHOPIFY')],
      register: () => gqlError('You need the owner role.', 'FORBIDDEN'),
    });
    renderApp('/connections');
    const p = await panel('7');
    fireEvent.click(p.getByRole('button', { name: 'Register webhooks again' }));
    expect((await p.findByRole('alert')).textContent).toBe('Only the account owner can register a store’s webhooks.');
    expect(p.queryByText(/Registration queued/)).toBeNull();
  });
});

describe('Shopify app client secret', () => {
  it('is sent with new credentials only when filled; left blank the stored one is kept', async () => {
    const f = backend({ stores: [storeNode('1', 'SHOPIFY')] });
    renderApp('/connections');
    const card = within(await screen.findByTestId('store-connection-1'));
    fireEvent.click(card.getByRole('button', { name: 'Settings' }));
    fireEvent.click(await card.findByRole('button', { name: 'Change credentials' }));
    const form = within(card.getByRole('form', { name: 'Change credentials' }));
    const secret = form.getByLabelText('App client secret') as HTMLInputElement;
    expect(secret.type).toBe('password');
    expect(form.getByText(/Leave it blank to keep the one stored/)).toBeTruthy();

    fireEvent.change(form.getByLabelText('Admin API access token'), { target: { value: 'shpat_new' } });
    fireEvent.click(form.getByRole('button', { name: 'Check and save credentials' }));
    await form.findByText('New credentials checked and saved.');

    fireEvent.change(form.getByLabelText('Admin API access token'), { target: { value: 'shpat_new2' } });
    fireEvent.change(secret, { target: { value: ' shpss_client ' } });
    fireEvent.click(form.getByRole('button', { name: 'Check and save credentials' }));
    await waitFor(() => expect(callsOf(f, 'UpdateStoreConnection')).toHaveLength(2));
    expect(callsOf(f, 'UpdateStoreConnection').map((c) => (variablesOf(c).input as { credentials: unknown }).credentials)).toEqual([
      { accessToken: 'shpat_new' },
      { accessToken: 'shpat_new2', webhookSecret: 'shpss_client' },
    ]);
    await waitFor(() => expect(secret.value).toBe(''));
    expect(document.body.innerHTML).not.toContain('shpss_client');
  });

  it('is offered, with help, when adding a Shopify store, and sent when filled', async () => {
    const f = backend({ stores: [] });
    renderApp('/connections');
    fireEvent.click(await screen.findByRole('button', { name: 'Add store' }));
    const w = within(screen.getByRole('form', { name: 'Add store' }));
    fireEvent.click(w.getByRole('radio', { name: 'Shopify' }));
    const secret = w.getByLabelText('App client secret') as HTMLInputElement;
    expect(secret.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(secret.getAttribute('aria-describedby')!)?.textContent).toMatch(/verify Shopify’s webhook signatures/);
    expect(w.getByTestId('credentials-howto').textContent).toMatch(/Client secret/);
    // Other channels have no such field.
    fireEvent.click(w.getByRole('radio', { name: 'WooCommerce' }));
    expect(w.queryByLabelText('App client secret')).toBeNull();
    fireEvent.click(w.getByRole('radio', { name: 'Shopify' }));

    fireEvent.change(w.getByLabelText('Store name'), { target: { value: 'Acme' } });
    fireEvent.change(w.getByLabelText('Store URL'), { target: { value: 'https://acme.myshopify.com' } });
    fireEvent.change(w.getByLabelText('Admin API access token'), { target: { value: 'shpat_abc' } });
    fireEvent.change(w.getByLabelText('App client secret'), { target: { value: 'shpss_xyz' } });
    fireEvent.click(w.getByRole('button', { name: 'Next' }));
    fireEvent.click(await within(screen.getByRole('form', { name: 'Add store' })).findByRole('button', { name: 'Next' }));
    fireEvent.click(await within(screen.getByRole('form', { name: 'Add store' })).findByRole('button', { name: 'Add store' }));
    await screen.findByTestId('store-added');
    expect((variablesOf(callsOf(f, 'CreateStoreConnection')[0]!).input as { credentials: unknown }).credentials).toEqual({
      accessToken: 'shpat_abc',
      webhookSecret: 'shpss_xyz',
    });
  });
});
