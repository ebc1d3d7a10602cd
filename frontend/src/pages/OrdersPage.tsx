import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { graphql, type GraphQLError } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { OrderStateBadge } from '../components/OrderStateBadge';
import { formatCount, formatDateTime, formatMoney } from '../format';
import type { Order, OrderStateCounts, PageInfo } from '../graphql/schema';
import {
  EMPTY_ORDERS_FILTER,
  ORDER_TABS,
  ORDERS_PAGE_SIZE,
  isOrdersFiltered,
  ordersSearchString,
  ordersVariables,
  parseOrdersSearch,
  tabCount,
  type OrdersFilterState,
} from '../ordersFilter';
import { Link, useLocation, useNavigate } from '../router';
import { toGraphQLError, useQuery } from '../useQuery';
import { useTitle } from '../useTitle';

export const ORDERS_QUERY = `query Orders($filter: OrderFilter, $first: Int, $after: String) {
  orders(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id number channel customerName total currency state stateReason storeCreatedAt changedAfterPost } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

export const ORDER_STATE_COUNTS_QUERY = `query OrderStateCounts {
  orderStateCounts { pending ready sent posted error needsMapping skippedDuplicate excluded }
}`;

export const RESYNC_MUTATION = `mutation ResyncOrders($ids: [ID!]!) {
  resyncOrders(ids: $ids) { id state stateReason }
}`;

/** States an order can be resynced from: posted and queued orders are left alone by the server. */
export const RESYNCABLE = new Set(['PENDING', 'ERROR', 'NEEDS_MAPPING', 'EXCLUDED']);

export const ORDERS_REFRESH_MS = 15_000;
export const SEARCH_DEBOUNCE_MS = 300;
/** The server's largest page (db.MaxPageSize). */
const MAX_PAGE_SIZE = 100;

export const EMPTY_ORDERS = 'No orders yet. Orders pulled from your stores appear here with their sync state.';

type OrderRow = Pick<
  Order,
  'id' | 'number' | 'channel' | 'customerName' | 'total' | 'currency' | 'state' | 'stateReason' | 'storeCreatedAt' | 'changedAfterPost'
>;
interface OrdersPageData {
  edges: { cursor: string; node: OrderRow }[];
  pageInfo: Pick<PageInfo, 'hasNextPage' | 'endCursor'>;
  totalCount: number;
}

const CHANNEL_LABEL: Record<string, string> = { shopify: 'Shopify', woocommerce: 'WooCommerce', shipstation: 'ShipStation' };
export const channelLabel = (channel: string): string => CHANNEL_LABEL[channel] ?? channel;

export function OrdersPage() {
  useTitle('Orders');
  const location = useLocation();
  const navigate = useNavigate();
  const filter = useMemo(() => parseOrdersSearch(location.search), [location.search]);
  const filterKey = ordersSearchString(filter);
  const setFilter = (next: OrdersFilterState) => navigate(`/orders${ordersSearchString(next)}`, { replace: true });
  const latest = useRef(filter);
  latest.current = filter;

  const counts = useQuery<{ orderStateCounts: OrderStateCounts }>(ORDER_STATE_COUNTS_QUERY, undefined, {
    pollMs: ORDERS_REFRESH_MS,
  });

  // The search box: typed text goes to the URL after a pause.
  const [text, setText] = useState(filter.search);
  const pushed = useRef(filter.search);
  useEffect(() => {
    if (filter.search !== pushed.current) {
      pushed.current = filter.search;
      setText(filter.search);
    }
  }, [filter.search]);
  useEffect(() => {
    if (text === latest.current.search) return;
    const id = window.setTimeout(() => {
      pushed.current = text;
      setFilter({ ...latest.current, search: text });
    }, SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(id);
  }, [text]); // only typing starts the timer; the tab is read when it fires

  // Results: the first page reloads whenever the filters change; "Load more" appends; every
  // 15 s what is on screen is read again.
  const [rows, setRows] = useState<OrderRow[]>([]);
  const [page, setPage] = useState<Omit<OrdersPageData, 'edges'> | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<GraphQLError | null>(null);
  const [attempt, setAttempt] = useState(0);
  const generation = useRef(0);
  const busy = useRef(false);
  const loaded = useRef(0);
  loaded.current = rows.length;

  useEffect(() => {
    const gen = ++generation.current;
    const controller = new AbortController();
    busy.current = true;
    setLoading(true);
    setLoadingMore(false);
    setError(null);
    graphql<{ orders: OrdersPageData }>(ORDERS_QUERY, ordersVariables(parseOrdersSearch(filterKey)), { signal: controller.signal })
      .then(({ orders }) => {
        if (gen !== generation.current) return;
        setRows(orders.edges.map((e) => e.node));
        setPage({ pageInfo: orders.pageInfo, totalCount: orders.totalCount });
      })
      .catch((err: unknown) => {
        if (gen !== generation.current || controller.signal.aborted) return;
        setRows([]);
        setPage(null);
        setError(toGraphQLError(err));
      })
      .finally(() => {
        if (gen !== generation.current) return;
        busy.current = false;
        setLoading(false);
      });
    return () => controller.abort();
  }, [filterKey, attempt]);

  const refresh = useCallback(() => {
    if (busy.current) return;
    const gen = generation.current;
    const have = loaded.current;
    const first = Math.min(Math.max(have, ORDERS_PAGE_SIZE), MAX_PAGE_SIZE);
    busy.current = true;
    graphql<{ orders: OrdersPageData }>(ORDERS_QUERY, ordersVariables(parseOrdersSearch(filterKey), null, first))
      .then(({ orders }) => {
        if (gen !== generation.current) return;
        const fresh = orders.edges.map((e) => e.node);
        const seen = new Set(fresh.map((r) => r.id));
        setRows((prev) => [...fresh, ...prev.slice(first).filter((r) => !seen.has(r.id))]);
        setPage((prev) => ({
          pageInfo: have > MAX_PAGE_SIZE && prev ? prev.pageInfo : orders.pageInfo,
          totalCount: orders.totalCount,
        }));
        setError(null);
      })
      .catch((err: unknown) => {
        if (gen === generation.current) setError(toGraphQLError(err));
      })
      .finally(() => {
        if (gen === generation.current) busy.current = false;
      });
  }, [filterKey]);

  useEffect(() => {
    const id = window.setInterval(refresh, ORDERS_REFRESH_MS);
    return () => window.clearInterval(id);
  }, [refresh]);

  const loadMore = () => {
    const after = page?.pageInfo.endCursor;
    if (!after || loadingMore) return;
    const gen = ++generation.current; // a refresh still under way would undo the new page
    busy.current = true;
    setLoadingMore(true);
    setError(null);
    graphql<{ orders: OrdersPageData }>(ORDERS_QUERY, ordersVariables(filter, after))
      .then(({ orders }) => {
        if (gen !== generation.current) return;
        setRows((prev) => {
          const seen = new Set(prev.map((r) => r.id));
          return [...prev, ...orders.edges.map((e) => e.node).filter((n) => !seen.has(n.id))];
        });
        setPage({ pageInfo: orders.pageInfo, totalCount: orders.totalCount });
      })
      .catch((err: unknown) => {
        if (gen === generation.current) setError(toGraphQLError(err));
      })
      .finally(() => {
        if (gen !== generation.current) return;
        busy.current = false;
        setLoadingMore(false);
      });
  };

  // Bulk resync: the merchant ticks orders (errors, parked, excluded) and sends them through
  // matching, rules and queueing again.
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [resyncing, setResyncing] = useState(false);
  const [resyncNote, setResyncNote] = useState('');
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
    setError(null);
    graphql<{ resyncOrders: { id: string; state: Order['state']; stateReason: string }[] }>(RESYNC_MUTATION, { ids })
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
      .catch((err: unknown) => setError(toGraphQLError(err)))
      .finally(() => setResyncing(false));
  };

  const filtered = isOrdersFiltered(filter);
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
        <div className="tabs tabs-wrap" role="tablist" aria-label="Order state">
          {ORDER_TABS.map((tab) => (
            <button
              key={tab.label}
              type="button"
              role="tab"
              aria-selected={filter.state === tab.state}
              aria-controls="orders-results"
              className={`tab ${filter.state === tab.state ? 'tab-active' : ''}`}
              onClick={() => setFilter({ ...filter, state: tab.state })}
            >
              {tab.label}
              {stateCounts && ' '}
              {stateCounts && (
                <span className="tab-count" data-testid={`order-tab-count-${tab.state ?? 'ALL'}`}>
                  {formatCount(tabCount(stateCounts, tab.count))}
                </span>
              )}
            </button>
          ))}
        </div>
        <div className="filters">
          <div className="field field-inline">
            <label htmlFor="orders-search">Search</label>
            <input
              id="orders-search"
              type="search"
              placeholder="Order number or customer"
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
          </div>
          {filtered && (
            <button
              type="button"
              className="button button-link"
              onClick={() => {
                pushed.current = '';
                setText('');
                setFilter(EMPTY_ORDERS_FILTER);
              }}
            >
              Clear filters
            </button>
          )}
        </div>
      </div>

      {counts.error && !stateCounts && <ErrorNotice error={counts.error} onRetry={counts.refetch} prefix="Could not load the counts:" />}
      {error && <ErrorNotice error={error} onRetry={() => setAttempt((n) => n + 1)} prefix="Could not load the orders:" />}

      <section id="orders-results" className="panel" role="tabpanel" aria-busy={loading}>
        <p className="result-count" data-testid="orders-total" role="status">
          {loading
            ? 'Loading…'
            : page
              ? `Showing ${formatCount(rows.length)} of ${formatCount(page.totalCount)} ${page.totalCount === 1 ? 'order' : 'orders'}`
              : ''}
        </p>
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
        {!loading && page && rows.length === 0 && (
          <p className="empty" data-testid="empty-state">
            {filtered ? 'No orders match these filters.' : EMPTY_ORDERS}
          </p>
        )}
        {rows.length > 0 && (
          <div className="table-wrap">
            <table className="table table-orders">
              <thead>
                <tr>
                  <th scope="col" className="check">
                    <input
                      type="checkbox"
                      aria-label="Select all orders that can be resynced"
                      checked={allSelected}
                      disabled={selectable.length === 0}
                      onChange={() => setSelected(allSelected ? new Set() : new Set(selectable.map((r) => r.id)))}
                    />
                  </th>
                  <th scope="col">Order</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Customer</th>
                  <th scope="col" className="num">
                    Total
                  </th>
                  <th scope="col">State</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Store date</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id} data-testid={`order-row-${row.id}`}>
                    <td className="check">
                      {RESYNCABLE.has(row.state) && (
                        <input
                          type="checkbox"
                          aria-label={`Select order ${row.number}`}
                          checked={selected.has(row.id)}
                          onChange={() => toggle(row.id)}
                        />
                      )}
                    </td>
                    <td className="nowrap">
                      <Link to={`/orders/${encodeURIComponent(row.id)}`} className="row-link">
                        {row.number}
                      </Link>
                      {row.changedAfterPost && (
                        <span className="badge badge-warning badge-gap" title="Changed in the store after it was posted">
                          Changed
                        </span>
                      )}
                    </td>
                    <td className="nowrap">{channelLabel(row.channel)}</td>
                    <td>{row.customerName || <span className="muted">—</span>}</td>
                    <td className="num nowrap">{formatMoney(row.total, row.currency)}</td>
                    <td>
                      <OrderStateBadge state={row.state} />
                    </td>
                    <td className="reason">{row.stateReason || <span className="muted">—</span>}</td>
                    <td className="nowrap">
                      {row.storeCreatedAt ? (
                        <time dateTime={row.storeCreatedAt}>{formatDateTime(row.storeCreatedAt)}</time>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {page?.pageInfo.hasNextPage && (
          <div className="load-more">
            <button type="button" className="button" onClick={loadMore} disabled={loadingMore || loading}>
              {loadingMore ? 'Loading…' : 'Load more'}
            </button>
          </div>
        )}
      </section>
    </div>
  );
}
