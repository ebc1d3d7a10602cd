// The dashboard's "Missed orders": store orders of a closed day that the daily sweep found
// missing from Ledgerlink or from QuickBooks, with the latest check of each store and a
// one-click resync (read again from the store and sent to QuickBooks through the normal path).
import { useState } from 'react';
import { graphql } from '../../api';
import { formatCount, formatDateTime } from '../../format';
import { Link } from '../../router';
import { toGraphQLError } from '../../useQuery';
import { usePagedConnection, type NodeOf } from '../../usePagedConnection';
import { MISSED_ORDERS_QUERY, RESYNC_MISSED_ORDERS_MUTATION, SWEEP_MISSED_ORDERS_MUTATION } from '../../graphql/health';
import type { MissedOrdersQuery, OverviewQuery, ResyncMissedOrdersMutation, SweepMissedOrdersMutation } from '../../graphql/operations';
import { ErrorNotice } from '../ErrorNotice';
import { EmptyList, LoadMore, ResultCount, TableHead } from '../list/ListKit';
import { OrderStateBadge } from '../OrderStateBadge';

type MissedRow = NodeOf<MissedOrdersQuery['missedOrders']>;
type Sweep = OverviewQuery['overview']['sweeps'][number];

const CAUSE_LABEL: Record<string, string> = {
  NOT_RECEIVED: 'Never received',
  NOT_IN_QUICKBOOKS: 'Not in QuickBooks',
};

/** One line per store: what its latest daily check counted. */
function SweepLine({ sweep, canSync }: { sweep: Sweep; canSync: boolean }) {
  const [note, setNote] = useState('');
  const check = async () => {
    setNote('');
    try {
      await graphql<SweepMissedOrdersMutation>(SWEEP_MISSED_ORDERS_MUTATION, { storeConnectionId: sweep.store.id });
      setNote('Check queued: the list updates when it is done.');
    } catch (err) {
      setNote(toGraphQLError(err).message);
    }
  };
  return (
    <li data-testid={`sweep-${sweep.store.id}`}>
      <strong>{sweep.store.name}</strong>, {sweep.day}:{' '}
      {sweep.error ? (
        <span className="text-warning">the store could not be read ({sweep.error}).</span>
      ) : (
        <>
          {formatCount(sweep.storeCount)} in the store, {formatCount(sweep.ourCount)} in Ledgerlink, {formatCount(sweep.postedCount)} in QuickBooks
          {sweep.gapCount > 0 ? <span className="text-warning"> — {formatCount(sweep.gapCount)} missing</span> : ' — none missing'}.
        </>
      )}{' '}
      <span className="muted small">Checked {formatDateTime(sweep.sweptAt)}.</span>{' '}
      {canSync && (
        <button type="button" className="button button-small" onClick={() => void check()}>
          Check again
        </button>
      )}
      {note && (
        <span className="small" role="status">
          {' '}
          {note}
        </span>
      )}
    </li>
  );
}

export function MissedOrders({ sweeps, canSync }: { sweeps: readonly Sweep[]; canSync: boolean }) {
  const list = usePagedConnection<MissedOrdersQuery, MissedRow>({
    query: MISSED_ORDERS_QUERY,
    variables: (after, first) => ({ after, first }),
    connection: (d) => d.missedOrders,
    refreshMs: 30_000,
  });
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  const resync = async (ids: string[]) => {
    setBusy(true);
    setMessage('');
    setError('');
    try {
      const data = await graphql<ResyncMissedOrdersMutation>(RESYNC_MISSED_ORDERS_MUTATION, { ids });
      const n = data.resyncMissedOrders;
      setMessage(n === 0 ? 'Nothing left to resync: those orders are in QuickBooks.' : `Resync of ${formatCount(n)} order${n === 1 ? '' : 's'} started: they go to QuickBooks on the Web Connector's next run.`);
      list.refresh();
    } catch (err) {
      const g = toGraphQLError(err);
      setError(g.code === 'FORBIDDEN' ? 'Only members of the account can resync orders.' : g.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" id="missed-orders" aria-labelledby="missed-orders-title" data-testid="missed-orders">
      <h2 id="missed-orders-title">Missed orders</h2>
      <p className="muted small">
        Every night Ledgerlink compares each store's orders of the day before (UTC) with its own and with QuickBooks. An order a webhook never
        announced or a pull skipped shows here until it is in QuickBooks.
      </p>
      {sweeps.length > 0 ? (
        <ul className="sweep-lines small">
          {sweeps.map((s) => (
            <SweepLine key={s.store.id} sweep={s} canSync={canSync} />
          ))}
        </ul>
      ) : (
        <p className="muted small">No store has been checked yet: the first check runs after midnight UTC.</p>
      )}
      {list.error && <ErrorNotice error={list.error} onRetry={list.reload} prefix="Could not load the missed orders:" />}
      {error && (
        <p className="text-error" role="alert">
          {error}
        </p>
      )}
      {message && <p role="status">{message}</p>}
      <ResultCount list={list} noun={['missed order', 'missed orders']} hidden={list.rows.length === 0} testId="missed-orders-count" />
      <EmptyList list={list} testId="missed-orders-empty">
        No missed orders.
      </EmptyList>
      {list.rows.length > 0 && (
        <>
          {canSync && (
            <p>
              <button type="button" className="button button-primary" disabled={busy} onClick={() => void resync(list.rows.map((r) => r.id))}>
                {busy ? 'Resyncing…' : `Resync ${list.rows.length === 1 ? 'it' : `all ${formatCount(list.rows.length)} shown`}`}
              </button>
            </p>
          )}
          <div className="table-wrap">
            <table className="table">
              <TableHead columns={['Order', 'Store', 'Day', 'Why', 'Now', ...(canSync ? [{ label: 'Actions', hidden: true }] : [])]} />
              <tbody>
                {list.rows.map((r) => (
                  <tr key={r.id} data-testid={`missed-${r.id}`}>
                    <td>{r.order ? <Link to={`/orders/${encodeURIComponent(r.order.id)}`}>{r.number || r.externalId}</Link> : r.number || r.externalId}</td>
                    <td>{r.store.name}</td>
                    <td>{r.day}</td>
                    <td>{CAUSE_LABEL[r.cause] ?? r.cause}</td>
                    <td>
                      {r.order ? <OrderStateBadge state={r.order.state} /> : <span className="muted">Not in Ledgerlink</span>}
                      {r.resyncRequestedAt && <span className="muted small"> · resync asked {formatDateTime(r.resyncRequestedAt)}</span>}
                    </td>
                    {canSync && (
                      <td>
                        <button type="button" className="button button-small" disabled={busy} onClick={() => void resync([r.id])}>
                          Resync
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <LoadMore list={list} onLoadMore={list.loadMore} />
        </>
      )}
    </section>
  );
}
