// A store's "Inventory sync" settings (jobs/orders InventorySettings): whether QuickBooks
// quantities reach the store, which quantity, which Shopify location, SKUs left alone and a
// safety stock. A form of its own, saved with updateStoreConnection's settings.inventory, so
// the posting settings' Save never touches it.
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
import { bindText, CheckboxField, Field, invalidProps, Options, SaveBar, SelectField, TextField, useSettingsForm } from './settings/SettingsKit';
import { updateStoreConnection, type StoreSectionProps } from './settings/storeSection';

export const OWNER_ONLY_INVENTORY = 'Only the account owner can change a store’s inventory sync.';

type Props = StoreSectionProps<{ channel: Channel; settings: { inventory?: InventorySettings | null } }>;

/** The fields the server may refuse one by one (settings.inventory.<field>). */
const REFUSABLE: readonly InventoryField[] = ['location', 'safetyStock', 'excludeSkus'];

export function InventorySyncSettings({ store, onSaved }: Props) {
  const settings = useSettingsForm<InventoryForm, InventoryField>({
    initial: () => inventoryToForm(store.settings.inventory ?? INVENTORY_OFF),
    problems: inventoryProblems,
    save: async (f) => {
      const row = await updateStoreConnection(store.id, { settings: { inventory: inventoryInput(f, store.channel) } });
      onSaved(row);
      return {
        form: inventoryToForm(row.settings.inventory),
        saved: row.settings.inventory.enabled
          ? 'Inventory sync saved. QuickBooks quantities reach this store after the next Web Connector run.'
          : 'Inventory sync saved: off. Ledgerlink no longer changes this store’s quantities.',
      };
    },
    refusedField: (g) => {
      const field = g.errors[0]?.extensions?.field;
      const name = (typeof field === 'string' ? field.replace(/^settings\.inventory\./, '') : '') as InventoryField;
      return REFUSABLE.includes(name) ? { field: name, message: g.message } : null;
    },
    forbidden: OWNER_ONLY_INVENTORY,
  });
  const { form, set, errors, id, busy, formError, saved, submit } = settings;
  const shopify = store.channel === 'SHOPIFY';

  return (
    <form onSubmit={submit} noValidate aria-label="Inventory sync" className="inventory-sync-settings" data-testid="inventory-sync-settings">
      <h4>Inventory sync</h4>
      <p className="muted">
        QuickBooks holds the stock. With inventory sync on, Ledgerlink reads the QuickBooks company’s quantities after each Web Connector run
        and sets them in {store.name} for every product whose SKU matches a QuickBooks item name (or an{' '}
        <Link to="/rules/new">INVENTORY rule</Link> maps). See the results on the <Link to="/inventory">Inventory page</Link>.
      </p>
      <div className="field-grid">
        <CheckboxField caption="Inventory sync" id={id('enabled')} checked={form.enabled} onChange={(v) => set('enabled', v)}>
          Send QuickBooks quantities to this store
        </CheckboxField>
        <SelectField
          id={id('basis')}
          label="Quantity to send"
          value={form.basis}
          onChange={(v) => set('basis', v as InventoryForm['basis'])}
          hint={INVENTORY_BASIS_HELP[form.basis]}
        >
          <Options values={InventoryBasisValues} labels={INVENTORY_BASIS_LABEL} />
        </SelectField>
        <TextField
          {...bindText(settings, 'safetyStock')}
          label="Safety stock"
          className="field-narrow"
          type="number"
          inputMode="numeric"
          min={0}
          step={1}
          hint="Units held back from every SKU: the store gets the quantity minus this, never below 0."
        />
        {shopify && (
          <TextField
            {...bindText(settings, 'location')}
            label="Shopify location"
            placeholder="The shop’s primary location"
            hint="The location whose quantities are set: its name or id. Empty: the primary location."
          />
        )}
        <Field
          id={id('excludeSkus')}
          label="SKUs to leave alone"
          error={errors.excludeSkus}
          hint="These store SKUs never get a quantity from QuickBooks (e.g. gift cards, made-to-order products)."
        >
          <textarea
            id={id('excludeSkus')}
            rows={3}
            value={form.excludeSkus}
            placeholder="One SKU per line, e.g. GIFT-CARD"
            onChange={(e) => set('excludeSkus', e.target.value)}
            {...invalidProps(errors.excludeSkus, id('excludeSkus'))}
          />
        </Field>
      </div>
      <SaveBar formError={formError} status={saved} statusTestId="inventory-sync-status" busy={busy} label="Save inventory sync" />
    </form>
  );
}
