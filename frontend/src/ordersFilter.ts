// The Orders page's filters: kept in the URL query string (so a view can be shared as a
// link) and turned into variables for the `orders` query.
import type { OrderFilter, OrderState, OrderStateCounts } from './graphql/schema';
import { OrderStateValues } from './graphql/schema';

export interface OrdersFilterState {
  state: OrderState | null;
  /** Free text as typed (order number or customer); trimmed only when sent. */
  search: string;
  /** A store connection's id (the dashboard's store cards link to their orders); null is every store. */
  store: string | null;
  /** Only these orders (the mapping page links to the orders a resync processed); empty is any. */
  ids: string[];
}

export const EMPTY_ORDERS_FILTER: OrdersFilterState = { state: null, search: '', store: null, ids: [] };

/** The most order ids a link may name (the API's limit). */
export const MAX_ORDER_IDS = 500;

export const ORDERS_PAGE_SIZE = 50;

/** The state tabs, in order; `state: null` is "All". `count` names the field of OrderStateCounts. */
export const ORDER_TABS: readonly { label: string; state: OrderState | null; count: keyof OrderStateCounts | null }[] = [
  { label: 'All', state: null, count: null },
  { label: 'Pending', state: 'PENDING', count: 'pending' },
  { label: 'Ready', state: 'READY', count: 'ready' },
  { label: 'Sent', state: 'SENT', count: 'sent' },
  { label: 'Posted', state: 'POSTED', count: 'posted' },
  { label: 'Errors', state: 'ERROR', count: 'error' },
  { label: 'Needs mapping', state: 'NEEDS_MAPPING', count: 'needsMapping' },
  { label: 'Duplicates', state: 'SKIPPED_DUPLICATE', count: 'skippedDuplicate' },
  { label: 'Excluded', state: 'EXCLUDED', count: 'excluded' },
];

/** How many orders a tab holds; "All" is the sum of every state. */
export function tabCount(counts: OrderStateCounts, key: keyof OrderStateCounts | null): number {
  if (key) return counts[key];
  return ORDER_TABS.reduce((sum, t) => sum + (t.count ? counts[t.count] : 0), 0);
}

function parseState(value: string | null): OrderState | null {
  const upper = (value ?? '').toUpperCase();
  return (OrderStateValues as readonly string[]).includes(upper) ? (upper as OrderState) : null;
}

/** Reads the filters from a query string such as "?state=ERROR&q=1001". */
export function parseOrdersSearch(search: string): OrdersFilterState {
  const params = new URLSearchParams(search);
  const store = params.get('store');
  const ids = (params.get('ids') ?? '').split(',').filter((id) => /^\d+$/.test(id)).slice(0, MAX_ORDER_IDS);
  return { state: parseState(params.get('state')), search: params.get('q') ?? '', store: store && /^\d+$/.test(store) ? store : null, ids };
}

/** The query string for a filter state: "" when nothing is filtered, else "?state=…&q=…". */
export function ordersSearchString(state: OrdersFilterState): string {
  const params = new URLSearchParams();
  if (state.state) params.set('state', state.state);
  if (state.search) params.set('q', state.search);
  if (state.store) params.set('store', state.store);
  if (state.ids.length) params.set('ids', state.ids.join(','));
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}

/** The `orders` query's variables. */
export function ordersVariables(
  state: OrdersFilterState,
  after: string | null = null,
  first: number = ORDERS_PAGE_SIZE,
): { filter: OrderFilter; first: number; after?: string } {
  const filter: OrderFilter = {};
  if (state.state) filter.state = state.state;
  const search = state.search.trim();
  if (search) filter.search = search;
  if (state.store) filter.connectionId = state.store;
  if (state.ids.length) filter.ids = state.ids;
  return after ? { filter, first, after } : { filter, first };
}

export function isOrdersFiltered(state: OrdersFilterState): boolean {
  return Boolean(state.state || state.search.trim() || state.store || state.ids.length);
}
