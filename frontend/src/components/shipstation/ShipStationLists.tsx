// The two lists of a ShipStation connection's "Sync Orders from QuickBooks": the QuickBooks sales
// sent to ShipStation (with Resend for a failed or parked one), and the shipments written back
// into QuickBooks with the webhook / poll state above them.
import { useId, useState, type ReactNode } from 'react';
import { graphql } from '../../api';
import type { ResendShipStationExportMutation, ShipmentsBackQuery, ShipStationExportsQuery } from '../../graphql/operations';
import type { ShipmentBackStatus } from '../../graphql/schema';
import { RESEND_SHIPSTATION_EXPORT_MUTATION, SHIPMENTS_BACK_QUERY, SHIPSTATION_EXPORTS_QUERY } from '../../graphql/shipstation';
import { formatAgo, formatDateTimeShort } from '../../format';
import { usePagedConnection, type NodeOf, type PagedConnection } from '../../usePagedConnection';
import { toGraphQLError } from '../../useQuery';
import { ErrorNotice } from '../ErrorNotice';
import { DataTable, EmptyList, FilterTabs, LoadMore, ResultCount } from '../list/ListKit';
import { QB_TXN_LABEL, SHIPSTATION_STATUS_LABEL } from './form';

/** Re-reads the lists every so often: the Web Connector and ShipStation move them along. */
export const SHIPSTATION_LISTS_REFRESH_MS = 30_000;

type ExportRow = NodeOf<ShipStationExportsQuery['shipStationExports']>;
type ShipmentRow = NodeOf<ShipmentsBackQuery['shipmentsBack']>;

const EXPORT_TABS = [
  { label: 'All', state: null },
  { label: 'Sent', state: 'sent' },
  { label: 'Waiting', state: 'pending' },
  { label: 'Failed', state: 'failed' },
  { label: 'Not sent', state: 'parked' },
  { label: 'Shipped or cancelled', state: 'locked' },
] as const;

export const EXPORT_STATE_LABEL: Record<string, string> = {
  resend: 'Waiting for the next Web Connector run (read again, then sent)',
  reading: 'Reading from QuickBooks',
  pending: 'Waiting to be sent',
  sent: 'Sent',
  failed: 'Failed',
  parked: 'Not sent',
  locked: 'Shipped or cancelled in ShipStation (QuickBooks changes are no longer sent)',
};

const RESENDABLE = new Set(['failed', 'parked']);

/**
 * A list of the section under its filter tabs: the tab panel with the count, a read error, the
 * empty state (`empty`), the table (`children`) and Load more.
 */
function TabbedList<T extends { label: string }, D, R>({
  tabsLabel,
  tabs,
  tab,
  onSelect,
  list,
  noun,
  errorPrefix,
  emptyTestId,
  empty,
  children,
}: {
  tabsLabel: string;
  tabs: readonly T[];
  tab: T;
  onSelect: (tab: T) => void;
  list: PagedConnection<D, R>;
  noun: readonly [string, string];
  errorPrefix: string;
  emptyTestId: string;
  empty: ReactNode;
  children: ReactNode;
}) {
  const panelId = useId();
  return (
    <>
      <FilterTabs label={tabsLabel} tabs={tabs} panelId={panelId} isSelected={(t) => t.label === tab.label} onSelect={onSelect} wrap />
      <div id={panelId} role="tabpanel">
        <ResultCount list={list} noun={noun} />
        {list.error && <ErrorNotice error={list.error} onRetry={list.reload} prefix={errorPrefix} />}
        <EmptyList list={list} testId={emptyTestId}>
          {empty}
        </EmptyList>
        {children}
        <LoadMore list={list} onLoadMore={list.loadMore} />
      </div>
    </>
  );
}

/** The QuickBooks sales a ShipStation connection sent (or read and did not send, and why). */
export function ShipStationExportsList({ connectionId }: { connectionId: string }) {
  const [tab, setTab] = useState<(typeof EXPORT_TABS)[number]>(EXPORT_TABS[0]);
  const [resending, setResending] = useState<string | null>(null);
  const [resendError, setResendError] = useState<{ id: string; message: string } | null>(null);
  const list = usePagedConnection<ShipStationExportsQuery, ExportRow>({
    query: SHIPSTATION_EXPORTS_QUERY,
    variables: (after, first) => ({ connectionId, state: tab.state, after, first }),
    connection: (d) => d.shipStationExports,
    refreshMs: SHIPSTATION_LISTS_REFRESH_MS,
  });

  const resend = async (row: ExportRow) => {
    setResending(row.id);
    setResendError(null);
    try {
      const data = await graphql<ResendShipStationExportMutation>(RESEND_SHIPSTATION_EXPORT_MUTATION, { id: row.id });
      const next = data.resendShipStationExport;
      list.setRows((rows) => rows.map((r) => (r.id === next.id ? next : r)));
    } catch (err) {
      const g = toGraphQLError(err);
      setResendError({ id: row.id, message: g.code === 'FORBIDDEN' ? 'Only members of the account can resend a sale.' : g.message });
    } finally {
      setResending(null);
    }
  };

  return (
    <section aria-label="Sent to ShipStation" data-testid="shipstation-exports">
      <h5>Sent to ShipStation</h5>
      <TabbedList
        tabsLabel="Sales by state"
        tabs={EXPORT_TABS}
        tab={tab}
        onSelect={setTab}
        list={list}
        noun={['sale', 'sales']}
        errorPrefix="The sales sent to ShipStation could not be read"
        emptyTestId="shipstation-exports-empty"
        empty={tab.state ? 'No sales in this state.' : 'No QuickBooks sales sent yet. They appear after the next Web Connector run once the direction is on.'}
      >
        <DataTable rows={list.rows} region="Sales sent to ShipStation" columns={['Order', 'Type', 'Date', 'Customer', 'ShipStation order', 'State', 'Result', { label: 'Actions', hidden: true }]}>
          {(r) => (
            <tr key={r.id} data-testid={`shipstation-export-${r.id}`}>
              <td>
                {r.refNumber}
                {r.test ? ' (test)' : ''}
              </td>
              <td>{QB_TXN_LABEL[r.txnType].replace(/s$/, '')}</td>
              <td>{r.txnDate ?? '—'}</td>
              <td>{r.customer}</td>
              <td>
                {r.shipStationOrderId ?? '—'}
                {r.shipStationStatus ? ` · ${SHIPSTATION_STATUS_LABEL[r.shipStationStatus] ?? r.shipStationStatus}` : ''}
              </td>
              <td>{EXPORT_STATE_LABEL[r.state] ?? r.state}</td>
              <td>
                {r.result}
                {resendError?.id === r.id && (
                  <span className="field-error" role="alert">
                    {' '}
                    {resendError.message}
                  </span>
                )}
              </td>
              <td>
                {RESENDABLE.has(r.state) && (
                  <button type="button" className="button button-small" disabled={resending === r.id} onClick={() => void resend(r)}>
                    {resending === r.id ? 'Resending…' : 'Resend'}
                  </button>
                )}
              </td>
            </tr>
          )}
        </DataTable>
      </TabbedList>
    </section>
  );
}

const SHIPMENT_TABS: readonly { label: string; status: ShipmentBackStatus | null }[] = [
  { label: 'All', status: null },
  { label: 'Waiting', status: 'WAITING' },
  { label: 'Written to QuickBooks', status: 'APPLIED' },
  { label: 'Failed', status: 'FAILED' },
  { label: 'Voided', status: 'VOIDED' },
];

export const SHIPMENT_STATUS_LABEL: Record<ShipmentBackStatus, string> = {
  WAITING: 'Waiting',
  APPLIED: 'Written to QuickBooks',
  FAILED: 'Failed',
  VOIDED: 'Voided',
};

const QB_SALE_LABEL: Record<string, string> = { SalesReceipt: 'Sales receipt', Invoice: 'Invoice', SalesOrder: 'Sales order' };

/** One line: whether shipments come back, the webhook, the last delivery and the last poll. */
export function shipmentsBackStateLine(s: ShipmentsBackQuery['shipmentsBackState'], now: Date = new Date()): string {
  const parts: string[] = [s.on ? 'Shipments come back to QuickBooks' : `Shipments do not come back to QuickBooks: ${s.offReason}`];
  parts.push(s.webhookRegistered ? 'ShipStation webhook registered' : `No ShipStation webhook${s.webhookError ? ` (${s.webhookError})` : ''}; polling brings shipments back`);
  parts.push(s.lastWebhookAt ? `last delivery ${formatAgo(s.lastWebhookAt, now)}` : 'no delivery yet');
  parts.push(s.lastPollAt ? `last poll ${formatAgo(s.lastPollAt, now)}${s.lastPollError ? ` failed: ${s.lastPollError}` : ''}` : 'not polled yet');
  return parts.join(' · ');
}

/** A ShipStation connection's shipments written back into the QuickBooks sales they came from. */
export function ShipmentsBackList({ connectionId }: { connectionId: string }) {
  const [tab, setTab] = useState(SHIPMENT_TABS[0]!);
  const list = usePagedConnection<ShipmentsBackQuery, ShipmentRow>({
    query: SHIPMENTS_BACK_QUERY,
    variables: (after, first) => ({ storeConnectionId: connectionId, status: tab.status, after, first }),
    connection: (d) => d.shipmentsBack,
    refreshMs: SHIPSTATION_LISTS_REFRESH_MS,
  });
  const state = list.data?.shipmentsBackState;

  return (
    <section aria-label="Shipments back to QuickBooks" data-testid="shipments-back">
      <h5>Shipments back to QuickBooks</h5>
      {state && (
        <p className={state.on ? 'muted' : 'field-error'} data-testid="shipments-back-state">
          {shipmentsBackStateLine(state)}
        </p>
      )}
      <TabbedList
        tabsLabel="Shipments by status"
        tabs={SHIPMENT_TABS}
        tab={tab}
        onSelect={setTab}
        list={list}
        noun={['shipment', 'shipments']}
        errorPrefix="The shipments could not be read"
        emptyTestId="shipments-back-empty"
        empty={tab.status ? 'No shipments with this status.' : 'No shipments yet. They appear when ShipStation ships an order sent from QuickBooks.'}
      >
        <DataTable rows={list.rows} region="Shipments back from ShipStation" columns={['Order', 'Tracking', 'Carrier', 'Ship date', { label: 'Cost', className: 'num' }, 'QuickBooks sale', 'State']}>
          {(r) => (
            <tr key={r.id} data-testid={`shipment-back-${r.id}`}>
              <td>{r.orderNumber}</td>
              <td>{r.trackingNumber || (r.source === 'FULFILLMENT' ? 'Marked shipped elsewhere' : '—')}</td>
              <td>
                {r.carrier}
                {r.service ? ` · ${r.service}` : ''}
              </td>
              <td>{r.shipDate ?? '—'}</td>
              <td className="num">{r.cost}</td>
              <td>
                {QB_SALE_LABEL[r.quickBooksTxnType] ?? r.quickBooksTxnType} {r.quickBooksTxnId}
              </td>
              <td>
                {SHIPMENT_STATUS_LABEL[r.status]}
                {r.appliedAt ? ` ${formatDateTimeShort(r.appliedAt)}` : ''}
                {r.message && <div className="small">{r.message}</div>}
                {r.hint && <div className="muted small">{r.hint}</div>}
              </td>
            </tr>
          )}
        </DataTable>
      </TabbedList>
    </section>
  );
}

/**
 * The store card's "Orders from QuickBooks" disclosure: both lists for anyone who can see the
 * connection (members resend too). Mounted only while open, so closed cards poll nothing.
 */
export function ShipStationActivity({ connectionId, enabled }: { connectionId: string; enabled: boolean }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  return (
    <div className="shipstation-activity" data-testid="shipstation-activity">
      <button type="button" className="button button-small" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((v) => !v)}>
        {open ? 'Hide orders from QuickBooks' : 'Orders from QuickBooks'}
      </button>
      {!enabled && <span className="muted small"> Sync Orders from QuickBooks is off (Settings).</span>}
      {open && (
        <div id={panelId}>
          <ShipStationExportsList connectionId={connectionId} />
          <ShipmentsBackList connectionId={connectionId} />
        </div>
      )}
    </div>
  );
}
