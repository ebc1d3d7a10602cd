// Fields a store connection's forms share: its credentials with where to find them, and its
// QuickBooks company. Used by the Add store wizard, a store's Settings and the ShipStation set-up
// wizard.
import { graphql } from '../api';
import { CHECK_STORE_CREDENTIALS_MUTATION } from '../graphql/connections';
import type { CheckStoreCredentialsMutation } from '../graphql/operations';
import type { Channel } from '../graphql/schema';
import { CHANNELS, credentialsInput, type CredentialKey, type CredentialValues } from '../storeSettings';
import { toGraphQLError } from '../useQuery';
import { FieldError, invalidProps } from './PostingSettingsFields';

export interface QbdOption {
  id: string;
  name: string;
  /** When its Web Connector last called; null when it never has (undefined: not known here). */
  lastContactAt?: string | null;
}

/** The server's BAD_USER_INPUT field, if the error has one. */
export function badInputField(err: unknown): { field: string | null; message: string; code: string } {
  const e = toGraphQLError(err);
  const field = e.errors[0]?.extensions?.field;
  return { field: e.code === 'BAD_USER_INPUT' && typeof field === 'string' ? field : null, message: e.message || 'Something went wrong.', code: e.code };
}

/** The inputs a connection test's answer can concern: the store's address or one of its credentials. */
export type CheckedField = 'baseUrl' | CredentialKey;

/** A connection test that failed, as a form shows it: under `field`, or above the buttons when it is null. */
export interface CredentialProblem {
  field: CheckedField | null;
  message: string;
}

/**
 * Tests a store connection before it is saved (checkStoreCredentials: one call to the store,
 * nothing stored). null: the store accepted the credentials. Otherwise the problem and the input
 * it concerns: the address, or the credential the store refused (a refused secret under the
 * secret); a field that is not one of the channel's inputs is reported as none. Errors other
 * than an address the server refuses to call are thrown.
 */
export async function checkStoreConnection(channel: Channel, baseUrl: string, values: CredentialValues): Promise<CredentialProblem | null> {
  let r: CheckStoreCredentialsMutation['checkStoreCredentials'];
  try {
    const data = await graphql<CheckStoreCredentialsMutation>(CHECK_STORE_CREDENTIALS_MUTATION, {
      input: { channel, baseUrl: baseUrl.trim(), credentials: credentialsInput(channel, values) },
    });
    r = data.checkStoreCredentials;
  } catch (err) {
    const { field, message } = badInputField(err);
    if (field === 'baseUrl') return { field, message };
    throw err;
  }
  if (r.ok) return null;
  const known = r.field === 'baseUrl' || CHANNELS[channel].credentials.some((c) => c.key === r.field);
  return { field: known ? (r.field as CheckedField) : null, message: r.message };
}

/** The credentials inputs of a channel (never filled from stored values: they are not returned). */
export function CredentialFields({
  channel,
  idPrefix,
  values,
  onChange,
  error,
  fieldErrors,
  disabled,
  editing,
}: {
  channel: Channel;
  idPrefix: string;
  values: CredentialValues;
  onChange: (next: CredentialValues) => void;
  /** A problem with the credentials as a whole, shown below them. */
  error?: string;
  /** Problems of single fields (a secret the store refused), each shown under its field. */
  fieldErrors?: Partial<Record<CredentialKey, string>>;
  disabled?: boolean;
  /** Replacing stored credentials: an optional field left blank keeps its value. */
  editing?: boolean;
}) {
  const errorId = `${idPrefix}-credentials`;
  return (
    <>
      {CHANNELS[channel].credentials.map(({ key, label, placeholder, hint, editHint }) => {
        const id = `${idPrefix}-${key}`;
        const help = editing ? (editHint ?? hint) : hint;
        const own = fieldErrors?.[key];
        return (
          <div className="field" key={key}>
            <label htmlFor={id}>{label}</label>
            <input
              id={id}
              type="password"
              autoComplete="new-password"
              spellCheck={false}
              placeholder={placeholder}
              value={values[key] ?? ''}
              disabled={disabled}
              onChange={(e) => onChange({ ...values, [key]: e.target.value })}
              aria-describedby={help ? `${id}-hint` : undefined}
              {...(own ? invalidProps(own, id) : invalidProps(error, errorId))}
            />
            {help && (
              <span className="field-hint" id={`${id}-hint`}>
                {help}
              </span>
            )}
            <FieldError error={own} id={id} />
          </div>
        );
      })}
      <FieldError error={error} id={errorId} />
    </>
  );
}

/** Where to find the credentials in the channel, step by step. */
export function HowTo({ channel }: { channel: Channel }) {
  return (
    <div className="howto" data-testid="credentials-howto">
      <h4>Where to find them in {CHANNELS[channel].label}</h4>
      <ol>
        {CHANNELS[channel].howTo.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ol>
      <p className="muted small">Ledgerlink checks them with a real call before saving, stores them encrypted and never shows them again.</p>
    </div>
  );
}

/** The QuickBooks Desktop company a store posts to. */
/** A store's QuickBooks company as one select value: "qbd:<id>" (Desktop), "qbo:<id>" (Online) or "". */
export function companyValue(store: { quickBooksConnectionId: string | null; quickBooksOnlineConnectionId: string | null }): string {
  if (store.quickBooksOnlineConnectionId) return `qbo:${store.quickBooksOnlineConnectionId}`;
  return store.quickBooksConnectionId ? `qbd:${store.quickBooksConnectionId}` : '';
}

/** The updateStoreConnection input of a CompanySelect value (the server unlinks the other kind). */
export function companyInput(value: string): { quickBooksConnectionId?: string; quickBooksOnlineConnectionId?: string } {
  if (value.startsWith('qbo:')) return { quickBooksOnlineConnectionId: value.slice(4) };
  if (value.startsWith('qbd:')) return { quickBooksConnectionId: value.slice(4) };
  return {};
}

/** The QuickBooks company a store posts to: one of the Desktop companies or one of the Online ones. */
export function CompanySelect({
  id,
  value,
  onChange,
  desktop,
  online,
  error,
  allowNone,
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  desktop: QbdOption[];
  online: QbdOption[];
  error?: string;
  allowNone: boolean;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>QuickBooks company</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} {...invalidProps(error, id)}>
        {allowNone && <option value="">Not linked yet</option>}
        {(
          [
            ['QuickBooks Desktop', 'qbd', desktop],
            ['QuickBooks Online', 'qbo', online],
          ] as const
        ).map(
          ([label, kind, options]) =>
            options.length > 0 && (
              <optgroup key={kind} label={label}>
                {options.map((o) => (
                  <option key={o.id} value={`${kind}:${o.id}`}>
                    {o.name}
                  </option>
                ))}
              </optgroup>
            ),
        )}
      </select>
      <span className="field-hint">The QuickBooks company this store’s orders are posted to: a Desktop company file or a QuickBooks Online company.</span>
      <FieldError error={error} id={id} />
    </div>
  );
}

export function QbdSelect({
  id,
  value,
  onChange,
  options,
  error,
  disabled,
  allowNone,
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  options: QbdOption[];
  error?: string;
  disabled?: boolean;
  allowNone: boolean;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>QuickBooks company</label>
      <select id={id} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)} {...invalidProps(error, id)}>
        {allowNone && <option value="">Not linked yet</option>}
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
      <span className="field-hint">The QuickBooks Desktop company this store’s orders are posted to.</span>
      <FieldError error={error} id={id} />
    </div>
  );
}
