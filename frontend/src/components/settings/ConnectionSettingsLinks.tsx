// The Settings page's list of connections: where each store's posting options (Missing Product
// Action among them) and each QuickBooks company's Web Connector are set, with a link to each.
import { useQuery } from '../../useQuery';
import { SETTINGS_CONNECTIONS_QUERY } from '../../graphql/settings';
import type { SettingsConnectionsQuery } from '../../graphql/operations';
import { CHANNELS, MISSING_PRODUCT_LABEL, TRANSACTION_TYPE_LABEL } from '../../storeSettings';
import { Link } from '../../router';
import { LoadStatus } from '../ErrorNotice';
import { DataTable } from '../list/ListKit';
import { TimeAgo } from '../TimeAgo';

/** Where a store's settings open: its card on the Connections page, with Settings (or Manual Sync) open. */
export function storePanelPath(storeId: string, panel: 'settings' | 'sync'): string {
  return `/connections?${new URLSearchParams({ store: storeId, panel }).toString()}`;
}

export function ConnectionSettingsLinks({ canManage }: { canManage: boolean }) {
  const { data, error, loading, refetch } = useQuery<SettingsConnectionsQuery>(SETTINGS_CONNECTIONS_QUERY);
  const stores = data?.storeConnections.edges.map((e) => e.node) ?? [];
  const companies = data?.quickBooksDesktopConnections.edges.map((e) => e.node) ?? [];
  const companyName = new Map(companies.map((c) => [c.id, c.name]));

  return (
    <section className="panel" aria-labelledby="settings-connections">
      <h2 id="settings-connections">Connection settings</h2>
      <p className="muted">
        Each store has its own posting options — transaction type, items and accounts, customers, order statuses and the Missing
        Product Action (create the item in QuickBooks, or flag the order to map the SKU). Open a store’s settings below.
      </p>
      <LoadStatus error={error} loading={loading} loaded={!!data} onRetry={refetch} prefix="Could not load the connections:" />
      {data && stores.length === 0 && (
        <p className="empty">
          No stores yet. <Link to="/connections">Add one on the Connections page</Link>.
        </p>
      )}
      <DataTable
        rows={stores}
        testId="settings-stores"
        region="Store settings"
        columns={['Store', 'QuickBooks company', 'Posts as', 'Missing products', { label: 'Settings', hidden: true }]}
      >
        {(s) => (
          <tr key={s.id} data-testid={`settings-store-${s.id}`}>
            <td>
              {s.name} <span className="muted small">· {CHANNELS[s.channel].label}</span>
              {!s.enabled && <span className="muted small"> · paused</span>}
            </td>
            <td>{s.quickBooksConnectionId ? (companyName.get(s.quickBooksConnectionId) ?? '—') : <span className="text-error">Not linked</span>}</td>
            <td>{TRANSACTION_TYPE_LABEL[s.settings.transactionType]}</td>
            <td>{MISSING_PRODUCT_LABEL[s.settings.missingProductAction]}</td>
            <td className="actions">
              <Link to={storePanelPath(s.id, 'settings')} aria-label={`${canManage ? 'Change' : 'See'} settings of ${s.name}`}>
                {canManage ? 'Change settings' : 'See settings'}
              </Link>
            </td>
          </tr>
        )}
      </DataTable>
      {companies.length > 0 && (
        <>
          <h3>QuickBooks Desktop companies</h3>
          <p className="muted small">Each company’s Web Connector health, what to do about its problems, and its work queue.</p>
          <ul data-testid="settings-companies">
            {companies.map((c) => (
              <li key={c.id}>
                <Link to={`/web-connector/${c.id}`}>{c.name}</Link>{' '}
                <span className="muted small">
                  · last Web Connector contact: <TimeAgo at={c.lastContactAt} />
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
