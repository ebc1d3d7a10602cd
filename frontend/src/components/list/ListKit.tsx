// The pieces every list page shares around usePagedConnection: the "Showing n of m" line and
// the "Load more" button.
import { formatCount } from '../../format';

type ListState = { loading: boolean; loadingMore: boolean; loaded: boolean; hasNextPage: boolean; totalCount: number; rows: readonly unknown[] };

/** "Showing 3 of 10 orders"; the noun is [one, many]. */
export function showingText(shown: number, total: number, noun: readonly [string, string]): string {
  return `Showing ${formatCount(shown)} of ${formatCount(total)} ${total === 1 ? noun[0] : noun[1]}`;
}

/**
 * The result line above a list: "Loading…" while the first page loads, then "Showing n of m"
 * (or `text` when given); empty when nothing is loaded or `hidden`.
 */
export function ResultCount({
  list,
  noun,
  testId,
  text,
  hidden = false,
  status = true,
}: {
  list: ListState;
  noun: readonly [string, string];
  testId?: string;
  /** Replaces the "Showing n of m" wording. */
  text?: string;
  /** Shows nothing once loaded (e.g. an empty, unfiltered list with its own empty state). */
  hidden?: boolean;
  /** Whether the line is a live region (role="status"). */
  status?: boolean;
}) {
  return (
    <p className="result-count" data-testid={testId} role={status ? 'status' : undefined}>
      {list.loading ? 'Loading…' : list.loaded && !hidden ? (text ?? showingText(list.rows.length, list.totalCount, noun)) : ''}
    </p>
  );
}

/** The "Load more" button, shown while the connection has a next page. */
export function LoadMore({
  list,
  onLoadMore,
  disabled,
}: {
  list: Pick<ListState, 'hasNextPage' | 'loading' | 'loadingMore'>;
  onLoadMore: () => void;
  /** Overrides the default (disabled while any page loads). */
  disabled?: boolean;
}) {
  if (!list.hasNextPage) return null;
  return (
    <div className="load-more">
      <button type="button" className="button" onClick={onLoadMore} disabled={disabled ?? (list.loadingMore || list.loading)}>
        {list.loadingMore ? 'Loading…' : 'Load more'}
      </button>
    </div>
  );
}

/** The note under a list that shows only its first server page. */
export function FirstPageNote({ list, noun }: { list: Pick<ListState, 'hasNextPage' | 'totalCount' | 'rows'>; noun: string }) {
  if (!list.hasNextPage) return null;
  return (
    <p className="muted small">
      Showing the first {formatCount(list.rows.length)} of {formatCount(list.totalCount)} {noun}.
    </p>
  );
}
