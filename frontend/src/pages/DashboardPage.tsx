import { ErrorNotice } from '../components/ErrorNotice';
import { formatAgo, formatCount, formatDateTime } from '../format';
import { Link } from '../router';
import { useQuery } from '../useQuery';
import { useTitle } from '../useTitle';
import { DASHBOARD_MISSING_QUERY, DASHBOARD_QUERY } from '../graphql/dashboard';
import type { DashboardMissingProductsQuery, DashboardQuery, InventoryPushLogQuery } from '../graphql/operations';
import { INVENTORY_PUSH_LOG_QUERY } from '../graphql/inventory';
import { PushLogTable } from './InventoryPage';

export const DASHBOARD_REFRESH_MS = 15_000;

function MissingProductsBanner() {
  const { data } = useQuery<DashboardMissingProductsQuery>(DASHBOARD_MISSING_QUERY, undefined, {
    pollMs: DASHBOARD_REFRESH_MS,
  });
  const list = data?.missingProducts ?? [];
  if (list.length === 0) return null;
  const orders = list.reduce((sum, m) => sum + m.orders, 0);
  return (
    <p className="banner-warning" data-testid="missing-products-banner">
      {formatCount(list.length)} {list.length === 1 ? 'SKU has' : 'SKUs have'} no QuickBooks item; {formatCount(orders)}{' '}
      {orders === 1 ? 'order waits' : 'orders wait'} in Needs mapping.{' '}
      <Link to="/products/missing">Map missing products</Link>
    </p>
  );
}

/** How many recent inventory updates of each kind the dashboard lists. */
export const DASHBOARD_INVENTORY_ROWS = 5;

/**
 * Recent successful and failed inventory updates ("scroll down to successful inventory
 * updates"). Shown once inventory sync has pushed anything; a failed read hides it, as the
 * cards above carry the errors.
 */
function InventoryActivity() {
  const ok = useQuery<InventoryPushLogQuery>(
    INVENTORY_PUSH_LOG_QUERY,
    { filter: { outcome: 'PUSHED' }, first: DASHBOARD_INVENTORY_ROWS },
    { pollMs: DASHBOARD_REFRESH_MS },
  );
  const failed = useQuery<InventoryPushLogQuery>(
    INVENTORY_PUSH_LOG_QUERY,
    { filter: { failedOnly: true }, first: DASHBOARD_INVENTORY_ROWS },
    { pollMs: DASHBOARD_REFRESH_MS },
  );
  const okRows = ok.data?.inventoryPushLog.edges.map((e) => e.node) ?? [];
  const failedRows = failed.data?.inventoryPushLog.edges.map((e) => e.node) ?? [];
  if (okRows.length === 0 && failedRows.length === 0) return null;
  return (
    <section className="panel" data-testid="dashboard-inventory" aria-label="Inventory updates">
      <h2>Inventory updates</h2>
      <h3>Failed</h3>
      {failedRows.length === 0 ? (
        <p className="empty" data-testid="dashboard-inventory-no-failures">
          No failed inventory updates.
        </p>
      ) : (
        <div data-testid="dashboard-inventory-failed">
          <PushLogTable rows={failedRows} />
          <Link to="/inventory?failed=1">See every failure</Link>
        </div>
      )}
      <h3>Successful</h3>
      {okRows.length === 0 ? (
        <p className="empty">No quantities sent yet.</p>
      ) : (
        <div data-testid="dashboard-inventory-ok">
          <PushLogTable rows={okRows} />
          <Link to="/inventory">Open the Inventory page</Link>
        </div>
      )}
    </section>
  );
}

function CountCard(props: { testId: string; title: string; value: number; to: string; linkText: string; tone?: string }) {
  return (
    <section className={`card ${props.tone ? `card-${props.tone}` : ''}`} data-testid={props.testId} aria-label={props.title}>
      <h2 className="card-title">{props.title}</h2>
      <p className="card-value" data-testid={`${props.testId}-value`}>
        {formatCount(props.value)}
      </p>
      <Link className="card-link" to={props.to}>
        {props.linkText}
      </Link>
    </section>
  );
}

export function DashboardPage() {
  useTitle('Dashboard');
  const { data, error, loading, refetch } = useQuery<DashboardQuery>(DASHBOARD_QUERY, undefined, {
    pollMs: DASHBOARD_REFRESH_MS,
  });
  const d = data?.dashboard;

  return (
    <div className="page">
      <header className="page-header">
        <h1>Dashboard</h1>
        <p className="muted">The last 24 hours of sync activity. Refreshes every 15 seconds.</p>
      </header>

      {error && <ErrorNotice error={error} onRetry={refetch} prefix={d ? 'Could not refresh:' : 'Could not load the dashboard:'} />}
      {loading && !d && <p className="muted" role="status">Loading…</p>}
      <MissingProductsBanner />

      {d && (
        <>
          <div className="cards">
            <CountCard testId="card-errors" title="Errors (last 24h)" value={d.errorsLast24h} tone={d.errorsLast24h > 0 ? 'error' : undefined} to="/logs?level=ERROR" linkText="View errors" />
            <CountCard testId="card-warnings" title="Warnings (last 24h)" value={d.warningsLast24h} tone={d.warningsLast24h > 0 ? 'warning' : undefined} to="/logs?level=WARNING" linkText="View warnings" />
            <CountCard testId="card-info" title="Info (last 24h)" value={d.infoLast24h} to="/logs?level=INFO" linkText="View info" />
            <CountCard testId="card-api-keys" title="Active API keys" value={d.activeApiKeys} to="/settings" linkText="Manage keys" />
            <section className={`card ${d.worker.healthy ? '' : 'card-error'}`} data-testid="card-worker" aria-label="Worker">
              <h2 className="card-title">Worker</h2>
              <p className="card-value">
                <span className={`status ${d.worker.healthy ? 'status-ok' : 'status-bad'}`}>{d.worker.healthy ? 'Healthy' : 'Stale'}</span>
              </p>
              <p className="card-note">
                {d.worker.lastHeartbeatAt ? (
                  <>
                    Last heartbeat{' '}
                    <time dateTime={d.worker.lastHeartbeatAt} title={formatDateTime(d.worker.lastHeartbeatAt)}>
                      {formatDateTime(d.worker.lastHeartbeatAt)}
                    </time>{' '}
                    ({formatAgo(d.worker.lastHeartbeatAt)})
                  </>
                ) : (
                  'No heartbeat recorded yet.'
                )}
              </p>
            </section>
          </div>

          <section className="panel">
            <h2>Queues</h2>
            {d.worker.queues.length === 0 ? (
              <p className="empty">No queues reported yet. They appear once the worker has started.</p>
            ) : (
              <div className="table-wrap">
                <table className="table" data-testid="queue-table">
                  <thead>
                    <tr>
                      <th scope="col">Queue</th>
                      <th scope="col" className="num">Pending</th>
                      <th scope="col" className="num">Active</th>
                      <th scope="col" className="num">Scheduled</th>
                      <th scope="col" className="num">Retry</th>
                      <th scope="col" className="num">Archived</th>
                      <th scope="col" className="num">Processed today</th>
                      <th scope="col" className="num">Failed today</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.worker.queues.map((q) => (
                      <tr key={q.name}>
                        <th scope="row">{q.name}</th>
                        <td className="num">{formatCount(q.pending)}</td>
                        <td className="num">{formatCount(q.active)}</td>
                        <td className="num">{formatCount(q.scheduled)}</td>
                        <td className="num">{formatCount(q.retry)}</td>
                        <td className="num">{formatCount(q.archived)}</td>
                        <td className="num">{formatCount(q.processedToday)}</td>
                        <td className={`num ${q.failedToday > 0 ? 'text-error' : ''}`}>{formatCount(q.failedToday)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}
      <InventoryActivity />
    </div>
  );
}
