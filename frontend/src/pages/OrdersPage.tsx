import { useEffect, useState } from 'react';
import { graphql, type GraphQLError } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { DataTable, ClearFilters, EmptyList, FilterTabs, InlineInput, LoadMore, ResultCount } from '../components/list/ListKit';
import { OrderStateBadge } from '../components/OrderStateBadge';
import './orders.css';
import { formatCount, formatDateTime, formatDateTimeShort, formatMoney } from '../format';
import {
  EMPTY_ORDERS_FILTER,
  ORDER_TABS,
  ORDERS_PAGE_SIZE,
  isOrdersFiltered,
  ordersSearchString,
  ordersVariables,
  parseOrdersSearch,
  tabCount,
} from '../ordersFilter';
import { Link } from '../router';
import { toGraphQLError, useQuery } from '../useQuery';
import { usePagedConnection, type NodeOf } from '../usePagedConnection';
import { useTitle } from '../useTitle';
import { ORDERS_QUERY, ORDER_STATE_COUNTS_QUERY, RESYNC_MUTATION } from '../graphql/orders';
import type { OrderStateCountsQuery, OrdersQuery, ResyncOrdersMutation } from '../graphql/operations';
import { useSearchBox } from '../components/list/useSearchBox';
import { useSearchFilter } from '../components/list/useSearchFilter';
import { useStoreNames } from '../useStoreNames';

/** States an order can be resynced from: posted and queued orders are left alone by the server. */
export const RESYNCABLE = new Set(['PENDING', 'ERROR', 'NEEDS_MAPPING', 'EXCLUDED']);

export const ORDERS_REFRESH_MS = 15_000;
export const SEARCH_DEBOUNCE_MS = 300;

export const EMPTY_ORDERS = 'No orders yet. Orders pulled from your stores appear here with their sync state.';

type OrderRow = NodeOf<OrdersQuery['orders']>;

/** One line under the tabs saying what the selected one holds (by state; null is All). */
export const ORDER_TAB_HELP: Record<string, string> = {
  ALL: 'Every order pulled from your stores, newest first.',
  PENDING: 'Just pulled: matching and rules have not run yet. Orders pass through here within seconds.',
  READY: 'Matched and queued for the next QuickBooks Web Connector run — what Connex calls the Pending Queue.',
  SENT: 'Handed to QuickBooks; its answer has not come back yet.',
  POSTED: 'In QuickBooks.',
  ERROR: 'QuickBooks or Ledgerlink refused them: each reason says what to do, then resync.',
  NEEDS_MAPPING: 'A SKU has no QuickBooks item: map it on Missing Product Mapping, then resync.',
  SKIPPED_DUPLICATE: 'Already in QuickBooks with the same number, date and store: not posted again.',
  EXCLUDED: 'Left out by a rule or the store’s order-status filter.',
};

const CHANNEL_LABEL: Record<string, string> = { shopify: 'Shopify', woocommerce: 'WooCommerce', shipstation: 'ShipStation' };
export const channelLabel = (channel: string): string => CHANNEL_LABEL[channel] ?? channel;

export function OrdersPage() {
  useTitle('Orders');
  const [filter, setFilter] = useSearchFilter('/orders', parseOrdersSearch, ordersSearchString);
  const filterKey = ordersSearchString(filter);

  const counts = useQuery<OrderStateCountsQuery>(ORDER_STATE_COUNTS_QUERY, undefined, {
    pollMs: ORDERS_REFRESH_MS,
  });

  // The search box: typed text goes to the URL after a pause.
  const { text, setText, clearAll } = useSearchBox(filter, setFilter, SEARCH_DEBOUNCE_MS);

  // Results: the first page reloads whenever the filters change; "Load more" appends; every
  // 15 s what is on screen is read again.
  const list = usePagedConnection<OrdersQuery, OrderRow>({
    query: ORDERS_QUERY,
    variables: (after, first) => ordersVariables(filter, after, first),
    connection: (d) => d.orders,
    refreshMs: ORDERS_REFRESH_MS,
    pageSize: ORDERS_PAGE_SIZE,
  });
  const { rows, setRows, loading, error } = list;

  // Bulk resync: the merchant ticks orders (errors, parked, excluded) and sends them through
  // matching, rules and queueing again.
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [resyncing, setResyncing] = useState(false);
  const [resyncNote, setResyncNote] = useState('');
  const [resyncError, setResyncError] = useState<GraphQLError | null>(null);
  useEffect(() => setSelected(new Set()), [filterKey]);
  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const selectable = rows.filter((r) => RESYNCABLE.has(r.state));
  const allSelected = selectable.length > 0 && selectable.every((r) => selected.has(r.id));
  const resync = () => {
    const ids = [...selected];
    if (ids.length === 0 || resyncing) return;
    setResyncing(true);
    setResyncNote('');
    setResyncError(null);
    graphql<ResyncOrdersMutation>(RESYNC_MUTATION, { ids })
      .then(({ resyncOrders }) => {
        const byId = new Map(resyncOrders.map((o) => [o.id, o]));
        setRows((prev) => prev.map((r) => (byId.has(r.id) ? { ...r, ...byId.get(r.id)! } : r)));
        const queued = resyncOrders.filter((o) => o.state === 'READY').length;
        setResyncNote(
          `${formatCount(resyncOrders.length)} ${resyncOrders.length === 1 ? 'order' : 'orders'} resynced: ${formatCount(queued)} queued for QuickBooks.`,
        );
        setSelected(new Set());
        counts.refetch();
      })
      .catch((err: unknown) => setResyncError(toGraphQLError(err)))
      .finally(() => setResyncing(false));
  };

  const filtered = isOrdersFiltered(filter);
  const storeName = useStoreNames();
  const stateCounts = counts.data?.orderStateCounts;

  return (
    <div className="page">
      <header className="page-header">
        <h1>Orders</h1>
        <p className="muted">
          Orders from your stores and how each one was recorded in QuickBooks, newest first. Refreshes every 15 seconds.
        </p>
      </header>

      <div className="toolbar">
        <FilterTabs
          label="Order state"
          tabs={ORDER_TABS.filter((tab) => tab.state !== 'PENDING' || filter.state === 'PENDING' || !stateCounts || stateCounts.pending > 0)}
          panelId="orders-results"
          title={(tab) => ORDER_TAB_HELP[tab.state ?? 'ALL']}
          wrap
          isSelected={(tab) => filter.state === tab.state}
          onSelect={(tab) => setFilter({ ...filter, state: tab.state })}
          badge={(tab) =>
            stateCounts && (
              <span className="tab-count" data-testid={`order-tab-count-${tab.state ?? 'ALL'}`}>
                {formatCount(tabCount(stateCounts, tab.count))}
              </span>
            )
          }
        />
        <div className="filters">
          <InlineInput
            id="orders-search"
            label="Search"
            type="search"
            placeholder="Order number or customer"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <ClearFilters shown={filtered} onClear={() => clearAll(EMPTY_ORDERS_FILTER)} />
        </div>
      </div>

      <p className="muted small tab-help" data-testid="order-tab-help">
        {ORDER_TAB_HELP[filter.state ?? 'ALL']}
        {filter.store && <> Showing the orders of {storeName(filter.store)} only.</>}
      </p>
      {filter.ids.length > 0 && (
        <p className="notice" data-testid="orders-by-id">
          Showing only the {filter.ids.length === 1 ? 'order' : `${formatCount(filter.ids.length)} orders`} a resync sent again.{' '}
          <Link to={`/orders${ordersSearchString({ ...filter, ids: [] })}`}>Show all orders</Link>
        </p>
      )}

      {counts.error && !stateCounts && <ErrorNotice error={counts.error} onRetry={counts.refetch} prefix="Could not load the counts:" />}
      {(resyncError ?? error) && (
        <ErrorNotice error={(resyncError ?? error)!} onRetry={list.reload} prefix="Could not load the orders:" />
      )}

      <section id="orders-results" className="panel" role="tabpanel" aria-busy={loading}>
        <ResultCount list={list} noun={['order', 'orders']} testId="orders-total" />
        {selectable.length > 0 && (
          <div className="bulk-actions">
            <button type="button" className="button" onClick={resync} disabled={selected.size === 0 || resyncing} data-testid="resync-selected">
              {resyncing ? 'Resyncing…' : `Resync selected (${formatCount(selected.size)})`}
            </button>
            <span className="muted">Errors, parked and excluded orders can be resynced; posted orders are never posted again.</span>
          </div>
        )}
        {resyncNote && (
          <p className="notice notice-success" role="status" data-testid="resync-result">
            {resyncNote}
          </p>
        )}
        <EmptyList list={list} testId="empty-state" filtered={filtered && 'orders'}>
          {EMPTY_ORDERS}
        </EmptyList>
        <DataTable
          rows={rows}
          className="table table-orders"
          region="Orders"
          columns={[
            {
              className: 'check',
              label: (
                <input
                  type="checkbox"
                  aria-label="Select all orders that can be resynced"
                  checked={allSelected}
                  disabled={selectable.length === 0}
                  onChange={() => setSelected(allSelected ? new Set() : new Set(selectable.map((r) => r.id)))}
                />
              ),
            },
            { label: 'Order', className: 'col-number' },
            { label: 'Store', className: 'col-store' },
            { label: 'Customer', className: 'col-customer' },
            { label: 'Total', className: 'num col-total' },
            { label: 'State', className: 'col-state' },
            { label: 'Reason', className: 'col-reason' },
            { label: 'Placed', className: 'col-date' },
          ]}
        >
          {(row) => (
            <tr key={row.id} data-testid={`order-row-${row.id}`}>
              <td className="check col-check">
                {RESYNCABLE.has(row.state) && (
                  <input
                    type="checkbox"
                    aria-label={`Select order ${row.number}`}
                    checked={selected.has(row.id)}
                    onChange={() => toggle(row.id)}
                  />
                )}
              </td>
              <td className="col-number">
                <Link to={`/orders/${encodeURIComponent(row.id)}`} className="row-link">
                  {row.number}
                </Link>
                {row.changedAfterPost && (
                  <span className="badge badge-warning badge-gap" title="Changed in the store after it was posted">
                    Changed
                  </span>
                )}
              </td>
              <td className="col-store" title={channelLabel(row.channel)}>
                {storeName(row.connectionId)}
              </td>
              <td className="col-customer">{row.customerName || <span className="muted">—</span>}</td>
              <td className="num nowrap col-total">{formatMoney(row.total, row.currency)}</td>
              <td className="col-state">
                <OrderStateBadge state={row.state} />
              </td>
              <td className="reason col-reason" title={row.stateReason || undefined}>
                {row.stateReason || <span className="muted">—</span>}
              </td>
              <td className="nowrap col-date">
                {row.storeCreatedAt ? (
                  <time dateTime={row.storeCreatedAt} title={formatDateTime(row.storeCreatedAt)}>
                    {formatDateTimeShort(row.storeCreatedAt)}
                  </time>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          )}
        </DataTable>
        <LoadMore list={list} onLoadMore={list.loadMore} />
      </section>
    </div>
  );
}
