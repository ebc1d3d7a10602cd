import { useCallback, useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import { graphql, type GraphQLError } from './api';
import { toGraphQLError } from './useQuery';

/** The part of a GraphQL connection a list reads: its nodes, whether more follow, and where. */
export interface ConnectionPage<N> {
  edges: readonly { node: N }[];
  /** totalCountCapped: the server stopped counting at totalCount (a lower bound). */
  pageInfo: { hasNextPage: boolean; endCursor?: string | null; totalCountCapped?: boolean };
  totalCount?: number;
}

/** The server's largest page (db.MaxPageSize): a refresh never asks for more in one request. */
export const MAX_PAGE_SIZE = 100;

export interface PagedConnectionOptions<TData, TNode> {
  /** The document of the first page (and of every page unless moreQuery is given). */
  query: string;
  /**
   * The variables of a page: the one after `after` (null: the first), with `first` rows when a
   * refresh asks for everything on screen at once (undefined: the list's own page size).
   * Read on every call, so it may close over the current filter; the first page reloads
   * whenever what it returns for (null) changes.
   */
  variables: (after: string | null, first?: number) => Record<string, unknown>;
  /** Where the connection is in an answer. */
  connection: (data: TData) => ConnectionPage<TNode>;
  /** The document of the pages after the first, when the first comes with more than the list. */
  moreQuery?: string;
  /** Reads what is on screen again every refreshMs milliseconds (never two at once). */
  refreshMs?: number;
  /** The list's page size: a refresh asks for max(shown, pageSize) rows, at most MAX_PAGE_SIZE. */
  pageSize?: number;
  /** Changing it reloads the first page although the variables did not change. */
  reloadKey?: unknown;
}

/** Which request the current error came from. */
export type PagedFailure = 'page' | 'more' | 'refresh';

export interface PagedConnection<TData, TNode> {
  /** The rows loaded so far, first page first, each id once. */
  rows: TNode[];
  /** For a page that changes rows in place (a mutation's answer). */
  setRows: Dispatch<SetStateAction<TNode[]>>;
  /** The latest first-page answer (the fields around the connection). */
  data: TData | null;
  totalCount: number;
  /** totalCount is a lower bound: the server stopped counting there ("1,000+"). */
  totalCountCapped: boolean;
  hasNextPage: boolean;
  /** A page for the current variables has arrived (false after a failed first page). */
  loaded: boolean;
  /** True while the first page loads (at mount, on new variables, on reload). */
  loading: boolean;
  loadingMore: boolean;
  error: GraphQLError | null;
  failedOn: PagedFailure | null;
  /** Loads the first page again (the "Try again" of a failed load). */
  reload: () => void;
  /** Reads what is on screen again in one request, keeping it shown meanwhile; skipped while another request runs. */
  refresh: () => void;
  /** Appends the next page; a refresh under way is dropped so it cannot undo the new rows. */
  loadMore: () => void;
}

interface Meta<TData> {
  data: TData | null;
  totalCount: number;
  totalCountCapped: boolean;
  hasNextPage: boolean;
  endCursor: string | null;
}

function appendNew<N extends { id: string }>(prev: N[], next: readonly N[]): N[] {
  const seen = new Set(prev.map((r) => r.id));
  return [...prev, ...next.filter((n) => !seen.has(n.id))];
}

/**
 * One list over a GraphQL connection: the first page when mounted and whenever the variables
 * change, "load more" that appends, an optional periodic refresh of what is on screen, and the
 * error and loading state of each. Every request that replaces the list bumps a generation;
 * answers for an older generation are dropped, so a slow answer never overwrites a newer list.
 */
export function usePagedConnection<TData, TNode extends { id: string }>(
  options: PagedConnectionOptions<TData, TNode>,
): PagedConnection<TData, TNode> {
  const opts = useRef(options);
  opts.current = options;
  const { query, refreshMs, reloadKey } = options;
  const varsKey = JSON.stringify(options.variables(null));

  const [rows, setRows] = useState<TNode[]>([]);
  const [meta, setMeta] = useState<Meta<TData> | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<GraphQLError | null>(null);
  const [failedOn, setFailedOn] = useState<PagedFailure | null>(null);
  const [attempt, setAttempt] = useState(0);
  const generation = useRef(0);
  const busy = useRef(false);
  const shown = useRef(0);
  shown.current = rows.length;
  // The variables the rows on screen were loaded with: a failed reload of the same list keeps
  // them, a failed load of other variables does not leave the old list under the new filter.
  const rowsKey = useRef<string | null>(null);

  const fail = (err: unknown, on: PagedFailure) => {
    setError(toGraphQLError(err));
    setFailedOn(on);
  };
  const clearError = () => {
    setError(null);
    setFailedOn(null);
  };

  useEffect(() => {
    const gen = ++generation.current;
    const controller = new AbortController();
    const { connection } = opts.current;
    busy.current = true;
    setLoading(true);
    setLoadingMore(false);
    clearError();
    graphql<TData>(query, JSON.parse(varsKey) as Record<string, unknown>, { signal: controller.signal })
      .then((data) => {
        if (gen !== generation.current) return;
        const conn = connection(data);
        rowsKey.current = varsKey;
        setRows(conn.edges.map((e) => e.node));
        setMeta({ data, totalCount: conn.totalCount ?? conn.edges.length, totalCountCapped: conn.pageInfo.totalCountCapped ?? false, hasNextPage: conn.pageInfo.hasNextPage, endCursor: conn.pageInfo.endCursor ?? null });
      })
      .catch((err: unknown) => {
        if (gen !== generation.current || controller.signal.aborted) return;
        if (rowsKey.current !== varsKey) {
          rowsKey.current = null;
          setRows([]);
          setMeta(null);
        }
        fail(err, 'page');
      })
      .finally(() => {
        if (gen !== generation.current) return;
        busy.current = false;
        setLoading(false);
      });
    return () => controller.abort();
  }, [query, varsKey, reloadKey, attempt]);

  const refresh = useCallback(() => {
    if (busy.current) return;
    const { variables, connection, pageSize = MAX_PAGE_SIZE } = opts.current;
    const gen = generation.current;
    const have = shown.current;
    const first = Math.min(Math.max(have, pageSize), MAX_PAGE_SIZE);
    busy.current = true;
    graphql<TData>(query, variables(null, first))
      .then((data) => {
        if (gen !== generation.current) return;
        const conn = connection(data);
        const fresh = conn.edges.map((e) => e.node);
        const seen = new Set(fresh.map((r) => r.id));
        setRows((prev) => [...fresh, ...prev.slice(first).filter((r) => !seen.has(r.id))]);
        // Beyond one server page the cursor of the last page loaded still marks where "more" starts.
        setMeta((prev) =>
          have > MAX_PAGE_SIZE && prev
            ? { ...prev, data, totalCount: conn.totalCount ?? prev.totalCount, totalCountCapped: conn.pageInfo.totalCountCapped ?? prev.totalCountCapped }
            : { data, totalCount: conn.totalCount ?? fresh.length, totalCountCapped: conn.pageInfo.totalCountCapped ?? false, hasNextPage: conn.pageInfo.hasNextPage, endCursor: conn.pageInfo.endCursor ?? null },
        );
        clearError();
      })
      .catch((err: unknown) => {
        if (gen === generation.current) fail(err, 'refresh');
      })
      .finally(() => {
        if (gen === generation.current) busy.current = false;
      });
  }, [query]);

  useEffect(() => {
    if (!refreshMs) return;
    const id = window.setInterval(refresh, refreshMs);
    return () => window.clearInterval(id);
  }, [refresh, refreshMs]);

  const after = meta?.endCursor ?? null;
  const loadMore = () => {
    if (!after || loadingMore) return;
    const { variables, connection, moreQuery } = opts.current;
    const gen = ++generation.current;
    busy.current = true;
    setLoadingMore(true);
    clearError();
    graphql<TData>(moreQuery ?? query, variables(after))
      .then((data) => {
        if (gen !== generation.current) return;
        const conn = connection(data);
        setRows((prev) => appendNew(prev, conn.edges.map((e) => e.node)));
        setMeta((prev) => ({
          data: prev?.data ?? data,
          totalCount: conn.totalCount ?? prev?.totalCount ?? 0,
          totalCountCapped: conn.pageInfo.totalCountCapped ?? prev?.totalCountCapped ?? false,
          hasNextPage: conn.pageInfo.hasNextPage,
          endCursor: conn.pageInfo.endCursor ?? null,
        }));
      })
      .catch((err: unknown) => {
        if (gen === generation.current) fail(err, 'more');
      })
      .finally(() => {
        if (gen !== generation.current) return;
        busy.current = false;
        setLoadingMore(false);
      });
  };

  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  return {
    rows,
    setRows,
    data: meta?.data ?? null,
    totalCount: meta?.totalCount ?? 0,
    totalCountCapped: meta?.totalCountCapped ?? false,
    hasNextPage: meta?.hasNextPage ?? false,
    loaded: meta !== null,
    loading,
    loadingMore,
    error,
    failedOn,
    reload,
    refresh,
    loadMore,
  };
}

/** The node type of a generated connection type (e.g. NodeOf<OrdersQuery['orders']>). */
export type NodeOf<C> = C extends { edges: readonly { node: infer N }[] } ? N : never;
