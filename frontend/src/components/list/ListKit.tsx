// The pieces every list page shares around usePagedConnection: the filter tabs, search box and
// "Clear filters" above a list, the "Showing n of m" line, the empty state, the table header and
// the "Load more" button.
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from 'react';
import { formatCount } from '../../format';

type ListState = {
  loading: boolean;
  loadingMore: boolean;
  loaded: boolean;
  hasNextPage: boolean;
  totalCount: number;
  /** The server stopped counting at totalCount: shown as "1,000+". */
  totalCountCapped?: boolean;
  rows: readonly unknown[];
};

/** "Showing 3 of 10 orders" ("of 10,000+" when the count is capped); the noun is [one, many]. */
export function showingText(shown: number, total: number, noun: readonly [string, string], capped = false): string {
  return `Showing ${formatCount(shown)} of ${formatCount(total)}${capped ? '+' : ''} ${total === 1 && !capped ? noun[0] : noun[1]}`;
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
      {list.loading ? 'Loading…' : list.loaded && !hidden ? (text ?? showingText(list.rows.length, list.totalCount, noun, list.totalCountCapped)) : ''}
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
export function FirstPageNote({ list, noun }: { list: Pick<ListState, 'hasNextPage' | 'totalCount' | 'totalCountCapped' | 'rows'>; noun: string }) {
  if (!list.hasNextPage) return null;
  return (
    <p className="muted small">
      Showing the first {formatCount(list.rows.length)} of {formatCount(list.totalCount)}{list.totalCountCapped ? '+' : ''} {noun}.
    </p>
  );
}

/**
 * The empty state of a loaded list: shown once the first page has arrived with no rows (never
 * while loading, so a refetch does not flash it). While filters are set (`filtered`: what the
 * list holds, e.g. "orders") it says "No orders match these filters." instead of `children`.
 */
export function EmptyList({
  list,
  testId,
  filtered,
  children,
}: {
  list: Pick<ListState, 'loading' | 'loaded' | 'rows'>;
  testId?: string;
  filtered?: string | false;
  children: ReactNode;
}) {
  if (list.loading || !list.loaded || list.rows.length > 0) return null;
  return (
    <p className="empty" data-testid={testId}>
      {filtered ? `No ${filtered} match these filters.` : children}
    </p>
  );
}

/**
 * A tab row that filters a list (role="tablist", each tab controlling the panel `panelId`).
 * `badge` adds content after a tab's label (e.g. a count); `title` a tooltip.
 */
export function FilterTabs<T extends { label: string }>({
  label,
  tabs,
  panelId,
  isSelected,
  onSelect,
  wrap = false,
  title,
  badge,
}: {
  /** The tab list's accessible name. */
  label: string;
  tabs: readonly T[];
  panelId: string;
  isSelected: (tab: T) => boolean;
  onSelect: (tab: T) => void;
  /** Lets the tabs wrap onto more lines. */
  wrap?: boolean;
  title?: (tab: T) => string | undefined;
  badge?: (tab: T) => ReactNode;
}) {
  return (
    <div className={wrap ? 'tabs tabs-wrap' : 'tabs'} role="tablist" aria-label={label}>
      {tabs.map((tab) => {
        const selected = isSelected(tab);
        const extra = badge?.(tab);
        return (
          <button
            key={tab.label}
            type="button"
            role="tab"
            aria-selected={selected}
            aria-controls={panelId}
            className={`tab ${selected ? 'tab-active' : ''}`}
            title={title?.(tab)}
            onClick={() => onSelect(tab)}
          >
            {tab.label}
            {extra ? ' ' : null}
            {extra || null}
          </button>
        );
      })}
    </div>
  );
}

/** A labelled input laid out inline in a toolbar (search box, date bound); the rest of the props go to the <input>. */
export function InlineInput({ id, label, ...input }: { id: string; label: string } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div className="field field-inline">
      <label htmlFor={id}>{label}</label>
      <input id={id} {...input} />
    </div>
  );
}

/**
 * A labelled drop-down laid out inline in a toolbar: `first` (e.g. an "All stores" option), then
 * one option per entry of `options`; the rest of the props go to the <select>.
 */
export function InlineSelect({
  id,
  label,
  first,
  options,
  ...select
}: { id: string; label: string; first?: ReactNode; options: readonly { value: string; label: ReactNode }[] } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <div className="field field-inline">
      <label htmlFor={id}>{label}</label>
      <select id={id} {...select}>
        {first}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The "Clear filters" link-button, shown only while a filter is set. */
export function ClearFilters({ shown, onClear }: { shown: boolean; onClear: () => void }) {
  if (!shown) return null;
  return (
    <button type="button" className="button button-link" onClick={onClear}>
      Clear filters
    </button>
  );
}

/** A table column: its heading, a class (e.g. "num" for right-aligned numbers), or a heading read only by screen readers. */
export type Column = string | { label: ReactNode; className?: string; hidden?: boolean };

/** A table's header row, one <th scope="col"> a column. */
export function TableHead({ columns }: { columns: readonly Column[] }) {
  return (
    <thead>
      <tr>
        {columns.map((col, i) => {
          const c = typeof col === 'string' ? { label: col } : col;
          return (
            <th key={i} scope="col" className={c.className}>
              {c.hidden ? <span className="visually-hidden">{c.label}</span> : c.label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}

/**
 * A list's table in its scrolling wrapper: the header from `columns`, a body row (or rows) per
 * item from `children`. Nothing at all while there are no rows (the empty state says why).
 */
export function DataTable<R>({
  rows,
  columns,
  className = 'table',
  testId,
  region,
  foot,
  children,
}: {
  rows: readonly R[];
  columns: readonly Column[];
  /** The table's classes. */
  className?: string;
  testId?: string;
  /**
   * Names the wrapper, a focusable region, so a keyboard can scroll a table wider than the screen
   * (axe's scrollable-region-focusable). Required: any table may be wider than a phone.
   */
  region: string;
  /** The table's <tfoot> rows. */
  foot?: ReactNode;
  children: (row: R, index: number) => ReactNode;
}) {
  if (rows.length === 0) return null;
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={region}>
      <table className={className} data-testid={testId}>
        <TableHead columns={columns} />
        <tbody>{rows.map(children)}</tbody>
        {foot && <tfoot>{foot}</tfoot>}
      </table>
    </div>
  );
}
