// The merchant's part of the dashboard: a card per store connection and per QuickBooks company,
// the day-by-day charts and the orders that need someone.
import { useState } from 'react';
import { graphql } from '../../api';
import { formatAgo, formatCount, formatDateTime } from '../../format';
import { Link } from '../../router';
import { storePanelPath } from '../settings/ConnectionSettingsLinks';
import { toGraphQLError, useQuery } from '../../useQuery';
import { OVERVIEW_QUERY } from '../../graphql/overview';
import { SYNC_STORE_MUTATION } from '../../graphql/connections';
import type { OverviewQuery, SyncStoreConnectionMutation } from '../../graphql/operations';
import { ErrorNotice } from '../ErrorNotice';
import { OrderStateBadge } from '../OrderStateBadge';
import { WebConnectorStatusBadge } from '../../pages/WebConnectorHealthPage';
import { ActivityChart, SERIES_COLORS } from './ActivityChart';
import { MissedOrders } from './MissedOrders';
import './dashboard.css';

/** How many days the charts cover. */
export const CHART_DAYS = 30;

type StoreRow = OverviewQuery['overview']['stores'][number];
type CompanyRow = OverviewQuery['quickBooksDesktopConnections']['edges'][number]['node'];

const CHANNEL_LABEL: Record<string, string> = { SHOPIFY: 'Shopify', WOOCOMMERCE: 'WooCommerce', SHIPSTATION: 'ShipStation', shopify: 'Shopify', woocommerce: 'WooCommerce', shipstation: 'ShipStation' };

/** The browser's IANA time zone, so "today" and the chart days are the merchant's. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

function CountLink({ to, value, label, tone, testId }: { to: string; value: number; label: string; tone?: 'error' | 'warning'; testId: string }) {
  return (
    <li>
      <Link to={to} className={`store-count ${value > 0 && tone ? `store-count-${tone}` : ''}`} data-testid={testId}>
        <span className="store-count-value">{formatCount(value)}</span> <span className="store-count-label">{label}</span>
      </Link>
    </li>
  );
}

function ManualSync({ store, onDone }: { store: StoreRow; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const running = store.connection.sync?.state === 'queued' || store.connection.sync?.state === 'running';
  const start = () => {
    setBusy(true);
    setNote('');
    setError('');
    graphql<SyncStoreConnectionMutation>(SYNC_STORE_MUTATION, { id: store.connection.id })
      .then(() => {
        setNote('Sync started: new orders appear within a minute.');
        onDone();
      })
      .catch((err: unknown) => setError(toGraphQLError(err).message))
      .finally(() => setBusy(false));
  };
  return (
    <>
      <button type="button" className="button button-primary" onClick={start} disabled={busy || running || !store.connection.enabled} data-testid="store-manual-sync">
        {busy ? 'Starting…' : running ? 'Syncing…' : 'Manual Sync'}
      </button>
      {note && (
        <p className="small notice-inline" role="status">
          {note}
        </p>
      )}
      {error && (
        <p className="small text-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

function StoreCard({ store, company, canSync, onSynced }: { store: StoreRow; company: CompanyRow | undefined; canSync: boolean; onSynced: () => void }) {
  const c = store.connection;
  const q = (state?: string) => `/orders?store=${encodeURIComponent(c.id)}${state ? `&state=${state}` : ''}`;
  return (
    <article className="store-card" data-testid={`store-card-${c.id}`} aria-labelledby={`store-card-${c.id}-name`}>
      <header className="store-card-head">
        <span className="badge badge-muted">{CHANNEL_LABEL[c.channel] ?? c.channel}</span>
        <h3 id={`store-card-${c.id}-name`}>{c.name}</h3>
      </header>
      <p className="small muted">
        {company ? <>Posts to {company.name}</> : <span className="text-warning">No QuickBooks company chosen: its orders wait.</span>}
      </p>
      <dl className="store-card-times small">
        <dt>Last pull</dt>
        <dd>{c.lastSyncAt ? <time dateTime={c.lastSyncAt} title={formatDateTime(c.lastSyncAt)}>{formatAgo(c.lastSyncAt)}</time> : 'Never'}</dd>
        <dt>Next pull</dt>
        <dd>
          {!c.enabled ? 'Paused' : store.nextPullAt ? (new Date(store.nextPullAt).getTime() <= Date.now() ? 'Due now' : <time dateTime={store.nextPullAt}>{formatDateTime(store.nextPullAt)}</time>) : '—'}
        </dd>
      </dl>
      {c.lastSyncError && (
        <p className="small text-error" data-testid="store-card-error">
          Last pull failed: {c.lastSyncError}
        </p>
      )}
      <ul className="store-counts">
        <CountLink to={q()} value={store.ordersToday} label="today" testId="store-orders-today" />
        <CountLink to={q()} value={store.ordersLast7Days} label="last 7 days" testId="store-orders-7d" />
        <CountLink to={q('READY')} value={store.waiting} label="waiting" testId="store-waiting" />
        <CountLink to={q('ERROR')} value={store.inError} label="in error" tone="error" testId="store-in-error" />
        <CountLink to={q('NEEDS_MAPPING')} value={store.needsMapping} label="need mapping" tone="warning" testId="store-needs-mapping" />
      </ul>
      <div className="store-card-actions">
        {canSync && <ManualSync store={store} onDone={onSynced} />}
        <Link to="/products/missing" className="button">
          Map products
        </Link>
      </div>
      {canSync && (
        <p className="small">
          <Link to={storePanelPath(c.id, 'sync')}>Manual Sync with dates and order statuses</Link>
        </p>
      )}
    </article>
  );
}

function CompanyCard({ company }: { company: CompanyRow }) {
  const { health } = company;
  return (
    <article className="store-card" data-testid={`company-card-${company.id}`} aria-labelledby={`company-card-${company.id}-name`}>
      <header className="store-card-head">
        <span className="badge badge-muted">QuickBooks Desktop</span>
        <h3 id={`company-card-${company.id}-name`}>{company.name}</h3>
      </header>
      <p className="small" data-testid="company-contact">
        Web Connector: <WebConnectorStatusBadge status={health.status} /> {health.summary}
        {company.lastContactAt && <span className="muted"> Last contact {formatAgo(company.lastContactAt)}.</span>}
      </p>
      <ul className="store-counts">
        <li className="store-count">
          <span className="store-count-value">{formatCount(company.work.queued + company.work.inFlight)}</span> <span className="store-count-label">queued</span>
        </li>
        <li className={`store-count ${company.work.inDoubt > 0 ? 'store-count-warning' : ''}`}>
          <span className="store-count-value">{formatCount(company.work.inDoubt)}</span> <span className="store-count-label">in doubt</span>
        </li>
        <li className={`store-count ${company.work.failed > 0 ? 'store-count-error' : ''}`}>
          <span className="store-count-value">{formatCount(company.work.failed)}</span> <span className="store-count-label">failed</span>
        </li>
      </ul>
      <div className="store-card-actions">
        <Link to={`/web-connector/${encodeURIComponent(company.id)}`}>Web Connector health</Link>
        <Link to={`/connections#qbd-${company.id}`}>Open its work queue</Link>
      </div>
    </article>
  );
}

function NeedsAttention({ rows, storeName }: { rows: OverviewQuery['overview']['needsAttention']; storeName: (id: string) => string }) {
  return (
    <section className="panel" aria-labelledby="needs-attention-title" data-testid="needs-attention">
      <h2 id="needs-attention-title">Needs attention</h2>
      {rows.length === 0 ? (
        <p className="empty">No orders in error or waiting for a mapping.</p>
      ) : (
        <ul className="attention-list">
          {rows.map((o) => (
            <li key={o.id} data-testid={`attention-${o.id}`}>
              <div className="attention-head">
                <Link to={`/orders/${encodeURIComponent(o.id)}`} className="row-link">
                  Order {o.number}
                </Link>
                <OrderStateBadge state={o.state} />
                <span className="muted small">
                  {storeName(o.connectionId)} · {formatAgo(o.updatedAt)}
                </span>
              </div>
              <p className="attention-reason small" title={o.stateReason}>
                {o.stateReason || '—'}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function DashboardOverview({ pollMs, canSync }: { pollMs: number; canSync: boolean }) {
  const { data, error, loading, refetch } = useQuery<OverviewQuery>(
    OVERVIEW_QUERY,
    { timeZone: browserTimeZone(), days: CHART_DAYS },
    { pollMs },
  );
  if (!data) {
    if (error) return <ErrorNotice error={error} onRetry={refetch} prefix="Could not load the stores:" />;
    return loading ? (
      <p className="muted" role="status">
        Loading…
      </p>
    ) : null;
  }
  const { stores, days, needsAttention } = data.overview;
  const companies = data.quickBooksDesktopConnections.edges.map((e) => e.node);
  const companyOf = (id: string | null | undefined) => companies.find((c) => c.id === id);
  const storeName = (id: string) => stores.find((s) => s.connection.id === id)?.connection.name ?? `Store ${id}`;
  const dayList = days.map((d) => d.day);
  const posted = stores.map((s, i) => ({
    label: s.connection.name,
    color: SERIES_COLORS[i % SERIES_COLORS.length]!,
    values: days.map((d) => d.posted.find((p) => p.connectionId === s.connection.id)?.count ?? 0),
  }));
  const anyInventory = days.some((d) => d.inventoryUpdated + d.inventoryFailed > 0);

  return (
    <>
      {error && <ErrorNotice error={error} onRetry={refetch} prefix="Could not refresh:" />}
      <section aria-labelledby="stores-title" className="dashboard-section">
        <h2 id="stores-title">Stores</h2>
        {stores.length === 0 ? (
          <p className="empty">
            No stores yet. <Link to="/connections">Add a store</Link> to start pulling orders.
          </p>
        ) : (
          <div className="store-cards">
            {stores.map((s) => (
              <StoreCard key={s.connection.id} store={s} company={companyOf(s.connection.quickBooksConnectionId)} canSync={canSync} onSynced={refetch} />
            ))}
          </div>
        )}
      </section>
      <section aria-labelledby="companies-title" className="dashboard-section">
        <h2 id="companies-title">QuickBooks companies</h2>
        {companies.length === 0 ? (
          <p className="empty">
            No QuickBooks company yet. <Link to="/connections">Connect QuickBooks Desktop</Link>.
          </p>
        ) : (
          <div className="store-cards">
            {companies.map((c) => (
              <CompanyCard key={c.id} company={c} />
            ))}
          </div>
        )}
      </section>
      <NeedsAttention rows={needsAttention} storeName={storeName} />
      <MissedOrders sweeps={data.overview.sweeps} canSync={canSync} />
      <section className="panel" aria-labelledby="activity-title">
        <h2 id="activity-title">Last {CHART_DAYS} days</h2>
        <div className="charts">
          <ActivityChart title="Orders posted to QuickBooks" days={dayList} series={posted} testId="chart-posted" />
          <ActivityChart
            title="Errors"
            days={dayList}
            bars
            series={[{ label: 'Errors', color: '#b42318', values: days.map((d) => d.errors) }]}
            testId="chart-errors"
          />
          {anyInventory && (
            <ActivityChart
              title="Inventory updates"
              days={dayList}
              series={[
                { label: 'Successful', color: '#1b7a3d', values: days.map((d) => d.inventoryUpdated) },
                { label: 'Failed', color: '#b42318', values: days.map((d) => d.inventoryFailed) },
              ]}
              testId="chart-inventory"
            />
          )}
        </div>
      </section>
    </>
  );
}
