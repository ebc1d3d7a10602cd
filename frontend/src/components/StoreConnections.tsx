// The "Stores" part of the Connections page: the stores orders are pulled from, their live
// sync progress, the "Add store" wizard, Manual Sync, and each store's settings.
import { TimeAgo } from './TimeAgo';
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { graphql } from '../api';
import { duplicateStoreWarning } from '../storeDuplicates';
import { ConnectionCard, ConnectionCards } from './ConnectionCards';
import { FormAlert, LoadStatus } from './ErrorNotice';
import { FirstPageNote } from './list/ListKit';
import { InventorySyncSettings } from './InventorySyncSettings';
import { ShipStationActivity } from './shipstation/ShipStationLists';
import { ShipStationSyncSettings } from './shipstation/ShipStationSyncSettings';
import { ShipStationWizard } from './shipstation/ShipStationWizard';
import { StoreWebhooks } from './StoreWebhooks';
import { CheckboxField, MinutesField, SaveBar, TextField } from './settings/SettingsKit';
import { updateStoreConnection } from './settings/storeSection';
import { WizardSteps } from './WizardSteps';
import { CompanySelect, CredentialFields, HowTo, badInputField, checkStoreConnection, companyInput, companyValue, type QbdOption } from './StoreFields';
import { PostingSettingsFields, type FieldErrors } from './PostingSettingsFields';
import { formatCount, formatDate, formatDateTime } from '../format';
import type {
  Channel,
  CreateStoreConnectionInput,
  SyncProgress,
  UpdateStoreConnectionInput,
} from '../graphql/schema';
import { Link, useLocation } from '../router';
import {
  CHANNELS,
  CHANNEL_ORDER,
  DEFAULT_POSTING_SETTINGS,
  MISSING_PRODUCT_LABEL,
  SYNC_STATE_LABEL,
  baseUrlProblem,
  credentialsInput,
  fromLocalInput,
  intervalProblem,
  lastDayRange,
  missingCredentialField,
  parseStatuses,
  preferredChoice,
  settingsInput,
  settingsProblems,
  settingsToForm,
  syncActive,
  type CredentialKey,
  type CredentialValues,
  type SettingsField,
  type SettingsForm,
} from '../storeSettings';
import { usePagedConnection, type NodeOf } from '../usePagedConnection';
import {
  CREATE_STORE_MUTATION,
  DEMO_STORE_PRESETS_QUERY,
  STORES_QUERY,
  SYNC_STORE_MUTATION,
} from '../graphql/connections';
import type {
  CreateStoreConnectionMutation,
  DemoStorePresetsQuery,
  StoreConnectionsQuery,
  SyncStoreConnectionMutation,
} from '../graphql/operations';
import { useQuery } from '../useQuery';

// ---------------------------------------------------------------------------
// Operations

/** How often the store list refreshes: quickly while a pull is queued or running. */
export const STORES_REFRESH_MS = 15_000;
export const STORES_ACTIVE_REFRESH_MS = 3_000;

export const OWNER_ONLY_ADD_STORE = 'Only the account owner can add stores.';
export const OWNER_ONLY_STORE_SETTINGS = 'Only the account owner can change a store’s settings.';
export const EMPTY_STORES = 'No stores yet. Add your Shopify, WooCommerce or ShipStation account to start pulling orders.';

// ---------------------------------------------------------------------------
// Types

export type { QbdOption };

export type StoreRow = NodeOf<StoreConnectionsQuery['storeConnections']>;

type StoresData = StoreConnectionsQuery;

type DemoPreset = DemoStorePresetsQuery['demoStorePresets'][number];

/** A store card's panels. */
type StorePanel = 'sync' | 'settings';

/** The input fields the server may name in extensions.field. */
type StoreField = 'channel' | 'name' | 'baseUrl' | 'credentials' | 'quickBooksConnectionId' | 'syncEveryMinutes' | 'settings';

export function ChannelBadge({ channel }: { channel: Channel }) {
  return (
    <span className={`badge badge-channel badge-${channel.toLowerCase()}`} data-testid="channel-badge">
      {CHANNELS[channel]?.label ?? channel}
    </span>
  );
}

// ---------------------------------------------------------------------------
// Sync progress

const SYNC_TONE: Record<string, string> = { queued: 'info', running: 'info', done: 'ok', failed: 'error' };

function rangeText(p: SyncProgress): string {
  if (p.from && p.to) return `Orders updated ${formatDateTime(p.from)} – ${formatDateTime(p.to)}`;
  if (p.from) return `Orders updated since ${formatDateTime(p.from)}`;
  if (p.to) return `Orders updated until ${formatDateTime(p.to)}`;
  return 'Orders updated since the last pull';
}

export function SyncProgressView({ progress: p, testId = 'sync-progress' }: { progress: SyncProgress; testId?: string }) {
  const counts: { key: keyof SyncProgress; one: string; many: string; tone?: 'error' }[] = [
    { key: 'pages', one: 'page', many: 'pages' },
    { key: 'orders', one: 'order', many: 'orders' },
    { key: 'newOrders', one: 'new', many: 'new' },
    { key: 'queued', one: 'queued for QuickBooks', many: 'queued for QuickBooks' },
    { key: 'errors', one: 'error', many: 'errors', tone: 'error' },
  ];
  return (
    <div className="sync-progress" data-testid={testId} data-state={p.state} aria-live="polite">
      <p className="sync-progress-head">
        <span className={`badge badge-${SYNC_TONE[p.state] ?? 'muted'}`} data-testid="sync-state">
          {SYNC_STATE_LABEL[p.state] ?? p.state}
        </span>{' '}
        <span className="muted small">{rangeText(p)}</span>
      </p>
      <ul className="work-counts" aria-label="Sync progress">
        {counts.map(({ key, one, many, tone }) => {
          const n = p[key] as number;
          const label = n === 1 ? one : many;
          return (
            <li key={key} className={`work-count ${tone && n > 0 ? `work-count-${tone}` : ''}`} data-testid={`sync-${key}`}>
              <span className="work-count-value">{formatCount(n)}</span> <span className="work-count-label">{label}</span>
            </li>
          );
        })}
      </ul>
      <p className="muted small">
        {p.startedAt ? <>Started {formatDateTime(p.startedAt)}</> : 'Not started yet'}
        {p.finishedAt && <> · finished {formatDateTime(p.finishedAt)}</>}
      </p>
      {p.error && <p className="sync-error">{p.error}</p>}
    </div>
  );
}

// ---------------------------------------------------------------------------
// Manual Sync

function ManualSyncPanel({ store, onStarted, onClose }: { store: StoreRow; onStarted: () => void; onClose: () => void }) {
  const initial = useMemo(() => lastDayRange(), []);
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  // This pull's statuses, starting from the store's "Order statuses to export".
  const [statuses, setStatuses] = useState(() => store.settings.statuses.join(', '));
  const [errors, setErrors] = useState<FieldErrors<'from' | 'to'>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [started, setStarted] = useState<{ progress: SyncProgress; before: string } | null>(null);
  const uid = useId();
  const fromId = `${uid}-from`;
  const toId = `${uid}-to`;
  const statusesId = `${uid}-statuses`;

  // The list's progress once it is the new pull's; until then, what the mutation answered.
  const live = started ? (store.sync && JSON.stringify(store.sync) !== started.before ? store.sync : started.progress) : null;
  const running = busy || syncActive(live);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const fromDate = fromLocalInput(from);
    const toDate = fromLocalInput(to);
    const local: FieldErrors<'from' | 'to'> = {};
    if (!fromDate) local.from = 'Enter the start date and time.';
    if (!toDate) local.to = 'Enter the end date and time.';
    else if (fromDate && toDate.getTime() <= fromDate.getTime()) local.to = 'The end date must be after the start date.';
    setErrors(local);
    setFormError(null);
    if (!fromDate || !toDate || Object.keys(local).length > 0) return;
    setBusy(true);
    const before = JSON.stringify(store.sync);
    try {
      const data = await graphql<SyncStoreConnectionMutation>(SYNC_STORE_MUTATION, {
        id: store.id,
        from: fromDate.toISOString(),
        // The field holds minutes only: an end left as it was means "now", to the second, so an
        // order created moments ago is in the window.
        to: (to === initial.to ? new Date() : toDate).toISOString(),
        statuses: parseStatuses(statuses),
      });
      setStarted({ progress: data.syncStoreConnection, before });
      onStarted();
    } catch (err) {
      const { field, message, code } = badInputField(err);
      if (field === 'from' || field === 'to') setErrors({ [field]: message });
      else setFormError(code === 'FORBIDDEN' ? 'You do not have permission to start a sync.' : message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="inline-panel" role="dialog" aria-label={`Manual Sync: ${store.name}`} data-testid={`manual-sync-${store.id}`}>
      <h4>Manual Sync</h4>
      <p className="muted small">
        Pulls the orders {CHANNELS[store.channel].label} changed between these times now, instead of waiting for the next scheduled
        pull. Orders Ledgerlink already has are not posted twice.
      </p>
      <form className="inline-form-row" onSubmit={submit} noValidate aria-label="Manual Sync dates">
        <TextField id={fromId} label="Start date" type="datetime-local" value={from} disabled={running} onChange={setFrom} error={errors.from} />
        <TextField id={toId} label="End date" type="datetime-local" value={to} disabled={running} onChange={setTo} error={errors.to} />
        <TextField id={statusesId} label="Order statuses" value={statuses} disabled={running} onChange={setStatuses}
          placeholder="every status" aria-describedby={`${statusesId}-help`} />
        <button type="submit" className="button button-primary" disabled={running} aria-busy={busy}>
          {running ? 'Syncing…' : 'Sync now'}
        </button>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </form>
      <p className="muted small" id={`${statusesId}-help`}>
        Order statuses: the {CHANNELS[store.channel].label} statuses to pull this time, comma-separated; empty pulls every status. A status
        outside this store’s Order statuses to export (its Settings) is pulled but recorded as excluded.
      </p>
      <FormAlert message={formError} />
      {live && (
        <>
          <SyncProgressView progress={live} testId="manual-sync-progress" />
          <p className="status-line" role="status" data-testid="manual-sync-status">
            {live.state === 'done' &&
              `Sync finished: ${formatCount(live.orders)} orders pulled, ${formatCount(live.newOrders)} new, ${formatCount(live.queued)} queued for QuickBooks.`}
            {live.state === 'failed' && <span className="text-error">The sync failed{live.error ? `: ${live.error}` : '.'}</span>}
            {syncActive(live) && 'Syncing… this updates every few seconds.'}
          </p>
        </>
      )}
    </section>
  );
}

// ---------------------------------------------------------------------------
// Credentials fields (wizard and "Change credentials")

function ChangeCredentialsForm({ store, onSaved }: { store: StoreRow; onSaved: (row: StoreRow) => void }) {
  const [values, setValues] = useState<CredentialValues>({});
  const [error, setError] = useState<string | undefined>();
  const [fieldErrors, setFieldErrors] = useState<FieldErrors<CredentialKey>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const idPrefix = useId();

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setDone(false);
    setFormError(null);
    // A missing credential is shown under its own field, and so is one the store refuses.
    const absent = missingCredentialField(store.channel, values);
    setFieldErrors(absent ? { [absent.key]: absent.message } : {});
    setError(undefined);
    if (absent) return;
    setBusy(true);
    try {
      // The connection test first, as the Add store wizard's step 1 ends: its answer names the
      // credential to correct, which updateStoreConnection's refusal ("credentials") does not.
      // This form has no address field: a problem with the address is shown above the button.
      const problem = await checkStoreConnection(store.channel, store.baseUrl, values);
      if (problem) {
        if (problem.field && problem.field !== 'baseUrl') setFieldErrors({ [problem.field]: problem.message });
        else setFormError(problem.message);
        return;
      }
      const input: UpdateStoreConnectionInput = { credentials: credentialsInput(store.channel, values) };
      const row = await updateStoreConnection(store.id, input);
      setValues({});
      setDone(true);
      onSaved(row);
    } catch (err) {
      const { field, message, code } = badInputField(err);
      if (field === 'credentials') setError(message);
      else setFormError(code === 'FORBIDDEN' ? OWNER_ONLY_STORE_SETTINGS : message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="credentials-form" onSubmit={submit} noValidate aria-label="Change credentials">
      <p className="muted small">
        The stored credentials are never shown. Enter new ones to replace them; Ledgerlink checks them with {CHANNELS[store.channel].label}{' '}
        first.
      </p>
      <CredentialFields channel={store.channel} idPrefix={idPrefix} values={values} onChange={setValues} error={error} disabled={busy} editing
        fieldErrors={fieldErrors} />
      <FormAlert message={formError} />
      <p className="status-line" role="status">
        {done && 'New credentials checked and saved.'}
      </p>
      <button type="submit" className="button" disabled={busy} aria-busy={busy}>
        {busy ? `Checking with ${CHANNELS[store.channel].label}…` : 'Check and save credentials'}
      </button>
      <HowTo channel={store.channel} />
    </form>
  );
}

// ---------------------------------------------------------------------------
// A store's settings

type SettingsFormField = 'name' | 'quickBooksConnectionId' | 'syncEveryMinutes' | SettingsField;

/** How often the store is pulled, in minutes (1 to 1440); `hint` adds the sentence explaining it. */
function SyncEveryField({
  id,
  value,
  onChange,
  onBlur,
  error,
  hint = false,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  error: string | undefined;
  hint?: boolean;
}) {
  return (
    <MinutesField
      id={id}
      label="Sync every (minutes)"
      value={value}
      onChange={onChange}
      onBlur={onBlur}
      error={error}
      hint={hint && 'How often Ledgerlink pulls new and changed orders from the store.'}
    />
  );
}

function StoreSettingsForm({
  store,
  qbdConnections,
  qboConnections,
  onSaved,
  onClose,
}: {
  store: StoreRow;
  qbdConnections: QbdOption[];
  qboConnections: QbdOption[];
  onSaved: (row: StoreRow) => void;
  onClose: () => void;
}) {
  const [name, setName] = useState(store.name);
  const [company, setCompany] = useState(() => companyValue(store));
  const [every, setEvery] = useState(String(store.syncEveryMinutes));
  const [enabled, setEnabled] = useState(store.enabled);
  const [settings, setSettings] = useState<SettingsForm>(() => settingsToForm(store.settings));
  const [errors, setErrors] = useState<FieldErrors<SettingsFormField>>({});
  const [settingsError, setSettingsError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [changingCredentials, setChangingCredentials] = useState(false);
  const uid = useId();
  const ids = { name: `${uid}-name`, qbd: `${uid}-qbd`, every: `${uid}-every`, enabled: `${uid}-enabled` };

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setSaved(false);
    setFormError(null);
    setSettingsError(undefined);
    const local: FieldErrors<SettingsFormField> = { ...settingsProblems(settings) };
    if (!name.trim() || name.trim().length > 100) local.name = 'Give the store a name of 1 to 100 characters.';
    const interval = intervalProblem(every);
    if (interval) local.syncEveryMinutes = interval;
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    const input: UpdateStoreConnectionInput = {
      name: name.trim(),
      syncEveryMinutes: Number(every.trim()),
      enabled,
      settings: settingsInput(settings),
      ...companyInput(company),
    };
    setBusy(true);
    try {
      const row = await updateStoreConnection(store.id, input);
      setSettings(settingsToForm(row.settings)); // empty boxes come back with their defaults
      setSaved(true);
      onSaved(row);
    } catch (err) {
      const { field, message, code } = badInputField(err);
      if (field === 'settings') setSettingsError(message);
      else if (field === 'quickBooksOnlineConnectionId') setErrors({ quickBooksConnectionId: message });
      else if (field === 'name' || field === 'quickBooksConnectionId' || field === 'syncEveryMinutes') setErrors({ [field]: message });
      else setFormError(code === 'FORBIDDEN' ? OWNER_ONLY_STORE_SETTINGS : message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="inline-panel" aria-label={`Settings: ${store.name}`} data-testid={`store-settings-${store.id}`}>
      <form onSubmit={submit} noValidate aria-label="Store settings">
        <h4>Settings</h4>
        <div className="field-grid">
          <TextField id={ids.name} label="Store name" value={name} maxLength={100} onChange={setName} error={errors.name} />
          <CompanySelect
            id={ids.qbd}
            value={company}
            onChange={setCompany}
            desktop={qbdConnections}
            online={qboConnections}
            error={errors.quickBooksConnectionId}
            allowNone={!store.quickBooksConnectionId && !store.quickBooksOnlineConnectionId}
          />
          <SyncEveryField id={ids.every} value={every} onChange={setEvery} error={errors.syncEveryMinutes} />
          <CheckboxField caption="Scheduled pulls" id={ids.enabled} checked={enabled} onChange={setEnabled} hint="Untick to pause pulling this store’s orders.">
            Enabled
          </CheckboxField>
        </div>
        {store.numberClash && (
          <div className="banner-warning" role="note" data-testid="number-clash">
            <p>{store.numberClash.message}</p>
            {settings.refPrefix.trim() === '' && (
              <button
                type="button"
                className="button button-small"
                onClick={() => setSettings({ ...settings, refPrefix: store.numberClash!.suggestedPrefix })}
              >
                Use the prefix {store.numberClash.suggestedPrefix}
              </button>
            )}
          </div>
        )}
        <PostingSettingsFields idPrefix={`${uid}-s`} value={settings} onChange={setSettings} errors={errors} groupError={settingsError} />
        <SaveBar
          formError={formError}
          status={saved && 'Settings saved. They apply to the orders pulled from now on.'}
          statusTestId="store-settings-status"
          busy={busy}
          label="Save settings"
        >
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
        </SaveBar>
      </form>

      {store.channel !== 'SHIPSTATION' && <InventorySyncSettings store={store} onSaved={onSaved} />}
      {store.channel === 'SHIPSTATION' && <ShipStationSyncSettings store={store} onSaved={onSaved} />}

      <div className="credentials-block">
        <button type="button" className="button button-small" aria-expanded={changingCredentials} onClick={() => setChangingCredentials((v) => !v)}>
          {changingCredentials ? 'Keep the current credentials' : 'Change credentials'}
        </button>
        {changingCredentials && <ChangeCredentialsForm store={store} onSaved={onSaved} />}
      </div>
    </section>
  );
}

// ---------------------------------------------------------------------------
// The "Add store" wizard

type WizardField = StoreField | SettingsField | CredentialKey;
const STEP_OF_FIELD: Partial<Record<string, 1 | 2 | 3>> = {
  channel: 1,
  name: 1,
  baseUrl: 1,
  credentials: 1,
  quickBooksConnectionId: 2,
  quickBooksOnlineConnectionId: 2,
  syncEveryMinutes: 2,
  settings: 3,
};
const STEPS = ['Store and credentials', 'QuickBooks company', 'Posting settings'] as const;

function AddStoreWizard({
  qbdConnections,
  qboConnections,
  existing,
  onCreated,
  onCancel,
}: {
  qbdConnections: QbdOption[];
  /** The QuickBooks Online companies: a new store may post to one of them instead. */
  qboConnections: QbdOption[];
  /** The stores already connected, to warn before the same account is added twice. */
  existing: readonly StoreRow[];
  onCreated: (row: StoreRow) => void;
  onCancel: () => void;
}) {
  const [step, setStep] = useState<1 | 2 | 3>(1);
  const [channel, setChannel] = useState<Channel>('SHOPIFY');
  const [name, setName] = useState('');
  const [baseUrl, setBaseUrl] = useState(CHANNELS.SHOPIFY.defaultBaseUrl);
  const [creds, setCreds] = useState<CredentialValues>({});
  // A CompanySelect value: "qbd:<id>", "qbo:<id>" or "" (not linked yet).
  const [company, setCompany] = useState(() => preferredChoice(qbdConnections, qboConnections));
  const [qbdTouched, setQbdTouched] = useState(false);
  const [every, setEvery] = useState('15');
  const [settings, setSettings] = useState<SettingsForm>(() => settingsToForm(DEFAULT_POSTING_SETTINGS));
  const [errors, setErrors] = useState<FieldErrors<WizardField>>({});
  const [settingsError, setSettingsError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const uid = useId();
  const ids = { name: `${uid}-name`, baseUrl: `${uid}-base-url`, qbd: `${uid}-qbd`, every: `${uid}-every` };

  const presets = useQuery<DemoStorePresetsQuery>(DEMO_STORE_PRESETS_QUERY).data?.demoStorePresets ?? [];

  // The QuickBooks companies may arrive after the wizard opened.
  useEffect(() => {
    if (!qbdTouched && !company) setCompany(preferredChoice(qbdConnections, qboConnections));
  }, [qbdConnections, qboConnections, company, qbdTouched]);

  /** Sets or clears one field's error: a field is checked again as it is edited. */
  const setFieldError = (field: WizardField, message: string | null | undefined) =>
    setErrors((prev) => {
      const next = { ...prev };
      if (message) next[field] = message;
      else delete next[field];
      return next;
    });
  // Steps 2 and 3 as step 1's address: editing a field clears its error, leaving it checks it.
  const editEvery = (v: string) => {
    setEvery(v);
    setFieldError('syncEveryMinutes', null);
  };
  const editSettings = (next: SettingsForm) => {
    const problems = settingsProblems(next);
    // An error goes with an edit of its field, and with one that makes the field moot (the
    // single customer once matching is no longer Single), so it cannot come back with the field.
    for (const f of Object.keys(next) as SettingsField[]) if (next[f] !== settings[f] || !problems[f]) setFieldError(f, null);
    setSettings(next);
  };
  const editCredentials = (next: CredentialValues) => {
    for (const { key } of info.credentials) if (next[key] !== creds[key]) setFieldError(key, null);
    setFieldError('credentials', null);
    setCreds(next);
  };
  const fillPreset = (p: DemoPreset) => {
    const channelOf = p.channel;
    const values: CredentialValues = {};
    for (const { key } of CHANNELS[channelOf].credentials) values[key] = p[key] ?? '';
    setChannel(channelOf);
    setName(p.name);
    setBaseUrl(p.baseUrl);
    setCreds(values);
    setErrors({});
    setFormError(null);
  };

  const chooseChannel = (next: Channel) => {
    if (next === channel) return;
    // Secrets never move from one channel's fields to another's.
    setCreds({});
    if (!baseUrl.trim() || baseUrl.trim() === CHANNELS[channel].defaultBaseUrl) setBaseUrl(CHANNELS[next].defaultBaseUrl);
    setChannel(next);
    setErrors({});
  };

  const problemsOf = (s: 1 | 2 | 3): FieldErrors<WizardField> => {
    const out: FieldErrors<WizardField> = {};
    if (s === 1) {
      if (!name.trim() || name.trim().length > 100) out.name = 'Give the store a name of 1 to 100 characters, e.g. “Acme Shopify”.';
      const url = baseUrlProblem(channel, baseUrl);
      if (url) out.baseUrl = url;
      const missing = missingCredentialField(channel, creds);
      if (missing) out[missing.key] = missing.message;
    } else if (s === 2) {
      const interval = intervalProblem(every);
      if (interval) out.syncEveryMinutes = interval;
    } else {
      Object.assign(out, settingsProblems(settings));
    }
    return out;
  };

  const create = async () => {
    const input: CreateStoreConnectionInput = {
      channel,
      name: name.trim(),
      baseUrl: baseUrl.trim(),
      credentials: credentialsInput(channel, creds),
      syncEveryMinutes: Number(every.trim()),
      settings: settingsInput(settings),
      ...companyInput(company),
    };
    setBusy(true);
    try {
      const data = await graphql<CreateStoreConnectionMutation>(CREATE_STORE_MUTATION, { input });
      setCreds({});
      onCreated(data.createStoreConnection);
    } catch (err) {
      const { field, message, code } = badInputField(err);
      const target = field ? STEP_OF_FIELD[field] : undefined;
      if (field && target) {
        setStep(target);
        if (field === 'settings') setSettingsError(message);
        // Both kinds of company are chosen in the one QuickBooks company field.
        else setErrors({ [field === 'quickBooksOnlineConnectionId' ? 'quickBooksConnectionId' : field]: message });
      } else if (code === 'FORBIDDEN') {
        setFormError(OWNER_ONLY_ADD_STORE);
      } else {
        setFormError(message);
      }
    } finally {
      setBusy(false);
    }
  };

  // Step 1 ends with a connection test: a refused secret or a wrong address is shown under its
  // field now, before the company and settings are chosen.
  const check = async () => {
    setBusy(true);
    try {
      const problem = await checkStoreConnection(channel, baseUrl, creds);
      if (!problem) setStep(2);
      else if (problem.field) setErrors({ [problem.field]: problem.message });
      else setFormError(problem.message);
    } catch (err) {
      const { message, code } = badInputField(err);
      setFormError(code === 'FORBIDDEN' ? OWNER_ONLY_ADD_STORE : message);
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setFormError(null);
    setSettingsError(undefined);
    const problems = problemsOf(step);
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    if (step === 1) void check();
    else if (step === 2) setStep(3);
    else void create();
  };

  const info = CHANNELS[channel];
  const duplicate = duplicateStoreWarning(channel, baseUrl, existing);
  const chosenCompany = company.startsWith('qbd:') ? qbdConnections.find((c) => `qbd:${c.id}` === company) : undefined;
  return (
    <form className="wizard" onSubmit={submit} noValidate aria-label="Add store" data-testid="add-store-wizard">
      <h3>Add store</h3>
      <WizardSteps steps={STEPS} current={step} />

      {step === 1 && (
        <div className="wizard-body">
          {presets.length > 0 && (
            <div className="notice demo-presets" role="group" aria-labelledby={`${uid}-presets`} data-testid="demo-store-presets">
              <p className="small" id={`${uid}-presets`}>
                <strong>Demo mode:</strong> these simulated stores need no real account. Choose one to fill in its address and credentials.
              </p>
              <div className="connection-actions">
                {presets.map((p) => (
                  <button key={p.name} type="button" className="button button-small" disabled={busy} onClick={() => fillPreset(p)}>
                    Fill in {p.name}
                  </button>
                ))}
              </div>
            </div>
          )}
          <fieldset className="plain-fieldset field">
            <legend className="field-label">Channel</legend>
            <div className="channel-choice">
              {CHANNEL_ORDER.map((c) => (
                <label key={c} className={`channel-option ${c === channel ? 'channel-option-selected' : ''}`}>
                  <input type="radio" name={`${uid}-channel`} value={c} checked={c === channel} onChange={() => chooseChannel(c)} />
                  {CHANNELS[c].label}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="wizard-columns">
            <div>
              <TextField
                id={ids.name}
                label="Store name"
                value={name}
                maxLength={100}
                placeholder={`e.g. Acme ${info.label}`}
                onChange={(v) => {
                  setName(v);
                  if (errors.name && v.trim()) setFieldError('name', null);
                }}
                error={errors.name}
              />
              <TextField
                id={ids.baseUrl}
                label={info.baseUrlLabel}
                type="url"
                value={baseUrl}
                placeholder={info.baseUrlPlaceholder}
                onChange={(v) => {
                  setBaseUrl(v);
                  setFieldError('baseUrl', null);
                }}
                onBlur={() => baseUrl.trim() && setFieldError('baseUrl', baseUrlProblem(channel, baseUrl))}
                error={errors.baseUrl}
                hint={info.baseUrlHint}
              />
              <CredentialFields
                channel={channel}
                idPrefix={`${uid}-cred`}
                values={creds}
                onChange={editCredentials}
                error={errors.credentials}
                fieldErrors={errors}
                disabled={busy}
              />
              {duplicate && (
                <p className="banner-warning" role="status" data-testid="duplicate-store-warning">
                  {duplicate}
                </p>
              )}
            </div>
            <HowTo channel={channel} />
          </div>
        </div>
      )}

      {step === 2 && (
        <div className="wizard-body">
          {qbdConnections.length === 0 && qboConnections.length === 0 && (
            <p className="notice">
              There is no QuickBooks Desktop connection yet. Add one under Add QuickBooks Desktop below, or choose it later in this store’s Settings: until then its
              orders wait with an error.
            </p>
          )}
          <CompanySelect
            id={ids.qbd}
            value={company}
            onChange={(v) => {
              setQbdTouched(true);
              setCompany(v);
            }}
            desktop={qbdConnections}
            online={qboConnections}
            error={errors.quickBooksConnectionId}
            allowNone
          />
          {chosenCompany && chosenCompany.lastContactAt === null && (
            <p className="banner-warning" role="status" data-testid="company-never-connected">
              “{chosenCompany.name}” has never connected: its Web Connector has not run yet, so this store’s orders wait until it does. Add
              its .qwc file in the QuickBooks Web Connector (Connections, above), or choose another company.
            </p>
          )}
          <SyncEveryField
            id={ids.every}
            value={every}
            onChange={editEvery}
            onBlur={() => setFieldError('syncEveryMinutes', intervalProblem(every))}
            error={errors.syncEveryMinutes}
            hint
          />
        </div>
      )}

      {step === 3 && (
        <div className="wizard-body">
          <p className="muted small">How this store’s orders are posted to QuickBooks. The defaults suit a new QuickBooks company; change them any time in Settings.</p>
          <PostingSettingsFields
            idPrefix={`${uid}-s`}
            value={settings}
            onChange={editSettings}
            onBlur={(f) => setFieldError(f, settingsProblems(settings)[f])}
            errors={errors}
            groupError={settingsError}
          />
        </div>
      )}

      <FormAlert message={formError} />
      <div className="form-actions">
        {step > 1 && (
          <button type="button" className="button" disabled={busy} onClick={() => setStep((step - 1) as 1 | 2)}>
            Back
          </button>
        )}
        <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy}>
          {busy && step !== 2 ? `Checking with ${info.label}…` : step < 3 ? 'Next' : 'Add store'}
        </button>
        <button type="button" className="button button-link" disabled={busy} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

// ---------------------------------------------------------------------------
// One store

function StoreCard({
  store: s,
  qbdConnections,
  qboConnections,
  canManage,
  canSync,
  onChanged,
  onSetUpShipStation,
  linked,
}: {
  store: StoreRow;
  qbdConnections: QbdOption[];
  qboConnections: QbdOption[];
  canManage: boolean;
  canSync: boolean;
  onChanged: () => void;
  /** Opens the QuickBooks → ShipStation set-up wizard with this connection. */
  onSetUpShipStation: () => void;
  /** A link named this store (?store=…&panel=…, e.g. from the Settings page): shown with that panel open. */
  linked?: StorePanel | 'card';
}) {
  const [open, setOpen] = useState<StorePanel | null>(() =>
    (linked === 'settings' && canManage) || (linked === 'sync' && canSync) ? linked : null,
  );
  const cardRef = useRef<HTMLElement>(null);
  useEffect(() => {
    if (linked) cardRef.current?.scrollIntoView?.({ block: 'start' });
  }, [linked]);
  const company = s.quickBooksConnectionId ? qbdConnections.find((q) => q.id === s.quickBooksConnectionId) : undefined;
  const toggle = (panel: StorePanel) => setOpen(open === panel ? null : panel);

  return (
    <ConnectionCard
      testId={`store-connection-${s.id}`}
      cardRef={cardRef}
      heading={
        <>
          <ChannelBadge channel={s.channel} /> {s.name}
        </>
      }
      meta={
        <>
          {CHANNELS[s.channel]?.label ?? s.channel} · added {formatDate(s.createdAt)}
        </>
      }
      actions={
        <>
          {canSync && (
            <button type="button" className="button button-small" aria-expanded={open === 'sync'} onClick={() => toggle('sync')}>
              Manual Sync
            </button>
          )}
          {canManage && s.channel === 'SHIPSTATION' && (
            <button type="button" className="button button-small" onClick={onSetUpShipStation}>
              Set up QuickBooks → ShipStation
            </button>
          )}
          {canManage && (
            <button type="button" className="button button-small" aria-expanded={open === 'settings'} onClick={() => toggle('settings')}>
              Settings
            </button>
          )}
        </>
      }
    >
      <dl className="facts">
        <dt>Address</dt>
        <dd className="break">
          <code>{s.baseUrl}</code>
        </dd>
        <dt>QuickBooks company</dt>
        <dd data-testid="store-qbd">
          {s.quickBooksOnlineConnectionId ? (
            <>
              {qboConnections.find((q) => q.id === s.quickBooksOnlineConnectionId)?.name ?? `Connection ${s.quickBooksOnlineConnectionId}`}{' '}
              <span className="muted">(QuickBooks Online)</span>
            </>
          ) : company ? (
            company.name
          ) : s.quickBooksConnectionId ? (
            <span className="muted">Connection {s.quickBooksConnectionId}</span>
          ) : (
            <span className="text-error">Not linked: orders wait with an error until you choose a company in Settings.</span>
          )}
        </dd>
        <dt>Syncs every</dt>
        <dd>{formatCount(s.syncEveryMinutes)} min</dd>
        <dt>Enabled</dt>
        <dd data-testid="store-enabled">{s.enabled ? 'Yes' : <span className="muted">No: scheduled pulls are paused</span>}</dd>
        <dt>Last sync</dt>
        <dd data-testid="store-last-sync">
          <TimeAgo at={s.lastSyncAt} />
        </dd>
        <dt>Missing products</dt>
        <dd data-testid="store-missing-action">
          {MISSING_PRODUCT_LABEL[s.settings.missingProductAction]}
          {s.settings.missingProductAction === 'FLAG' && (
            <>
              {' '}
              · <Link to="/products/missing">Missing Product Mapping</Link>
            </>
          )}
        </dd>
      </dl>

      {s.lastSyncError && (
        <div className="sync-error-box" data-testid="store-sync-error">
          <p className="sync-error">
            <strong>The last sync failed:</strong> {s.lastSyncError}
          </p>
          <p className="small">
            {canManage
              ? 'If the store changed or revoked its API access, open Settings › Change credentials and enter new ones; then run a Manual Sync to pull what was missed.'
              : 'Ask the account owner to check the store’s credentials in Settings; then run a Manual Sync to pull what was missed.'}
          </p>
        </div>
      )}

      {/* With Manual Sync open, the panel shows the progress. */}
      {s.sync && open !== 'sync' && <SyncProgressView progress={s.sync} />}

      <StoreWebhooks store={s} canManage={canManage} onChanged={onChanged} />
      {s.channel === 'SHIPSTATION' && <ShipStationActivity connectionId={s.id} enabled={s.settings.quickbooksToShipStation?.enabled ?? false} />}

      {open === 'sync' && <ManualSyncPanel store={s} onStarted={onChanged} onClose={() => setOpen(null)} />}
      {open === 'settings' && (
        <StoreSettingsForm store={s} qbdConnections={qbdConnections} qboConnections={qboConnections} onSaved={onChanged} onClose={() => setOpen(null)} />
      )}
    </ConnectionCard>
  );
}

// ---------------------------------------------------------------------------
// The section

export function StoresSection({
  qbdConnections,
  qboConnections = [],
  canManage,
  canSync,
  onCompanyAdded,
}: {
  qbdConnections: QbdOption[];
  /** The account's QuickBooks Online companies, which a store may post to instead. */
  qboConnections?: QbdOption[];
  canManage: boolean;
  canSync: boolean;
  /** The ShipStation set-up wizard added a QuickBooks company: the page reads its companies again. */
  onCompanyAdded: () => void;
}) {
  const [fast, setFast] = useState(false);
  const list = usePagedConnection<StoresData, StoreRow>({
    query: STORES_QUERY,
    variables: () => ({}),
    connection: (d) => d.storeConnections,
    refreshMs: fast ? STORES_ACTIVE_REFRESH_MS : STORES_REFRESH_MS,
  });
  const { rows, error, loading, reload: refetch } = list;
  const location = useLocation();
  const link = useMemo((): { store: string | null; panel: StorePanel | 'card' } => {
    const params = new URLSearchParams(location.search);
    const panel = params.get('panel');
    return { store: params.get('store'), panel: panel === 'settings' || panel === 'sync' ? panel : 'card' };
  }, [location.search]);
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<StoreRow | null>(null);
  // The QuickBooks → ShipStation set-up wizard, opened from the section or a ShipStation card.
  const [shipWizard, setShipWizard] = useState<{ connectionId?: string } | null>(null);
  const openShipWizard = (connectionId?: string) => {
    setAdding(false);
    setAdded(null);
    setShipWizard({ connectionId });
  };

  useEffect(() => {
    setFast(rows.some((r) => syncActive(r.sync) || r.webhooks.some((w) => w.state === 'REGISTERING')));
  }, [rows]);

  return (
    <section className="panel" aria-labelledby="stores-heading">
      <div className="panel-head">
        <h2 id="stores-heading">Stores</h2>
        {canManage && !adding && !shipWizard && (
          <div className="connection-actions">
            <button type="button" className="button button-small" onClick={() => openShipWizard()}>
              Sync QuickBooks sales to ShipStation
            </button>
            <button
              type="button"
              className="button button-primary button-small"
              onClick={() => {
                setAdded(null);
                setAdding(true);
              }}
            >
              Add store
            </button>
          </div>
        )}
      </div>
      <p className="muted">
        The stores and shipping platforms orders are pulled from. Refreshes every {fast ? '3' : '15'} seconds
        {fast ? ' while a sync runs' : ''}.
      </p>
      <LoadStatus error={error} loading={loading} loaded={list.loaded} onRetry={refetch} prefix={list.loaded ? 'Could not refresh the stores:' : 'Could not load the stores:'} />
      {added && (
        <p className="status-line" role="status" data-testid="store-added">
          Store “{added.name}” added. Its orders are pulled every {formatCount(added.syncEveryMinutes)} minutes; use Manual Sync to pull a
          date range now.
        </p>
      )}
      {adding && (
        <AddStoreWizard
          qbdConnections={qbdConnections}
          qboConnections={qboConnections}
          existing={rows}
          onCancel={() => setAdding(false)}
          onCreated={(row) => {
            setAdding(false);
            setAdded(row);
            refetch();
          }}
        />
      )}
      {shipWizard && (
        <ShipStationWizard
          key={shipWizard.connectionId ?? ''}
          stores={rows}
          qbdConnections={qbdConnections}
          connectionId={shipWizard.connectionId}
          onCompanyAdded={onCompanyAdded}
          onChanged={refetch}
          onClose={() => setShipWizard(null)}
        />
      )}
      {/* An open wizard stands in for the empty state. */}
      <ConnectionCards rows={rows} loaded={list.loaded} empty={adding || shipWizard ? null : EMPTY_STORES} emptyTestId="stores-empty-state">
        {(s) => (
          <StoreCard
            key={s.id}
            store={s}
            qbdConnections={qbdConnections}
            qboConnections={qboConnections}
            canManage={canManage}
            canSync={canSync}
            onChanged={refetch}
            onSetUpShipStation={() => openShipWizard(s.id)}
            linked={link.store === s.id ? link.panel : undefined}
          />
        )}
      </ConnectionCards>
      <FirstPageNote list={list} noun="stores" />
      {!canManage && <p className="notice">{OWNER_ONLY_ADD_STORE}</p>}
    </section>
  );
}
