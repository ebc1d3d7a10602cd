// A store's "Inventory sync" settings (jobs/orders InventorySettings): whether QuickBooks
// quantities reach the store, which quantity, which Shopify location, SKUs left alone and a
// safety stock. A form of its own, saved with updateStoreConnection's settings.inventory, so
// the posting settings' Save never touches it.
import { useId, useState, type FormEvent } from 'react';
import { graphql } from '../api';
import { UPDATE_STORE_MUTATION } from '../graphql/connections';
import type { UpdateStoreConnectionMutation } from '../graphql/operations';
import { InventoryBasisValues, type Channel, type InventorySettings } from '../graphql/schema';
import { Link } from '../router';
import {
  INVENTORY_BASIS_HELP,
  INVENTORY_BASIS_LABEL,
  INVENTORY_OFF,
  inventoryInput,
  inventoryProblems,
  inventoryToForm,
  type InventoryField,
  type InventoryForm,
} from '../storeSettings';
import { toGraphQLError } from '../useQuery';
import { FormAlert } from './ErrorNotice';
import { FieldError, invalidProps, type FieldErrors } from './PostingSettingsFields';

export const OWNER_ONLY_INVENTORY = 'Only the account owner can change a store’s inventory sync.';

type Row = UpdateStoreConnectionMutation['updateStoreConnection'];

interface Props {
  store: { id: string; name: string; channel: Channel; settings: { inventory?: InventorySettings | null } };
  onSaved: (row: Row) => void;
}

export function InventorySyncSettings({ store, onSaved }: Props) {
  const [form, setForm] = useState<InventoryForm>(() => inventoryToForm(store.settings.inventory ?? INVENTORY_OFF));
  const [errors, setErrors] = useState<FieldErrors<InventoryField>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const uid = useId();
  const id = (f: InventoryField) => `${uid}-${f}`;
  const set = <K extends InventoryField>(f: K, v: InventoryForm[K]) => setForm({ ...form, [f]: v });
  const shopify = store.channel === 'SHOPIFY';

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setSaved(null);
    setFormError(null);
    const local = inventoryProblems(form);
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    try {
      const data = await graphql<UpdateStoreConnectionMutation>(UPDATE_STORE_MUTATION, {
        id: store.id,
        input: { settings: { inventory: inventoryInput(form, store.channel) } },
      });
      const row = data.updateStoreConnection;
      setForm(inventoryToForm(row.settings.inventory));
      setSaved(
        row.settings.inventory.enabled
          ? 'Inventory sync saved. QuickBooks quantities reach this store after the next Web Connector run.'
          : 'Inventory sync saved: off. Ledgerlink no longer changes this store’s quantities.',
      );
      onSaved(row);
    } catch (err) {
      const g = toGraphQLError(err);
      const field = g.errors[0]?.extensions?.field;
      const name = typeof field === 'string' ? field.replace(/^settings\.inventory\./, '') : '';
      if (g.code === 'BAD_USER_INPUT' && (name === 'location' || name === 'safetyStock' || name === 'excludeSkus')) {
        setErrors({ [name]: g.message });
      } else {
        setFormError(g.code === 'FORBIDDEN' ? OWNER_ONLY_INVENTORY : g.message || 'Something went wrong.');
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Inventory sync" className="inventory-sync-settings" data-testid="inventory-sync-settings">
      <h4>Inventory sync</h4>
      <p className="muted">
        QuickBooks holds the stock. With inventory sync on, Ledgerlink reads the QuickBooks company’s quantities after each Web Connector run
        and sets them in {store.name} for every product whose SKU matches a QuickBooks item name (or an{' '}
        <Link to="/rules/new">INVENTORY rule</Link> maps). See the results on the <Link to="/inventory">Inventory page</Link>.
      </p>
      <div className="field-grid">
        <div className="field">
          <span className="field-label">Inventory sync</span>
          <label className="checkbox" htmlFor={id('enabled')}>
            <input id={id('enabled')} type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} />
            Send QuickBooks quantities to this store
          </label>
        </div>
        <div className="field">
          <label htmlFor={id('basis')}>Quantity to send</label>
          <select id={id('basis')} value={form.basis} onChange={(e) => set('basis', e.target.value as InventoryForm['basis'])}>
            {InventoryBasisValues.map((b) => (
              <option key={b} value={b}>
                {INVENTORY_BASIS_LABEL[b]}
              </option>
            ))}
          </select>
          <span className="field-hint">{INVENTORY_BASIS_HELP[form.basis]}</span>
        </div>
        <div className="field field-narrow">
          <label htmlFor={id('safetyStock')}>Safety stock</label>
          <input
            id={id('safetyStock')}
            type="number"
            inputMode="numeric"
            min={0}
            step={1}
            value={form.safetyStock}
            onChange={(e) => set('safetyStock', e.target.value)}
            {...invalidProps(errors.safetyStock, id('safetyStock'))}
          />
          <span className="field-hint">Units held back from every SKU: the store gets the quantity minus this, never below 0.</span>
          <FieldError error={errors.safetyStock} id={id('safetyStock')} />
        </div>
        {shopify && (
          <div className="field">
            <label htmlFor={id('location')}>Shopify location</label>
            <input
              id={id('location')}
              value={form.location}
              placeholder="The shop’s primary location"
              onChange={(e) => set('location', e.target.value)}
              {...invalidProps(errors.location, id('location'))}
            />
            <span className="field-hint">The location whose quantities are set: its name or id. Empty: the primary location.</span>
            <FieldError error={errors.location} id={id('location')} />
          </div>
        )}
        <div className="field">
          <label htmlFor={id('excludeSkus')}>SKUs to leave alone</label>
          <textarea
            id={id('excludeSkus')}
            rows={3}
            value={form.excludeSkus}
            placeholder="One SKU per line, e.g. GIFT-CARD"
            onChange={(e) => set('excludeSkus', e.target.value)}
            {...invalidProps(errors.excludeSkus, id('excludeSkus'))}
          />
          <span className="field-hint">These store SKUs never get a quantity from QuickBooks (e.g. gift cards, made-to-order products).</span>
          <FieldError error={errors.excludeSkus} id={id('excludeSkus')} />
        </div>
      </div>
      <FormAlert message={formError} />
      <p className="status-line" role="status" data-testid="inventory-sync-status">
        {saved}
      </p>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Saving…' : 'Save inventory sync'}
        </button>
      </div>
    </form>
  );
}
