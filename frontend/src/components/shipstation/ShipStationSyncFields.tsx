// The fields of "Sync Orders from QuickBooks" (form.ts ToShipStationForm), one component a group,
// so the connection's settings section and the install wizard's steps show the same fields with
// the same words and checks. Each takes the form, its setter, the errors and an id maker
// (SettingsKit FieldsProps), as useSettingsForm gives them.
import type { ShipStationStoresQuery } from '../../graphql/operations';
import { ShippingCostAsValues, TransactionTypeValues, type TransactionType } from '../../graphql/schema';
import { SHIPSTATION_STORES_QUERY } from '../../graphql/shipstation';
import { useQuery } from '../../useQuery';
import { bindText, Checkbox, CheckboxField, FieldError, Options, SelectField, TextField, type FieldsProps } from '../settings/SettingsKit';
import { QB_TXN_LABEL, SHIPPING_COST_AS_LABEL, SHIPSTATION_ORDER_STATUSES, SHIPSTATION_STATUS_LABEL, type ToShipStationField, type ToShipStationForm } from './form';

export type ShipStationFieldsProps = FieldsProps<ToShipStationForm>;

/** The words of the text fields. */
const TEXT_FIELDS = {
  classFilter: {
    label: 'QuickBooks class',
    placeholder: 'ShipStation',
    hint: 'Sales of this class (and its subclasses) are sent. Give a sale this class in QuickBooks to ship it.',
  },
  shippingItem: { label: 'QuickBooks shipping item', placeholder: 'Shipping', hint: 'The item of the line that carries the label’s cost.' },
  shippedStatuses: {
    label: 'Statuses that count as shipped',
    placeholder: 'shipped',
    hint: 'Enter Shipped as the order status to export. Separate several with commas.',
  },
} satisfies Partial<Record<ToShipStationField, { label: string; placeholder: string; hint: string }>>;

/** The direction's on/off box; warns while the connection has no QuickBooks company to read sales from. */
export function DirectionField({ form, set, id, hasCompany }: ShipStationFieldsProps & { hasCompany: boolean }) {
  return (
    <CheckboxField
      caption="Direction"
      id={id('enabled')}
      checked={form.enabled}
      onChange={(v) => set('enabled', v)}
      hint={!hasCompany && form.enabled && 'Choose this connection’s QuickBooks company in its settings first: the sales are read from it.'}
    >
      Sync orders from QuickBooks to ShipStation
    </CheckboxField>
  );
}

/** Which QuickBooks transactions are sent (invoices, sales receipts, sales orders). */
export function TxnTypesField({ form, set, errors, id }: ShipStationFieldsProps) {
  // Kept in TransactionTypeValues' order whatever order they are ticked in.
  const toggle = (t: TransactionType, on: boolean) =>
    set('txnTypes', on ? TransactionTypeValues.filter((v) => v === t || form.txnTypes.includes(v)) : form.txnTypes.filter((v) => v !== t));
  return (
    <fieldset className="field" aria-describedby={errors.txnTypes ? `${id('txnTypes')}-error` : undefined}>
      <legend className="field-label">QuickBooks transactions to send</legend>
      {TransactionTypeValues.map((t) => (
        <Checkbox key={t} id={id(`txn-${t}`)} checked={form.txnTypes.includes(t)} onChange={(on) => toggle(t, on)}>
          {QB_TXN_LABEL[t]}
        </Checkbox>
      ))}
      <FieldError error={errors.txnTypes} id={id('txnTypes')} />
    </fieldset>
  );
}

/** Which sales: only those of a QuickBooks class (its name editable) or all of them. */
export function SalesFilterFields(p: ShipStationFieldsProps) {
  const { form, set, errors, id } = p;
  return (
    <>
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
        <TextField {...bindText(p, 'classFilter')} {...TEXT_FIELDS.classFilter} />
      )}
    </>
  );
}

/** The ShipStation store new orders go to, read from ShipStation through the connection. */
export function StoreField({ form, set, errors, id, connectionId }: ShipStationFieldsProps & { connectionId: string }) {
  const stores = useQuery<ShipStationStoresQuery>(SHIPSTATION_STORES_QUERY, { connectionId });
  const storeOptions = stores.data?.shipStationStores ?? [];
  const knownStore = form.storeId === 0 || storeOptions.some((s) => s.id === form.storeId);
  return (
    <SelectField
      id={id('storeId')}
      label="ShipStation store"
      value={String(form.storeId)}
      onChange={(v) => set('storeId', Number(v))}
      error={errors.storeId}
      hintTestId="shipstation-stores-status"
      hint={
        stores.loading
          ? 'Loading the ShipStation stores…'
          : stores.error
            ? `ShipStation’s stores could not be read (${stores.error.message}). Check the API key and secret, then reload; orders go to the store shown.`
            : 'Where new orders go. A rule can send a sale to another store.'
      }
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
    </SelectField>
  );
}

/** ShipStation's statuses a new order can be created in (not shipped or cancelled). */
const NEW_ORDER_STATUSES = SHIPSTATION_ORDER_STATUSES.filter((s) => s !== 'shipped' && s !== 'cancelled');

/** The status new orders are created in. */
export function OrderStatusField({ form, set, errors, id }: ShipStationFieldsProps) {
  return (
    <SelectField
      id={id('orderStatus')}
      label="Order status in ShipStation"
      value={form.orderStatus}
      onChange={(v) => set('orderStatus', v)}
      error={errors.orderStatus}
      hint="The status new orders are created in. A rule can change it per sale."
    >
      <Options values={NEW_ORDER_STATUSES} labels={SHIPSTATION_STATUS_LABEL} />
    </SelectField>
  );
}

/** What comes back into the QuickBooks sale when ShipStation ships it, and which statuses count as shipped. */
export function TrackingFields(p: ShipStationFieldsProps) {
  const { form, set, errors, id } = p;
  const writesBack = form.addTracking || form.addShippingCost;
  return (
    <>
      <div className="field">
        <Checkbox id={id('addTracking')} checked={form.addTracking} onChange={(v) => set('addTracking', v)}>
          Add the tracking number, carrier and ship date to the QuickBooks sale
        </Checkbox>
        <Checkbox id={id('addShippingCost')} checked={form.addShippingCost} onChange={(v) => set('addShippingCost', v)}>
          Add the shipping cost to the QuickBooks sale
        </Checkbox>
      </div>
      {form.addShippingCost && (
        <>
          <SelectField
            id={id('shippingCostAs')}
            label="Write the cost as"
            value={form.shippingCostAs}
            onChange={(v) => set('shippingCostAs', v as ToShipStationForm['shippingCostAs'])}
            error={errors.shippingCostAs}
          >
            <Options values={ShippingCostAsValues} labels={SHIPPING_COST_AS_LABEL} />
          </SelectField>
          {form.shippingCostAs === 'LINE' && (
            <TextField {...bindText(p, 'shippingItem')} {...TEXT_FIELDS.shippingItem} />
          )}
        </>
      )}
      {writesBack && (
        <TextField {...bindText(p, 'shippedStatuses')} {...TEXT_FIELDS.shippedStatuses} />
      )}
    </>
  );
}
