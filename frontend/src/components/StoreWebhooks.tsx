// The "Webhooks" panel of a store connection (issue #16): each order webhook Ledgerlink keeps
// registered in the store, where it stands in plain words, what it has received, and
// "Register webhooks again". The delivery address is secret and never shown.
import { TimeAgo } from './TimeAgo';
import { useState } from 'react';
import { graphql } from '../api';
import { FormAlert } from './ErrorNotice';
import { DataTable } from './list/ListKit';
import { formatCount } from '../format';
import type { Channel, StoreWebhook, StoreWebhookState } from '../graphql/schema';
import { REGISTER_STORE_WEBHOOKS_MUTATION } from '../graphql/webhooks';
import type { RegisterStoreWebhooksMutation } from '../graphql/operations';
import { toGraphQLError } from '../useQuery';
import { CHANNELS } from '../storeSettings';

export const OWNER_ONLY_WEBHOOKS = 'Only the account owner can register a store’s webhooks.';

/**
 * The topics Ledgerlink registers per channel (as jobs/channels.WebhookTopics names them), so a
 * connection that has none yet, or is turned off, still lists what it would receive.
 */
export const WEBHOOK_TOPICS: Record<Channel, readonly string[]> = {
  SHOPIFY: ['orders/create', 'orders/updated', 'refunds/create'],
  WOOCOMMERCE: ['order.created', 'order.updated'],
  SHIPSTATION: ['ORDER_NOTIFY'],
};

const TOPIC_LABEL: Record<string, string> = {
  'orders/create': 'New orders',
  'orders/updated': 'Changed orders',
  'refunds/create': 'Refunds',
  'order.created': 'New orders',
  'order.updated': 'Changed orders',
  ORDER_NOTIFY: 'New and changed orders',
};

/** A row's state: the server's, or "off" / "not registered" when the store has no webhook yet. */
export type WebhookRowState = StoreWebhookState | 'OFF' | 'NONE';

export const WEBHOOK_STATE_LABEL: Record<WebhookRowState, string> = {
  ACTIVE: 'Registered',
  REGISTERING: 'Registering…',
  FAILED: 'Failed',
  MANUAL: 'Needs your action',
  OFF: 'Off',
  NONE: 'Not registered',
};

const STATE_TONE: Record<WebhookRowState, string> = {
  ACTIVE: 'ok',
  REGISTERING: 'info',
  FAILED: 'error',
  MANUAL: 'warning',
  OFF: 'muted',
  NONE: 'muted',
};

type Hook = Pick<StoreWebhook, 'topic' | 'state' | 'message' | 'deliveries' | 'refused' | 'lastDeliveryAt'>;

export interface WebhookStore {
  id: string;
  name: string;
  channel: Channel;
  enabled: boolean;
  webhooks: readonly Hook[];
}

interface Row {
  topic: string;
  state: WebhookRowState;
  message: string;
  deliveries: number;
  refused: number;
  lastDeliveryAt: string | null;
}

/** The rows to show: the store's webhooks, or its channel's topics as off / not registered. */
export function webhookRows(channel: Channel, enabled: boolean, hooks: readonly Hook[]): Row[] {
  if (hooks.length > 0) return hooks.map((h) => ({ ...h, lastDeliveryAt: h.lastDeliveryAt ?? null }));
  const state: WebhookRowState = enabled ? 'NONE' : 'OFF';
  return WEBHOOK_TOPICS[channel].map((topic) => ({ topic, state, message: '', deliveries: 0, refused: 0, lastDeliveryAt: null }));
}

/** What the reader should do about a row, in plain words; empty when nothing. */
function whatToDo(row: Row, canManage: boolean, store: string): string {
  const owner = canManage ? '' : 'Ask the account owner to do it. ';
  switch (row.state) {
    case 'FAILED':
      return `${owner}Fix what ${store} said (often the app’s permissions or the store’s address), then press “Register webhooks again”.`;
    case 'MANUAL':
      return canManage ? '' : 'Ask the account owner to do what the message says.';
    case 'NONE':
      return `${owner}Press “Register webhooks again” so new orders arrive within seconds; until then the scheduled pulls bring them.`;
    case 'OFF':
      return 'The connection is turned off, so the store sends nothing. Turn it on in Settings and the webhooks are registered again.';
    default:
      return '';
  }
}

/**
 * The Webhooks panel of one store connection. Owners can register the webhooks again; the
 * answer shows them as registering until the list's next refresh brings the worker's result.
 */
export function StoreWebhooks({ store, canManage, onChanged }: { store: WebhookStore; canManage: boolean; onChanged: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [answer, setAnswer] = useState<{ hooks: readonly Hook[]; enabled: boolean; before: string } | null>(null);
  const label = CHANNELS[store.channel]?.label ?? store.channel;

  // The mutation's answer until the list brings something newer.
  const fresh = !answer || JSON.stringify(store.webhooks) !== answer.before;
  const hooks = fresh ? store.webhooks : answer.hooks;
  const enabled = fresh ? store.enabled : answer.enabled;
  const rows = webhookRows(store.channel, enabled, hooks);
  const refused = rows.reduce((n, r) => n + r.refused, 0);

  const register = async () => {
    setBusy(true);
    setError(null);
    const before = JSON.stringify(store.webhooks);
    try {
      const data = await graphql<RegisterStoreWebhooksMutation>(REGISTER_STORE_WEBHOOKS_MUTATION, { id: store.id });
      setAnswer({ hooks: data.registerStoreWebhooks.webhooks, enabled: data.registerStoreWebhooks.enabled, before });
      onChanged();
    } catch (err) {
      const e = toGraphQLError(err);
      setAnswer(null);
      setError(e.code === 'FORBIDDEN' ? OWNER_ONLY_WEBHOOKS : e.message || 'Could not register the webhooks.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="webhooks-panel" aria-label={`Webhooks: ${store.name}`} data-testid={`store-webhooks-${store.id}`}>
      <h4>Webhooks</h4>
      <p className="muted small">
        {label} tells Ledgerlink about new and changed orders within seconds; each call is verified and the order is read from{' '}
        {label} itself. Scheduled pulls stay as the safety net.
      </p>
      <DataTable rows={rows} className="table table-webhooks" region={`Webhook events: ${store.name}`} columns={['Event', 'State', 'Received', 'Refused', 'Last delivery']}>
        {(r) => {
          const todo = whatToDo(r, canManage, label);
          return (
            <tr key={r.topic} data-testid={`webhook-${r.topic}`} data-state={r.state}>
              <td>
                {TOPIC_LABEL[r.topic] ?? r.topic} <code className="muted small">{r.topic}</code>
              </td>
              <td>
                <span className={`badge badge-${STATE_TONE[r.state]}`} data-testid="webhook-state">
                  {WEBHOOK_STATE_LABEL[r.state]}
                </span>
                {r.message && (
                  <p className={r.state === 'FAILED' ? 'sync-error small' : 'small'} data-testid="webhook-message">
                    {r.message}
                  </p>
                )}
                {todo && (
                  <p className="muted small" data-testid="webhook-todo">
                    {todo}
                  </p>
                )}
              </td>
              <td data-testid="webhook-deliveries">{formatCount(r.deliveries)}</td>
              <td data-testid="webhook-refused" className={r.refused > 0 ? 'text-error' : undefined}>
                {formatCount(r.refused)}
              </td>
              <td data-testid="webhook-last">
                <TimeAgo at={r.lastDeliveryAt} />
              </td>
            </tr>
          );
        }}
      </DataTable>
      {refused > 0 && (
        <p className="small" data-testid="webhooks-refused-help">
          Refused calls had a bad or missing signature
          {store.channel === 'SHIPSTATION' ? ' or pointed at another host' : ''}: nothing was changed. If real orders are refused,{' '}
          {store.channel === 'SHOPIFY' ? 'check the app client secret in Settings › Change credentials' : 'register the webhooks again'}; each
          refusal is in the Logs.
        </p>
      )}
      {canManage && (
        <div className="inline-form-row">
          <button
            type="button"
            className="button button-small"
            disabled={busy || !enabled}
            aria-busy={busy}
            title={enabled ? undefined : 'Turn the connection on in Settings first.'}
            onClick={register}
          >
            {busy ? 'Registering…' : 'Register webhooks again'}
          </button>
          <span className="muted small">A new delivery address replaces the old one, which stops working.</span>
        </div>
      )}
      <FormAlert message={error} />
      <p className="status-line" role="status">
        {answer &&
          !busy &&
          (rows.some((r) => r.state === 'REGISTERING')
            ? `Registration queued with ${label}: the states above update in a few seconds.`
            : `Registration done: each event’s state is above.`)}
      </p>
    </section>
  );
}
