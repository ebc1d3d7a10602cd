// The Inventory page: each SKU of each store with QuickBooks' quantity and the store's, the
// queue's status and the last push ("settings > pending" in the old tool), Push now for one SKU
// or a whole store, and the push log ("successful inventory updates") below.
import { useState } from 'react';
import { graphql } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { DataTable, EmptyList, InlineSelect, LoadMore, ResultCount } from '../components/list/ListKit';
import { useSearchFilter } from '../components/list/useSearchFilter';
import { ChannelBadge } from '../components/StoreConnections';
import { formatDateTime } from '../format';
import { INVENTORY_PUSH_LOG_QUERY, INVENTORY_STORES_QUERY, INVENTORY_UPDATES_QUERY, PUSH_INVENTORY_NOW_MUTATION } from '../graphql/inventory';
import type { InventoryPushLogQuery, InventoryStoresQuery, InventoryUpdatesQuery, PushInventoryNowMutation } from '../graphql/operations';
import type { InventoryPushOutcome, InventoryUpdateStatus } from '../graphql/schema';
import { Link } from '../router';
import { usePagedConnection, type NodeOf } from '../usePagedConnection';
import { useQuery, toGraphQLError } from '../useQuery';
import { useTitle } from '../useTitle';

/** How often the lists are read again while the page is open (pushes finish in seconds). */
export const INVENTORY_REFRESH_MS = 10_000;

type UpdateRow = NodeOf<InventoryUpdatesQuery['inventoryUpdates']>;
type PushRow = NodeOf<InventoryPushLogQuery['inventoryPushLog']>;

export const STATUS_LABEL: Record<InventoryUpdateStatus, string> = {
  PENDING: 'Waiting',
  PUSHING: 'Pushing',
  DONE: 'Up to date',
  FAILED: 'Failed',
  MISMATCHED: 'No such SKU in the store',
};

const STATUS_BADGE: Record<InventoryUpdateStatus, string> = {
  PENDING: 'badge-info',
  PUSHING: 'badge-info',
  DONE: 'badge-ok',
  FAILED: 'badge-error',
  MISMATCHED: 'badge-warning',
};

export const OUTCOME_LABEL: Record<InventoryPushOutcome, string> = {
  PUSHED: 'Updated',
  RETRY: 'Will retry',
  FAILED: 'Failed',
  MISMATCHED: 'No such SKU',
};

const OUTCOME_BADGE: Record<InventoryPushOutcome, string> = {
  PUSHED: 'badge-ok',
  RETRY: 'badge-info',
  FAILED: 'badge-error',
  MISMATCHED: 'badge-warning',
};

export function OutcomeBadge({ outcome }: { outcome: InventoryPushOutcome }) {
  return <span className={`badge ${OUTCOME_BADGE[outcome]}`}>{OUTCOME_LABEL[outcome]}</span>;
}

/** "12" for whole quantities, "12.5" for fractional ones (QuickBooks allows five decimals). */
export function formatQuantity(q: number | null | undefined): string {
  if (q === null || q === undefined) return '—';
  return Number.isInteger(q) ? String(q) : q.toFixed(5).replace(/0+$/, '');
}

/** What a mismatched SKU means and what to do about it. */
export function MismatchExplanation({ row }: { row: Pick<UpdateRow, 'sku' | 'storeConnectionName' | 'quickBooksItem'> }) {
  return (
    <p className="mismatch-explanation" data-testid="mismatch-explanation">
      {row.quickBooksItem || row.sku} is in QuickBooks but no product in {row.storeConnectionName} has that SKU: create it in the store or map
      it with an <Link to="/rules/new">INVENTORY rule</Link>.
    </p>
  );
}

/**
 * The QuickBooks company each store's quantities come from — Desktop “name” or Online “name”, the
 * company the store posts to — by store id; empty when the account has at most one company, where
 * naming it would tell nothing.
 */
export function storeCompanies(data: InventoryStoresQuery | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!data) return out;
  const desktop = new Map(data.quickBooksDesktopConnections.edges.map((e) => [e.node.id, e.node.name]));
  const online = new Map(data.quickBooksOnlineConnections.edges.map((e) => [e.node.id, e.node.name]));
  if (desktop.size + online.size < 2) return out;
  for (const { node } of data.storeConnections.edges) {
    const d = node.quickBooksConnectionId && desktop.get(node.quickBooksConnectionId);
    const o = node.quickBooksOnlineConnectionId && online.get(node.quickBooksOnlineConnectionId);
    if (d) out.set(node.id, `Desktop “${d}”`);
    else if (o) out.set(node.id, `Online “${o}”`);
  }
  return out;
}

interface Filter {
  store: string;
  failedOnly: boolean;
  sku: string;
}

function parseFilter(search: string): Filter {
  const p = new URLSearchParams(search);
  return { store: p.get('store') ?? '', failedOnly: p.get('failed') === '1', sku: p.get('sku') ?? '' };
}

function filterSearch(f: Filter): string {
  const p = new URLSearchParams();
  if (f.store) p.set('store', f.store);
  if (f.failedOnly) p.set('failed', '1');
  if (f.sku.trim()) p.set('sku', f.sku.trim());
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function InventoryPage() {
  useTitle('Inventory');
  const [filter, setFilter] = useSearchFilter('/inventory', parseFilter, filterSearch);
  const [skuText, setSkuText] = useState(filter.sku);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [pushing, setPushing] = useState<string | null>(null);

  const stores = useQuery<InventoryStoresQuery>(INVENTORY_STORES_QUERY);
  const storeList = (stores.data?.storeConnections.edges ?? []).map((e) => e.node).filter((s) => s.channel !== 'SHIPSTATION');
  const syncing = storeList.filter((s) => s.settings.inventory.enabled);
  const companies = storeCompanies(stores.data);

  // Both lists take the store and "Failures only"; the updates the SKU as well.
  const storeFilter = {
    ...(filter.store ? { storeConnectionId: filter.store } : {}),
    ...(filter.failedOnly ? { failedOnly: true } : {}),
  };
  const updates = usePagedConnection<InventoryUpdatesQuery, UpdateRow>({
    query: INVENTORY_UPDATES_QUERY,
    variables: (after, first) => ({
      filter: { ...storeFilter, ...(filter.sku.trim() ? { sku: filter.sku.trim() } : {}) },
      first: first ?? 50,
      after,
    }),
    connection: (d) => d.inventoryUpdates,
    refreshMs: INVENTORY_REFRESH_MS,
    pageSize: 50,
  });
  const log = usePagedConnection<InventoryPushLogQuery, PushRow>({
    query: INVENTORY_PUSH_LOG_QUERY,
    variables: (after, first) => ({
      filter: storeFilter,
      first: first ?? 25,
      after,
    }),
    connection: (d) => d.inventoryPushLog,
    refreshMs: INVENTORY_REFRESH_MS,
    pageSize: 25,
  });

  const pushNow = async (storeConnectionId: string, skus: string[] | null, key: string) => {
    setPushing(key);
    setNotice(null);
    try {
      const data = await graphql<PushInventoryNowMutation>(PUSH_INVENTORY_NOW_MUTATION, {
        storeConnectionId,
        ...(skus ? { skus } : {}),
      });
      setNotice({ kind: 'ok', text: data.pushInventoryNow.message });
      updates.refresh();
      log.refresh();
    } catch (err) {
      const e = toGraphQLError(err);
      setNotice({ kind: 'error', text: e.code === 'FORBIDDEN' ? 'You do not have permission to push inventory.' : e.message });
    } finally {
      setPushing(null);
    }
  };

  const filtered = filter.store !== '' || filter.failedOnly || filter.sku.trim() !== '';
  const rows = updates.rows;

  return (
    <div className="page">
      <header className="page-header">
        <h1>Inventory</h1>
        <p className="muted">
          Quantities from QuickBooks and what each store gets: each store’s come from the QuickBooks company it posts to. Ledgerlink reads a
          QuickBooks Desktop company after every Web Connector run and a QuickBooks Online company on Intuit’s change notices and on a
          schedule, and pushes changed quantities to the stores with inventory sync on (a store’s Settings on the{' '}
          <Link to="/connections">Connections</Link> page).
        </p>
      </header>

      {stores.data && syncing.length === 0 && (
        <p className="notice" data-testid="inventory-off">
          Inventory sync is off for every store. Turn it on under a store’s Settings › Inventory sync on the{' '}
          <Link to="/connections">Connections</Link> page.
        </p>
      )}

      <div className="toolbar">
        <div className="filters">
          <InlineSelect
            id="inventory-store"
            label="Store"
            value={filter.store}
            onChange={(e) => setFilter({ ...filter, store: e.target.value })}
            first={<option value="">All stores</option>}
            options={storeList.map((s) => ({ value: s.id, label: s.name }))}
          />
          <div className="field field-inline">
            <label className="checkbox" htmlFor="inventory-failed">
              <input
                id="inventory-failed"
                type="checkbox"
                checked={filter.failedOnly}
                onChange={(e) => setFilter({ ...filter, failedOnly: e.target.checked })}
              />
              Failures only
            </label>
          </div>
          <form
            className="field field-inline"
            onSubmit={(e) => {
              e.preventDefault();
              setFilter({ ...filter, sku: skuText });
            }}
          >
            <label htmlFor="inventory-sku">SKU</label>
            <input id="inventory-sku" type="search" value={skuText} placeholder="Part of a SKU" onChange={(e) => setSkuText(e.target.value)} />
          </form>
          {filtered && (
            <button
              type="button"
              className="button button-link"
              onClick={() => {
                setSkuText('');
                setFilter({ store: '', failedOnly: false, sku: '' });
              }}
            >
              Clear filters
            </button>
          )}
        </div>
        <div className="actions">
          {syncing
            .filter((s) => !filter.store || s.id === filter.store)
            .map((s) => (
              <button
                key={s.id}
                type="button"
                className="button"
                disabled={pushing !== null}
                aria-busy={pushing === `all-${s.id}`}
                onClick={() => void pushNow(s.id, null, `all-${s.id}`)}
              >
                {pushing === `all-${s.id}` ? 'Queuing…' : `Push all to ${s.name}`}
              </button>
            ))}
        </div>
      </div>

      {notice && (
        <p className={notice.kind === 'ok' ? 'notice' : 'alert alert-error'} role={notice.kind === 'ok' ? 'status' : 'alert'} data-testid="push-notice">
          {notice.text}
        </p>
      )}
      {updates.error && <ErrorNotice error={updates.error} onRetry={updates.reload} prefix="Could not load the inventory:" />}

      <section className="panel" aria-label="SKUs" aria-busy={updates.loading} data-testid="inventory-updates">
        <h2>SKUs</h2>
        <ResultCount list={updates} noun={['SKU', 'SKUs']} testId="inventory-total" />
        <EmptyList list={updates} testId="empty-state" filtered={filtered && 'SKUs'}>
          No inventory updates yet. Once inventory sync is on, each QuickBooks item’s quantity appears here with the store it goes to.
        </EmptyList>
        <DataTable
          rows={rows}
          className="table table-inventory"
          region="Inventory updates"
          columns={['SKU', 'QuickBooks quantity', 'Store quantity', 'Store', 'Last push', 'Status', { label: 'Actions', hidden: true }]}
        >
          {(row) => (
            <tr key={row.id} data-testid={`inventory-row-${row.sku}-${row.storeConnectionId}`}>
              <td>
                <strong>{row.sku}</strong>
                {row.quickBooksItem && row.quickBooksItem !== row.sku && <div className="muted">QuickBooks: {row.quickBooksItem}</div>}
              </td>
              <td className="num">
                {formatQuantity(row.quickBooksQuantity)}
                {!!row.quickBooksOnSalesOrder && <div className="muted">{formatQuantity(row.quickBooksOnSalesOrder)} on sales orders</div>}
              </td>
              <td className="num">
                {row.storeQuantity}
                {row.pushedQuantity !== null && row.pushedQuantity !== undefined && row.pushedQuantity !== row.storeQuantity && (
                  <div className="muted">store has {row.pushedQuantity}</div>
                )}
              </td>
              <td>
                <ChannelBadge channel={row.channel} /> {row.storeConnectionName}
                {companies.has(row.storeConnectionId) && (
                  <div className="muted" data-testid="inventory-company">
                    {companies.get(row.storeConnectionId)}
                  </div>
                )}
              </td>
              <td className="nowrap">{row.lastPushAt ? <time dateTime={row.lastPushAt}>{formatDateTime(row.lastPushAt)}</time> : 'Never'}</td>
              <td>
                <span className={`badge ${STATUS_BADGE[row.status]}`} data-testid="inventory-status">
                  {STATUS_LABEL[row.status]}
                </span>
                {row.status === 'MISMATCHED' && <MismatchExplanation row={row} />}
                {row.status !== 'MISMATCHED' && row.reason && (
                  <p className="muted" data-testid="inventory-reason">
                    {row.reason}
                  </p>
                )}
              </td>
              <td>
                <button
                  type="button"
                  className="button button-small"
                  disabled={pushing !== null || row.status === 'PUSHING'}
                  aria-label={`Push ${row.sku} to ${row.storeConnectionName} now`}
                  onClick={() => void pushNow(row.storeConnectionId, [row.sku], row.id)}
                >
                  {pushing === row.id ? 'Queuing…' : 'Push now'}
                </button>
              </td>
            </tr>
          )}
        </DataTable>
        <LoadMore list={updates} onLoadMore={updates.loadMore} />
      </section>

      {log.error && <ErrorNotice error={log.error} onRetry={log.reload} prefix="Could not load the push log:" />}
      <section className="panel" aria-label="Inventory updates" aria-busy={log.loading} data-testid="inventory-push-log">
        <h2>Inventory updates</h2>
        <p className="muted">Every quantity sent to a store, newest first, with what the store answered.</p>
        <ResultCount list={log} noun={['update', 'updates']} testId="push-log-total" />
        {!log.loading && log.loaded && log.rows.length === 0 && <p className="empty">No quantities sent yet.</p>}
        {log.rows.length > 0 && <PushLogTable rows={log.rows} />}
        <LoadMore list={log} onLoadMore={log.loadMore} />
      </section>
    </div>
  );
}

/** Pushes as a table: time, SKU, store, quantity, outcome and what happened. */
export function PushLogTable({ rows, label = 'Inventory updates' }: { rows: readonly PushRow[]; /** The scrollable region's name (unique on its page). */ label?: string }) {
  return (
    // A focusable region so a keyboard can scroll it when it is wider than a phone.
    <DataTable rows={rows} className="table table-push-log" region={label} columns={['Time', 'SKU', 'Store', 'Quantity', 'Result', 'Details']}>
      {(p) => (
        <tr key={p.id}>
          <td className="nowrap">
            <time dateTime={p.createdAt}>{formatDateTime(p.createdAt)}</time>
          </td>
          <td>{p.sku}</td>
          <td>{p.storeConnectionName}</td>
          <td className="num">{p.quantity}</td>
          <td>
            <OutcomeBadge outcome={p.outcome} />
          </td>
          <td className="muted">{p.reason}</td>
        </tr>
      )}
    </DataTable>
  );
}
