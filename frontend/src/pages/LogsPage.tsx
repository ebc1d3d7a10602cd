import { ErrorNotice } from '../components/ErrorNotice';
import { DataTable, ClearFilters, EmptyList, FilterTabs, InlineInput, LoadMore, ResultCount } from '../components/list/ListKit';
import { formatDateTime } from '../format';
import type { LogLevel } from '../graphql/schema';
import {
  EMPTY_LOGS_FILTER,
  LEVEL_TABS,
  isFiltered,
  logsSearchString,
  logsVariables,
  parseLogsSearch,
} from '../logsFilter';
import { Link } from '../router';
import { usePagedConnection, type NodeOf } from '../usePagedConnection';
import { useTitle } from '../useTitle';
import { LOGS_QUERY } from '../graphql/logs';
import type { LogsQuery } from '../graphql/operations';
import { useSearchBox } from '../components/list/useSearchBox';
import { useSearchFilter } from '../components/list/useSearchFilter';

export const SEARCH_DEBOUNCE_MS = 300;

type LogRow = NodeOf<LogsQuery['logs']>;
type LogsPage = LogsQuery['logs'];

const LEVEL_LABEL: Record<LogLevel, string> = { ERROR: 'Error', WARNING: 'Warning', INFO: 'Info' };

export function LevelBadge({ level }: { level: LogLevel }) {
  return <span className={`badge badge-${level.toLowerCase()}`}>{LEVEL_LABEL[level]}</span>;
}

export function LogsPage() {
  useTitle('Logs');
  const [filter, setFilter] = useSearchFilter('/logs', parseLogsSearch, logsSearchString);

  // The search box: typed text goes to the URL after a pause.
  const { text, setText, clearAll } = useSearchBox(filter, setFilter, SEARCH_DEBOUNCE_MS);

  // Results: the first page reloads whenever the filters change; "Load more" appends.
  const list = usePagedConnection<LogsQuery, LogRow>({
    query: LOGS_QUERY,
    variables: (after) => logsVariables(filter, after),
    connection: (d) => d.logs,
  });
  const { rows, loading, error } = list;

  const filtered = isFiltered(filter);
  const datesReversed = Boolean(filter.from && filter.to && filter.from > filter.to);

  return (
    <div className="page">
      <header className="page-header">
        <h1>Logs</h1>
        <p className="muted">What Ledgerlink did or could not do for this account, newest first.</p>
      </header>

      <div className="toolbar">
        <FilterTabs
          label="Level"
          tabs={LEVEL_TABS}
          panelId="logs-results"
          isSelected={(tab) => filter.level === tab.level}
          onSelect={(tab) => setFilter({ ...filter, level: tab.level })}
        />
        <div className="filters">
          <InlineInput id="logs-search" label="Search" type="search" placeholder="Message or hint" value={text} onChange={(e) => setText(e.target.value)} />
          <InlineInput id="logs-from" label="From" type="date" value={filter.from} max={filter.to || undefined} onChange={(e) => setFilter({ ...filter, from: e.target.value })} />
          <InlineInput id="logs-to" label="To" type="date" value={filter.to} min={filter.from || undefined} onChange={(e) => setFilter({ ...filter, to: e.target.value })} />
          <ClearFilters shown={filtered} onClear={() => clearAll(EMPTY_LOGS_FILTER)} />
        </div>
      </div>

      {datesReversed && <p className="notice">The From date is after the To date, so no lines can match.</p>}
      {error && <ErrorNotice error={error} onRetry={list.reload} prefix="Could not load the logs:" />}

      <section id="logs-results" className="panel" role="tabpanel" aria-busy={loading}>
        <ResultCount list={list} noun={['line', 'lines']} testId="logs-total" />
        <EmptyList list={list} filtered={filtered && 'log lines'}>
          No log lines yet. Ledgerlink writes here as it syncs your stores with QuickBooks.
        </EmptyList>
        <DataTable rows={rows} className="table table-logs" region="Sync log" columns={['Time', 'Level', 'Source', 'Message', 'Hint']}>
          {(row) => (
            <tr key={row.id}>
              <td className="nowrap">
                <time dateTime={row.createdAt}>{formatDateTime(row.createdAt)}</time>
              </td>
              <td>
                <LevelBadge level={row.level} />
              </td>
              <td className="nowrap">{row.source}</td>
              <td>
                {row.message}
                {row.orderId && (
                  <>
                    {' '}
                    <Link to={`/orders/${encodeURIComponent(row.orderId)}`} className="small" data-testid="log-order-link">
                      Open the order
                    </Link>
                  </>
                )}
              </td>
              <td className="muted">{row.hint ?? ''}</td>
            </tr>
          )}
        </DataTable>
        <LoadMore list={list} onLoadMore={list.loadMore} />
      </section>
    </div>
  );
}
