import { JsonViewer } from '../components/JsonViewer';
import { ErrorNotice } from '../components/ErrorNotice';
import { BackLink } from '../components/Layout';
import { OrderStateBadge } from '../components/OrderStateBadge';
import { formatDateTime, formatMoney } from '../format';
import { useParams } from '../router';
import { useQuery } from '../useQuery';
import { useTitle } from '../useTitle';
import { useStoreNames } from '../useStoreNames';
import { DataTable } from '../components/list/ListKit';
import { channelLabel } from './OrdersPage';
import { useState } from 'react';
import { ORDER_QUERY, WORK_ITEM_QUERY } from '../graphql/orders';
import type { OrderQuery, WorkItemQuery } from '../graphql/operations';
import type { RefundState } from '../graphql/schema';

export const CHANGED_AFTER_POST = 'Changed in the store after it was posted: not re-posted automatically.';

const KIND_TONE: Record<string, string> = {
  received: 'info',
  updated: 'info',
  matching: 'warning',
  rule: 'info',
  state: 'muted',
  qbxml: 'muted',
  quickbooks: 'ok',
  note: 'muted',
  refund: 'warning',
};

/** A refund's state as the Refunds table shows it: a word and a badge tone. */
export const REFUND_STATE: Record<RefundState, { label: string; tone: string }> = {
  WAITING: { label: 'Waiting for the sale', tone: 'warning' },
  QUEUED: { label: 'Queued', tone: 'info' },
  POSTED: { label: 'In QuickBooks', tone: 'ok' },
  ERROR: { label: 'Error', tone: 'error' },
};

type OrderRefunds = NonNullable<OrderQuery['order']>['refunds'];

/** The order's refunds and what each became in QuickBooks (a credit memo, applied or paid back, or in QuickBooks Online a refund receipt). */
function Refunds({ refunds, currency }: { refunds: OrderRefunds; currency: string }) {
  if (refunds.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="order-refunds-heading">
      <h2 id="order-refunds-heading">Refunds</h2>
      <DataTable
        rows={refunds}
        testId="order-refunds"
        region="Refunds table"
        columns={['Refund', 'Refunded in the store', { label: 'Credit', className: 'num' }, { label: 'Back in stock', className: 'num' }, 'QuickBooks']}
      >
        {(r) => <RefundRow key={r.id} refund={r} currency={currency} />}
      </DataTable>
    </section>
  );
}

function RefundRow({ refund: r, currency }: { refund: OrderRefunds[number]; currency: string }) {
  const st = REFUND_STATE[r.state];
  return (
    <tr data-testid="order-refund" data-state={r.state}>
      <td className="nowrap">
        {r.refNumber || `R${r.seq}`}
        <div className="muted small">store id {r.externalId}</div>
      </td>
      <td className="nowrap">{formatDateTime(r.storeCreatedAt)}</td>
      <td className="num nowrap">{formatMoney(r.total, currency)}</td>
      <td className="num">{r.restocked}</td>
      <td>
        <span className={`badge badge-${st.tone}`}>{st.label}</span>
        <div className="small">{r.stateReason}</div>
        {r.creditTxnId && <div className="muted small">QuickBooks id {r.creditTxnId}</div>}
      </td>
    </tr>
  );
}

function looksLikeXml(s: string): boolean {
  return s.trimStart().startsWith('<');
}

/**
 * Splits an event's details into the qbXML documents it carries (any string member that is
 * XML, at any depth, named by its path) and the rest as indented JSON.
 */
export function splitDetails(details: string): { xml: { name: string; text: string }[]; json: string | null } {
  if (looksLikeXml(details)) return { xml: [{ name: 'qbXML', text: details }], json: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(details);
  } catch {
    return { xml: [], json: details };
  }
  const xml: { name: string; text: string }[] = [];
  const strip = (v: unknown, path: string): unknown => {
    if (typeof v === 'string' && looksLikeXml(v)) {
      xml.push({ name: path, text: v });
      return undefined;
    }
    if (Array.isArray(v)) return v.map((x, i) => strip(x, `${path}[${i}]`));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const kept = strip(x, path ? `${path}.${k}` : k);
        if (kept !== undefined) out[k] = kept;
      }
      return out;
    }
    return v;
  };
  const rest = strip(parsed, '');
  const empty = rest && typeof rest === 'object' && !Array.isArray(rest) && Object.keys(rest).length === 0;
  return { xml, json: rest === undefined || empty ? null : JSON.stringify(rest, null, 2) };
}

/** The QuickBooks request an audit event is about (its details' workItemId), if any. */
export function workItemOf(details: string | null): string | null {
  if (!details) return null;
  try {
    const v = JSON.parse(details) as { workItemId?: unknown };
    return typeof v.workItemId === 'number' || typeof v.workItemId === 'string' ? String(v.workItemId) : null;
  } catch {
    return null;
  }
}

/** The request as it is now in the Web Connector queue and QuickBooks' answer, read when opened. */
function WorkItemView({ id }: { id: string }) {
  const { data, error, refetch } = useQuery<WorkItemQuery>(WORK_ITEM_QUERY, { id });
  if (error) return <ErrorNotice error={error} onRetry={refetch} prefix="Could not load the QuickBooks request:" />;
  if (!data) return <p className="muted small">Loading…</p>;
  const w = data.workItem;
  return (
    <div data-testid="work-item">
      <p className="small">
        {w.kind} · <strong>{w.status.toLowerCase().replace('_', ' ')}</strong>
        {w.statusCode !== null && w.statusCode !== undefined && ` · QuickBooks status ${w.statusCode}`}
        {w.quickBooksId && ` · TxnID ${w.quickBooksId}`} · updated {formatDateTime(w.updatedAt)}
      </p>
      {w.statusMessage && <p className="small">{w.statusMessage}</p>}
      <h4>Request (qbXML)</h4>
      <pre className="qbxml">{w.request}</pre>
      <h4>QuickBooks’ answer</h4>
      {w.response ? <pre className="qbxml">{w.response}</pre> : <p className="muted small">No answer yet.</p>}
    </div>
  );
}

/** A link from an audit event to the QuickBooks request it is about, opened in place. */
function WorkItemLink({ id }: { id: string }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="event-details" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>QuickBooks request and answer</summary>
      {open && <WorkItemView id={id} />}
    </details>
  );
}

function EventDetails({ details }: { details: string }) {
  const { xml, json } = splitDetails(details);
  return (
    <details className="event-details">
      <summary>Details</summary>
      {xml.map((x) => (
        <div key={x.name}>
          <h4>{x.name}</h4>
          <pre className="qbxml">{x.text}</pre>
        </div>
      ))}
      {json !== null && <pre className="code-block">{json}</pre>}
    </details>
  );
}

interface NormalizedLine {
  sku?: string;
  name?: string;
  variantTitle?: string;
  quantity?: number;
  unitPrice?: number;
  discount?: number;
  tax?: number;
  total?: number;
  itemName?: string;
}

/** Cents (the normalized order's unit) as money in the order's currency: 2900 → "$29.00". */
export function formatCents(cents: number | undefined, currency: string): string {
  const amount = (cents ?? 0) / 100;
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency || 'USD' }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

/** The lines of a normalized order (JSON); none when it cannot be read. */
export function orderLines(normalized: string): { lines: NormalizedLine[]; shipping: number; tax: number; discount: number; total: number } {
  try {
    const o = JSON.parse(normalized) as { lines?: NormalizedLine[]; shippingTotal?: number; taxTotal?: number; discountTotal?: number; total?: number };
    return { lines: Array.isArray(o.lines) ? o.lines : [], shipping: o.shippingTotal ?? 0, tax: o.taxTotal ?? 0, discount: o.discountTotal ?? 0, total: o.total ?? 0 };
  } catch {
    return { lines: [], shipping: 0, tax: 0, discount: 0, total: 0 };
  }
}

function LineItems({ normalized, currency }: { normalized: string; currency: string }) {
  const { lines, shipping, tax, discount, total } = orderLines(normalized);
  const money = (c: number | undefined) => formatCents(c, currency);
  return (
    <section className="panel" aria-labelledby="order-lines-heading">
      <h2 id="order-lines-heading">Line items</h2>
      {lines.length === 0 ? (
        <p className="empty">This order has no line items.</p>
      ) : (
        <DataTable
          rows={lines}
          testId="order-lines"
          region="Line items table"
          columns={['SKU', 'Item', { label: 'Qty', className: 'num' }, { label: 'Unit price', className: 'num' }, { label: 'Discount', className: 'num' }, { label: 'Total', className: 'num' }]}
          foot={
            <>
              {discount > 0 && (
                <tr>
                  <th scope="row" colSpan={5} className="num">Discounts</th>
                  <td className="num nowrap">{money(-discount)}</td>
                </tr>
              )}
              <tr>
                <th scope="row" colSpan={5} className="num">Shipping</th>
                <td className="num nowrap">{money(shipping)}</td>
              </tr>
              <tr>
                <th scope="row" colSpan={5} className="num">Tax</th>
                <td className="num nowrap">{money(tax)}</td>
              </tr>
              <tr>
                <th scope="row" colSpan={5} className="num">Order total</th>
                <td className="num nowrap" data-testid="order-lines-total">{money(total)}</td>
              </tr>
            </>
          }
        >
          {(l, i) => (
            <tr key={i}>
              <td className="nowrap">{l.sku || <span className="muted">—</span>}</td>
              <td>
                {l.name}
                {l.variantTitle ? <span className="muted"> · {l.variantTitle}</span> : null}
                {l.itemName ? <div className="muted small">QuickBooks item: {l.itemName}</div> : null}
              </td>
              <td className="num">{l.quantity ?? 0}</td>
              <td className="num nowrap">{money(l.unitPrice)}</td>
              <td className="num nowrap">{l.discount ? money(-l.discount) : <span className="muted">—</span>}</td>
              <td className="num nowrap">{money(l.total)}</td>
            </tr>
          )}
        </DataTable>
      )}
    </section>
  );
}

export function OrderDetailPage() {
  const { id = '' } = useParams();
  const { data, error, loading, refetch } = useQuery<OrderQuery>(ORDER_QUERY, { id });
  const order = data?.order;
  const storeName = useStoreNames();
  useTitle(order ? `Order ${order.number}` : 'Order');

  return (
    <div className="page">
      <BackLink to="/orders" label="Orders" />
      {error && !order && (
        <>
          <header className="page-header">
            <h1>Order</h1>
          </header>
          <ErrorNotice
            error={error}
            onRetry={error.code === 'NOT_FOUND' ? undefined : refetch}
            prefix={error.code === 'NOT_FOUND' ? 'There is no such order in this account:' : 'Could not load the order:'}
          />
        </>
      )}
      {loading && !order && (
        <p className="muted" role="status">
          Loading…
        </p>
      )}
      {order && (
        <>
          <header className="page-header order-header">
            <div>
              <h1>Order {order.number}</h1>
              <p className="muted">
                <span data-testid="order-store">{storeName(order.connectionId)}</span> ({channelLabel(order.channel)}) · store id <code>{order.externalId}</code>
              </p>
            </div>
            <button type="button" className="button button-small" onClick={refetch}>
              Refresh
            </button>
          </header>
          {error && <ErrorNotice error={error} onRetry={refetch} prefix="Could not refresh:" />}

          {order.changedAfterPost && (
            <p className="banner-warning" role="status" data-testid="changed-after-post">
              {CHANGED_AFTER_POST}
            </p>
          )}

          <section className="panel" aria-label="Summary">
            <dl className="facts">
              <dt>State</dt>
              <dd>
                <OrderStateBadge state={order.state} />
              </dd>
              <dt>Reason</dt>
              <dd data-testid="order-reason">{order.stateReason || <span className="muted">—</span>}</dd>
              <dt>Total</dt>
              <dd>{formatMoney(order.total, order.currency)}</dd>
              <dt>Customer</dt>
              <dd>{order.customerName || <span className="muted">—</span>}</dd>
              <dt>Placed in the store</dt>
              <dd>{formatDateTime(order.storeCreatedAt)}</dd>
              <dt>Last changed in the store</dt>
              <dd>{formatDateTime(order.storeUpdatedAt)}</dd>
              <dt>Pulled by Ledgerlink</dt>
              <dd>{formatDateTime(order.createdAt)}</dd>
              <dt>Last change here</dt>
              <dd>{formatDateTime(order.updatedAt)}</dd>
            </dl>
          </section>

          <LineItems normalized={order.normalized} currency={order.currency} />

          <Refunds refunds={order.refunds} currency={order.currency} />

          <section className="panel" aria-labelledby="order-events-heading">
            <h2 id="order-events-heading">Audit trail</h2>
            {order.events.length === 0 ? (
              <p className="empty">Nothing has happened to this order yet.</p>
            ) : (
              <ol className="timeline">
                {order.events.map((ev) => (
                  <li key={ev.id} className="timeline-item" data-testid="order-event" data-kind={ev.kind}>
                    <div className="timeline-head">
                      <span className={`badge badge-${KIND_TONE[ev.kind] ?? 'muted'}`}>{ev.kind}</span>
                      <time className="muted small" dateTime={ev.createdAt}>
                        {formatDateTime(ev.createdAt)}
                      </time>
                    </div>
                    <p className="timeline-message">{ev.message}</p>
                    {ev.details && <EventDetails details={ev.details} />}
                    {workItemOf(ev.details ?? null) && <WorkItemLink id={workItemOf(ev.details ?? null)!} />}
                  </li>
                ))}
              </ol>
            )}
          </section>

          <section className="panel" aria-label="Order data">
            <JsonViewer summary="Normalized order" text={order.normalized} testId="order-normalized" />
            <JsonViewer summary="Store payload" text={order.raw} testId="order-raw" />
          </section>
        </>
      )}
    </div>
  );
}
