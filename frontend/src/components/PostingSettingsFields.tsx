// The posting settings of a store connection, as form fields: used by the "Add store" wizard
// and by a store's Settings.
import type { ReactNode } from 'react';
import {
  CUSTOMER_MATCH_LABEL,
  MISSING_PRODUCT_HELP,
  MISSING_PRODUCT_LABEL,
  NEW_ITEM_TYPE_LABEL,
  TRANSACTION_TYPE_LABEL,
  type SettingsField,
  type SettingsForm,
} from '../storeSettings';
import {
  CustomerMatchValues,
  MissingProductActionValues,
  NewItemTypeValues,
  TransactionTypeValues,
} from '../graphql/schema';

export type FieldErrors<K extends string> = Partial<Record<K, string>>;

/** aria-invalid / aria-describedby for an input whose error is shown under it. */
export function invalidProps(error: string | undefined, id: string) {
  return error ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-error` } : {};
}

export function FieldError({ error, id }: { error: string | undefined; id: string }) {
  if (!error) return null;
  return (
    <p className="field-error" id={`${id}-error`} role="alert">
      {error}
    </p>
  );
}

interface Props {
  /** Makes the ids unique on the page. */
  idPrefix: string;
  value: SettingsForm;
  onChange: (next: SettingsForm) => void;
  /** A text field was left (a form that checks fields as they are edited checks it then). */
  onBlur?: (field: SettingsField) => void;
  errors: FieldErrors<SettingsField>;
  /** An error of the settings as a whole (the server names only "settings"). */
  groupError?: string;
  disabled?: boolean;
}

export function PostingSettingsFields({ idPrefix, value, onChange, onBlur, errors, groupError, disabled }: Props) {
  const id = (field: SettingsField) => `${idPrefix}-${field}`;
  const set = <K extends SettingsField>(field: K, v: SettingsForm[K]) => onChange({ ...value, [field]: v });

  const text = (field: Exclude<SettingsField, 'createMissingCustomers'>, label: string, hint?: ReactNode, placeholder?: string) => (
    <div className="field">
      <label htmlFor={id(field)}>{label}</label>
      <input
        id={id(field)}
        value={String(value[field])}
        placeholder={placeholder}
        disabled={disabled}
        onChange={(e) => set(field, e.target.value as never)}
        onBlur={onBlur && (() => onBlur(field))}
        {...invalidProps(errors[field], id(field))}
      />
      {hint && <span className="field-hint">{hint}</span>}
      <FieldError error={errors[field]} id={id(field)} />
    </div>
  );

  const select = <K extends 'transactionType' | 'newItemType' | 'customerMatch' | 'missingProductAction'>(
    field: K,
    label: string,
    options: readonly SettingsForm[K][],
    labels: Record<SettingsForm[K], string>,
    hint?: ReactNode,
  ) => (
    <div className="field">
      <label htmlFor={id(field)}>{label}</label>
      <select
        id={id(field)}
        value={value[field]}
        disabled={disabled}
        onChange={(e) => set(field, e.target.value as SettingsForm[K])}
        {...invalidProps(errors[field], id(field))}
      >
        {options.map((o) => (
          <option key={o} value={o}>
            {labels[o]}
          </option>
        ))}
      </select>
      {hint && <span className="field-hint">{hint}</span>}
      <FieldError error={errors[field]} id={id(field)} />
    </div>
  );

  return (
    <div className="settings-fields" data-testid="posting-settings">
      {groupError && (
        <p className="field-error settings-error" id={`${idPrefix}-settings-error`} role="alert">
          {groupError}
        </p>
      )}
      <fieldset className="field-group">
        <legend>Transactions</legend>
        <div className="field-grid">
          {select('transactionType', 'Transaction type', TransactionTypeValues, TRANSACTION_TYPE_LABEL)}
          {text('refPrefix', 'Order number prefix', 'Goes before the store’s order number, e.g. “WEB-”. Leave empty for none.')}
          {text('depositAccount', 'Deposit account', 'Where payments go. Empty: Undeposited Funds.')}
          {text('class', 'Class', 'A QuickBooks class for every transaction. Leave empty for none.')}
        </div>
      </fieldset>

      <fieldset className="field-group">
        <legend>Items and accounts</legend>
        <p className="field-hint">Names as they appear in QuickBooks. An empty box takes the default shown when the store was added.</p>
        <div className="field-grid">
          {text('shippingItem', 'Shipping item')}
          {text('discountItem', 'Discount item')}
          {text('taxItem', 'Tax item')}
          {text('roundingItem', 'Rounding item', 'Takes the cent differences between the store’s total and QuickBooks’.')}
          {text('incomeAccount', 'Income account')}
          {text('cogsAccount', 'COGS account', 'Cost of goods sold, for new inventory items.')}
          {text('assetAccount', 'Inventory asset account')}
          {select('newItemType', 'New item type', NewItemTypeValues, NEW_ITEM_TYPE_LABEL, 'The type of the items Ledgerlink creates.')}
        </div>
      </fieldset>

      <fieldset className="field-group">
        <legend>Customers</legend>
        <div className="field-grid">
          {select('customerMatch', 'Customer matching', CustomerMatchValues, CUSTOMER_MATCH_LABEL)}
          {value.customerMatch === 'SINGLE' &&
            text('singleCustomer', 'Single customer name', 'The QuickBooks customer every order is posted to.', 'e.g. Web Store')}
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={value.createMissingCustomers}
            disabled={disabled}
            onChange={(e) => set('createMissingCustomers', e.target.checked)}
          />
          Create missing customers
        </label>
      </fieldset>

      <fieldset className="field-group">
        <legend>Product matching</legend>
        <div className="field-grid">
          {select(
            'missingProductAction',
            'Missing Product Action',
            MissingProductActionValues,
            MISSING_PRODUCT_LABEL,
            MISSING_PRODUCT_HELP[value.missingProductAction],
          )}
          {text(
            'statuses',
            'Order statuses to export',
            'A comma-separated list of the store’s statuses, e.g. “paid, shipped”. Leave empty to export every status.',
            'all statuses',
          )}
        </div>
      </fieldset>
    </div>
  );
}
