import { ErrorNotice } from '../components/ErrorNotice';
import { formatAgo, formatCount, formatDateTime } from '../format';
import { Link } from '../router';
import { useSignedIn } from '../session';
import { DataTable } from '../components/list/ListKit';
import { DashboardOverview } from '../components/dashboard/Overview';
import { useQuery } from '../useQuery';
import { useTitle } from '../useTitle';
import { DASHBOARD_ALERTS_QUERY, DASHBOARD_MISSING_QUERY, DASHBOARD_QUERY } from '../graphql/dashboard';
import type { DashboardMissingProductsQuery, DashboardOpenAlertsQuery, DashboardQuery, InventoryPushLogQuery } from '../graphql/operations';
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

/** How many open alerts the dashboard lists; Settings → Alerts has them all. */
export const DASHBOARD_ALERT_ROWS = 5;

/**
 * The alerts whose condition still persists (a silent Web Connector, rejected store
 * credentials, orders waiting too long …), each with where to look. The e-mail or webhook
 * digest says it once; this says it for as long as it lasts. Hidden when there are none.
 */
function OpenAlerts() {
  const { data } = useQuery<DashboardOpenAlertsQuery>(DASHBOARD_ALERTS_QUERY, { first: DASHBOARD_ALERT_ROWS }, {
    pollMs: DASHBOARD_REFRESH_MS,
  });
  const alerts = data?.alerts;
  if (!alerts || alerts.totalCount === 0) return null;
  const more = alerts.totalCount - alerts.edges.length;
  return (
    <section className="banner-warning open-alerts" data-testid="open-alerts" aria-labelledby="open-alerts-title">
      <h2 id="open-alerts-title">
        {formatCount(alerts.totalCount)} open {alerts.totalCount === 1 ? 'alert' : 'alerts'}
      </h2>
      <ul>
        {alerts.edges.map(({ node: a }) => (
          <li key={a.id} data-testid={`open-alert-${a.id}`}>
            {a.message}{' '}
            <span className="muted">
              (since <time dateTime={a.raisedAt} title={formatDateTime(a.raisedAt)}>{formatAgo(a.raisedAt)}</time>)
            </span>{' '}
            {a.link && <Link to={a.link}>See what to do</Link>}
          </li>
        ))}
      </ul>
      <p>
        {more > 0 && `${formatCount(more)} more. `}
        <Link to="/settings#alerts">Alert settings and history</Link>
      </p>
    </section>
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
          <PushLogTable rows={failedRows} label="Failed inventory updates" />
          <Link to="/inventory?failed=1">See every failure</Link>
        </div>
      )}
      <h3>Successful</h3>
      {okRows.length === 0 ? (
        <p className="empty">No quantities sent yet.</p>
      ) : (
        <div data-testid="dashboard-inventory-ok">
          <PushLogTable rows={okRows} label="Successful inventory updates" />
          <Link to="/inventory">Open the Inventory page</Link>
        </div>
      )}
    </section>
  );
}

/** The asynq queues and the worker's heartbeat: for support users (who also have /monitoring/). */
function WorkerPanel({ worker }: { worker: DashboardQuery['dashboard']['worker'] }) {
  return (
    <section className="panel" data-testid="support-worker" aria-labelledby="worker-title">
      <h2 id="worker-title">Worker and queues (support)</h2>
      <p data-testid="card-worker">
        <span className={`status ${worker.healthy ? 'status-ok' : 'status-bad'}`}>{worker.healthy ? 'Healthy' : 'Stale'}</span>{' '}
        {worker.lastHeartbeatAt ? (
          <>
            Last heartbeat{' '}
            <time dateTime={worker.lastHeartbeatAt} title={formatDateTime(worker.lastHeartbeatAt)}>
              {formatDateTime(worker.lastHeartbeatAt)}
            </time>{' '}
            ({formatAgo(worker.lastHeartbeatAt)})
          </>
        ) : (
          'No heartbeat recorded yet.'
        )}{' '}
        <a href="/monitoring/">Open the queue monitor</a>
      </p>
      {worker.queues.length === 0 ? (
        <p className="empty">No queues reported yet. They appear once the worker has started.</p>
      ) : (
        <DataTable
          rows={worker.queues}
          testId="queue-table"
          region="Queues"
          columns={[
            'Queue',
            ...['Pending', 'Active', 'Scheduled', 'Retry', 'Archived', 'Processed today', 'Failed today'].map((label) => ({ label, className: 'num' })),
          ]}
        >
          {(q) => (
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
          )}
        </DataTable>
      )}
    </section>
  );
}

export function DashboardPage() {
  useTitle('Dashboard');
  const session = useSignedIn();
  const isSupport = session.user.role === 'SUPPORT';
  const { data, error, refetch } = useQuery<DashboardQuery>(DASHBOARD_QUERY, undefined, {
    pollMs: DASHBOARD_REFRESH_MS,
  });
  const d = data?.dashboard;

  return (
    <div className="page">
      <header className="page-header">
        <h1>Dashboard</h1>
        <p className="muted">Each store and QuickBooks company at a glance. Refreshes every 15 seconds.</p>
      </header>

      {error && isSupport && <ErrorNotice error={error} onRetry={refetch} prefix="Could not load the worker status:" />}
      {d && !d.worker.healthy && (
        <p className="banner-warning" role="status" data-testid="worker-stale">
          Background sync is not running: no scheduled pulls or QuickBooks work happen until it is back.
          {d.worker.lastHeartbeatAt ? ` Last seen ${formatAgo(d.worker.lastHeartbeatAt)}.` : ''}
        </p>
      )}
      <OpenAlerts />
      <MissingProductsBanner />
      <DashboardOverview pollMs={DASHBOARD_REFRESH_MS} canSync={!isSupport} />
      <InventoryActivity />
      {isSupport && d && <WorkerPanel worker={d.worker} />}
    </div>
  );
}
