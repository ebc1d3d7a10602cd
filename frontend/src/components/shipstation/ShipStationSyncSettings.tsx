// A ShipStation connection's "Sync Orders from QuickBooks" section (issue 13, seed 004): whether
// the QuickBooks company's sales become ShipStation orders, which ones, where they go, and what
// comes back when they ship. A form of its own, saved with updateStoreConnection's
// settings.quickbooksToShipStation, so the posting settings' Save never touches it. Test sales
// are queued with their own button (sendShipStationTestSales), not by saving.
import { useId, useState, type FormEvent } from 'react';
import { graphql } from '../../api';
import { UPDATE_STORE_MUTATION } from '../../graphql/connections';
import type { SendShipStationTestSalesMutation, ShipStationStoresQuery, ShipStationTestSalesQuery, UpdateStoreConnectionMutation } from '../../graphql/operations';
import { ShippingCostAsValues, TransactionTypeValues, type QuickBooksToShipStationSettings, type TransactionType } from '../../graphql/schema';
import { SEND_SHIPSTATION_TEST_SALES_MUTATION, SHIPSTATION_STORES_QUERY, SHIPSTATION_TEST_SALES_QUERY } from '../../graphql/shipstation';
import { formatDateTimeShort } from '../../format';
import { Link } from '../../router';
import { toGraphQLError, useQuery } from '../../useQuery';
import { FormAlert } from '../ErrorNotice';
import { FieldError, invalidProps, type FieldErrors } from '../PostingSettingsFields';
import {
  orderNumbersProblem,
  parseOrderNumbers,
  QB_TXN_LABEL,
  serverField,
  serverMessage,
  SHIPPING_COST_AS_LABEL,
  SHIPSTATION_ORDER_STATUSES,
  SHIPSTATION_STATUS_LABEL,
  toShipStationForm,
  toShipStationInput,
  toShipStationProblems,
  type ToShipStationField,
  type ToShipStationForm,
} from './form';

export const OWNER_ONLY_TO_SHIPSTATION = 'Only the account owner can change Sync Orders from QuickBooks.';

type Row = UpdateStoreConnectionMutation['updateStoreConnection'];

interface Props {
  store: { id: string; name: string; quickBooksConnectionId?: string | null; settings: { quickbooksToShipStation?: QuickBooksToShipStationSettings | null } };
  onSaved: (row: Row) => void;
}

export function ShipStationSyncSettings({ store, onSaved }: Props) {
  const [form, setForm] = useState<ToShipStationForm>(() => toShipStationForm(store.settings.quickbooksToShipStation));
  const [errors, setErrors] = useState<FieldErrors<ToShipStationField>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const uid = useId();
  const id = (f: string) => `${uid}-${f}`;
  const set = <K extends ToShipStationField>(f: K, v: ToShipStationForm[K]) => setForm({ ...form, [f]: v });
  const stores = useQuery<ShipStationStoresQuery>(SHIPSTATION_STORES_QUERY, { connectionId: store.id });

  const toggleType = (t: TransactionType, on: boolean) =>
    set('txnTypes', on ? TransactionTypeValues.filter((v) => v === t || form.txnTypes.includes(v)) : form.txnTypes.filter((v) => v !== t));

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setSaved(null);
    setFormError(null);
    const local = toShipStationProblems(form);
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    try {
      const data = await graphql<UpdateStoreConnectionMutation>(UPDATE_STORE_MUTATION, {
        id: store.id,
        input: { settings: { quickbooksToShipStation: toShipStationInput(form) } },
      });
      const row = data.updateStoreConnection;
      setForm(toShipStationForm(row.settings.quickbooksToShipStation));
      setSaved(
        row.settings.quickbooksToShipStation.enabled
          ? 'Saved. QuickBooks sales are sent to ShipStation on the next Web Connector run.'
          : 'Saved: off. No QuickBooks sales are sent to ShipStation and nothing is written back.',
      );
      onSaved(row);
    } catch (err) {
      const g = toGraphQLError(err);
      const field = g.code === 'BAD_USER_INPUT' ? serverField(g.errors[0]?.extensions?.field, g.message) : null;
      if (field) setErrors({ [field]: serverMessage(g.message) });
      else setFormError(g.code === 'FORBIDDEN' ? OWNER_ONLY_TO_SHIPSTATION : g.message || 'Something went wrong.');
    } finally {
      setBusy(false);
    }
  };

  const storeOptions = stores.data?.shipStationStores ?? [];
  const knownStore = form.storeId === 0 || storeOptions.some((s) => s.id === form.storeId);
  const writesBack = form.addTracking || form.addShippingCost;

  return (
    <section className="inventory-sync-settings" aria-label="Sync Orders from QuickBooks" data-testid="shipstation-sync-settings">
      <form onSubmit={submit} noValidate aria-label="Sync Orders from QuickBooks settings">
        <h4>Sync Orders from QuickBooks</h4>
        <p className="muted">
          The QuickBooks company of this connection sends its sales to ShipStation as orders on every Web Connector run; when ShipStation ships them,
          the tracking number and shipping cost come back into the QuickBooks sale. Sales Ledgerlink itself posted from a store are never sent back.
          Exclude sales or pick a store per sale with a <Link to="/rules/new">QuickBooks → ShipStation rule</Link>.
        </p>
        <div className="field-grid">
          <div className="field">
            <span className="field-label">Direction</span>
            <label className="checkbox" htmlFor={id('enabled')}>
              <input id={id('enabled')} type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} />
              Sync orders from QuickBooks to ShipStation
            </label>
            {!store.quickBooksConnectionId && form.enabled && (
              <span className="field-hint">Choose this connection’s QuickBooks company in its settings first: the sales are read from it.</span>
            )}
          </div>
          <fieldset className="field" aria-describedby={errors.txnTypes ? `${id('txnTypes')}-error` : undefined}>
            <legend className="field-label">QuickBooks transactions to send</legend>
            {TransactionTypeValues.map((t) => (
              <label key={t} className="checkbox" htmlFor={id(`txn-${t}`)}>
                <input id={id(`txn-${t}`)} type="checkbox" checked={form.txnTypes.includes(t)} onChange={(e) => toggleType(t, e.target.checked)} />
                {QB_TXN_LABEL[t]}
              </label>
            ))}
            <FieldError error={errors.txnTypes} id={id('txnTypes')} />
          </fieldset>
          <fieldset className="field">
            <legend className="field-label">Which sales</legend>
            <label className="checkbox" htmlFor={id('filter-class')}>
              <input id={id('filter-class')} type="radio" name={id('salesFilter')} checked={form.salesFilter === 'class'} onChange={() => set('salesFilter', 'class')} />
              Only sales of a QuickBooks class
            </label>
            <label className="checkbox" htmlFor={id('filter-all')}>
              <input id={id('filter-all')} type="radio" name={id('salesFilter')} checked={form.salesFilter === 'all'} onChange={() => set('salesFilter', 'all')} />
              All sales, whatever their class
            </label>
            <FieldError error={errors.salesFilter} id={id('salesFilter')} />
          </fieldset>
          {form.salesFilter === 'class' && (
            <div className="field">
              <label htmlFor={id('classFilter')}>QuickBooks class</label>
              <input
                id={id('classFilter')}
                value={form.classFilter}
                placeholder="ShipStation"
                onChange={(e) => set('classFilter', e.target.value)}
                {...invalidProps(errors.classFilter, id('classFilter'))}
              />
              <span className="field-hint">Sales of this class (and its subclasses) are sent. Give a sale this class in QuickBooks to ship it.</span>
              <FieldError error={errors.classFilter} id={id('classFilter')} />
            </div>
          )}
          <div className="field">
            <label htmlFor={id('storeId')}>ShipStation store</label>
            <select
              id={id('storeId')}
              value={String(form.storeId)}
              onChange={(e) => set('storeId', Number(e.target.value))}
              {...invalidProps(errors.storeId, id('storeId'))}
            >
              <option value="0">Manual Orders</option>
              {!knownStore && <option value={String(form.storeId)}>Store {form.storeId} (not found in ShipStation)</option>}
              {storeOptions
                .filter((s) => s.id !== 0)
                .map((s) => (
                  <option key={s.id} value={String(s.id)}>
                    {s.name}
                    {s.marketplace ? ` (${s.marketplace})` : ''}
                    {s.active ? '' : ' — inactive'}
                  </option>
                ))}
            </select>
            <span className="field-hint" data-testid="shipstation-stores-status">
              {stores.loading
                ? 'Loading the ShipStation stores…'
                : stores.error
                  ? `ShipStation’s stores could not be read (${stores.error.message}). Check the API key and secret, then reload; orders go to the store shown.`
                  : 'Where new orders go. A rule can send a sale to another store.'}
            </span>
            <FieldError error={errors.storeId} id={id('storeId')} />
          </div>
          <div className="field">
            <label htmlFor={id('orderStatus')}>Order status in ShipStation</label>
            <select id={id('orderStatus')} value={form.orderStatus} onChange={(e) => set('orderStatus', e.target.value)} {...invalidProps(errors.orderStatus, id('orderStatus'))}>
              {SHIPSTATION_ORDER_STATUSES.filter((s) => s !== 'shipped' && s !== 'cancelled').map((s) => (
                <option key={s} value={s}>
                  {SHIPSTATION_STATUS_LABEL[s]}
                </option>
              ))}
            </select>
            <span className="field-hint">The status new orders are created in. A rule can change it per sale.</span>
            <FieldError error={errors.orderStatus} id={id('orderStatus')} />
          </div>
        </div>

        <h5>Tracking details back to QuickBooks</h5>
        <div className="field-grid">
          <div className="field">
            <label className="checkbox" htmlFor={id('addTracking')}>
              <input id={id('addTracking')} type="checkbox" checked={form.addTracking} onChange={(e) => set('addTracking', e.target.checked)} />
              Add the tracking number, carrier and ship date to the QuickBooks sale
            </label>
            <label className="checkbox" htmlFor={id('addShippingCost')}>
              <input id={id('addShippingCost')} type="checkbox" checked={form.addShippingCost} onChange={(e) => set('addShippingCost', e.target.checked)} />
              Add the shipping cost to the QuickBooks sale
            </label>
          </div>
          {form.addShippingCost && (
            <>
              <div className="field">
                <label htmlFor={id('shippingCostAs')}>Write the cost as</label>
                <select
                  id={id('shippingCostAs')}
                  value={form.shippingCostAs}
                  onChange={(e) => set('shippingCostAs', e.target.value as ToShipStationForm['shippingCostAs'])}
                  {...invalidProps(errors.shippingCostAs, id('shippingCostAs'))}
                >
                  {ShippingCostAsValues.map((v) => (
                    <option key={v} value={v}>
                      {SHIPPING_COST_AS_LABEL[v]}
                    </option>
                  ))}
                </select>
                <FieldError error={errors.shippingCostAs} id={id('shippingCostAs')} />
              </div>
              {form.shippingCostAs === 'LINE' && (
                <div className="field">
                  <label htmlFor={id('shippingItem')}>QuickBooks shipping item</label>
                  <input
                    id={id('shippingItem')}
                    value={form.shippingItem}
                    placeholder="Shipping"
                    onChange={(e) => set('shippingItem', e.target.value)}
                    {...invalidProps(errors.shippingItem, id('shippingItem'))}
                  />
                  <span className="field-hint">The item of the line that carries the label’s cost.</span>
                  <FieldError error={errors.shippingItem} id={id('shippingItem')} />
                </div>
              )}
            </>
          )}
          {writesBack && (
            <div className="field">
              <label htmlFor={id('shippedStatuses')}>Statuses that count as shipped</label>
              <input
                id={id('shippedStatuses')}
                value={form.shippedStatuses}
                placeholder="shipped"
                onChange={(e) => set('shippedStatuses', e.target.value)}
                {...invalidProps(errors.shippedStatuses, id('shippedStatuses'))}
              />
              <span className="field-hint">Enter Shipped as the order status to export. Separate several with commas.</span>
              <FieldError error={errors.shippedStatuses} id={id('shippedStatuses')} />
            </div>
          )}
        </div>
        <FormAlert message={formError} />
        <p className="status-line" role="status" data-testid="shipstation-sync-status">
          {saved}
        </p>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy}>
            {busy ? 'Saving…' : 'Save Sync Orders from QuickBooks'}
          </button>
        </div>
      </form>
      <ShipStationTestSales connectionId={store.id} />
    </section>
  );
}

const TEST_STATE_LABEL: Record<string, string> = {
  pending: 'Waiting for the next Web Connector run',
  sent: 'Sent',
  not_found: 'Not found in QuickBooks',
  failed: 'Failed',
  parked: 'Not sent',
};

/** Test sales: QuickBooks order numbers sent on the next Web Connector run whatever their class, and how each went. */
export function ShipStationTestSales({ connectionId }: { connectionId: string }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [queued, setQueued] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const uid = useId();
  const results = useQuery<ShipStationTestSalesQuery>(SHIPSTATION_TEST_SALES_QUERY, { connectionId }, { pollMs: 15000 });

  const send = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setQueued(null);
    const problem = orderNumbersProblem(text);
    setError(problem);
    if (problem) return;
    setBusy(true);
    try {
      const refNumbers = parseOrderNumbers(text);
      await graphql<SendShipStationTestSalesMutation>(SEND_SHIPSTATION_TEST_SALES_MUTATION, { connectionId, refNumbers });
      setQueued(`${refNumbers.length === 1 ? 'Order' : 'Orders'} ${refNumbers.join(', ')} will be sent on the next Web Connector run.`);
      setText('');
      results.refetch();
    } catch (err) {
      const g = toGraphQLError(err);
      setError(g.code === 'FORBIDDEN' ? 'Only members of the account can send test sales.' : g.message || 'Something went wrong.');
    } finally {
      setBusy(false);
    }
  };

  const rows = results.data?.shipStationTestSales ?? [];
  return (
    <form onSubmit={send} noValidate aria-label="Test sales" data-testid="shipstation-test-sales">
      <h5>Test sales</h5>
      <p className="muted">Try a few QuickBooks sales first: they are sent whatever their class, and the result shows below.</p>
      <div className="field">
        <label htmlFor={`${uid}-refs`}>QuickBooks order numbers</label>
        <input id={`${uid}-refs`} value={text} placeholder="1001, 1002" onChange={(e) => setText(e.target.value)} {...invalidProps(error ?? undefined, `${uid}-refs`)} />
        <span className="field-hint">Separate them with commas.</span>
        <FieldError error={error ?? undefined} id={`${uid}-refs`} />
      </div>
      <p className="status-line" role="status">
        {queued}
      </p>
      <div className="form-actions">
        <button type="submit" className="button" disabled={busy} aria-busy={busy}>
          {busy ? 'Sending…' : 'Send on the next Web Connector run'}
        </button>
      </div>
      {results.error && <p className="muted">The test results could not be read: {results.error.message}</p>}
      {rows.length > 0 && (
        <table className="table" data-testid="shipstation-test-sale-rows">
          <thead>
            <tr>
              <th>Order</th>
              <th>State</th>
              <th>Result</th>
              <th>Asked</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.refNumber}-${r.requestedAt}`}>
                <td>{r.refNumber}</td>
                <td>{TEST_STATE_LABEL[r.state] ?? r.state}</td>
                <td>{r.result}</td>
                <td>{formatDateTimeShort(r.requestedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </form>
  );
}
