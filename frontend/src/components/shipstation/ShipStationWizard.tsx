// The install wizard of seed 004 (issue 13): QuickBooks Desktop sales → ShipStation orders, set
// up in six steps. 1 connect ShipStation (key + secret tested with checkStoreCredentials, as the
// Add store wizard does, then added by createStoreConnection; or an existing connection), 2 the direction, 3 the QuickBooks company and its Web Connector (live
// while the step is open), 4 tracking back and transaction types, 5 which sales, 6 optional test
// sales. A new connection is added paused, so nothing is pulled or sent half set up; Finish links
// the company, turns the connection and the direction on and saves the settings in one
// updateStoreConnection, then queues the test sales. The same settings live afterwards in the
// connection's "Sync Orders from QuickBooks" section, whose fields these steps share.
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { graphql } from '../../api';
import { CONNECTION_CONTACT_QUERY, CREATE_STORE_MUTATION, UPDATE_STORE_MUTATION } from '../../graphql/connections';
import type {
  CreateQbdConnectionMutation,
  CreateStoreConnectionMutation,
  QbdConnectionContactQuery,
  SendShipStationTestSalesMutation,
  UpdateStoreConnectionMutation,
} from '../../graphql/operations';
import type { CreateStoreConnectionInput, UpdateStoreConnectionInput } from '../../graphql/schema';
import { SEND_SHIPSTATION_TEST_SALES_MUTATION } from '../../graphql/shipstation';
import { formatDateTime } from '../../format';
import { duplicateStoreWarning } from '../../storeDuplicates';
import { CHANNELS, baseUrlProblem, credentialsInput, missingCredentialField, type CredentialKey, type CredentialValues } from '../../storeSettings';
import { toGraphQLError, useQuery } from '../../useQuery';
import { FormAlert } from '../ErrorNotice';
import { AddConnectionForm, WebConnectorPassword, downloadQwc } from '../QbdPairing';
import { FieldError, invalidProps, type FieldErrors } from '../settings/SettingsKit';
import { CredentialFields, HowTo, QbdSelect, badInputField, checkStoreConnection, type QbdOption } from '../StoreFields';
import { WizardSteps } from '../WizardSteps';
import { orderNumbersProblem, parseOrderNumbers, toShipStationForm, toShipStationInput, toShipStationProblems, type ToShipStationField, type ToShipStationForm } from './form';
import { DirectionField, OrderStatusField, SalesFilterFields, StoreField, TrackingFields, TxnTypesField } from './ShipStationSyncFields';
import { OWNER_ONLY_TO_SHIPSTATION, refusedToShipStationField, ShipStationTestSales, TestSaleNumbersField } from './ShipStationSyncSettings';

type StoreRow = UpdateStoreConnectionMutation['updateStoreConnection'];
type Payload = CreateQbdConnectionMutation['createQuickBooksDesktopConnection'];

export const WIZARD_STEPS = ['Connect ShipStation', 'Sync direction', 'Pair the Web Connector', 'Tracking and transactions', 'Filter sales', 'Test sales'] as const;
type Step = 1 | 2 | 3 | 4 | 5 | 6;

/** How often step 3 asks whether the Web Connector has called. */
export const PAIRING_POLL_MS = 3000;
/** How often the finished wizard reads the test sales' results. */
export const TEST_RESULTS_POLL_MS = 3000;
export const OWNER_ONLY_WIZARD = 'Only the account owner can connect ShipStation.';
export const DIRECTION_REQUIRED = 'Tick “Sync orders from QuickBooks to ShipStation” to go on: it is the direction this wizard sets up.';

/** The settings each of steps 2, 4 and 5 checks; a server refusal of one brings its step back. */
const STEP_OF_SETTING: Record<ToShipStationField, Step> = {
  enabled: 2,
  txnTypes: 4,
  addTracking: 4,
  addShippingCost: 4,
  shippingCostAs: 4,
  shippingItem: 4,
  shippedStatuses: 4,
  salesFilter: 5,
  classFilter: 5,
  storeId: 5,
  orderStatus: 5,
};

/** The problems of the settings that step shows (toShipStationProblems, kept to the step's fields). */
export function settingsProblemsOfStep(form: ToShipStationForm, step: Step): FieldErrors<ToShipStationField> {
  const out: FieldErrors<ToShipStationField> = {};
  for (const [field, message] of Object.entries(toShipStationProblems(form)) as [ToShipStationField, string][]) {
    if (STEP_OF_SETTING[field] === step) out[field] = message;
  }
  if (step === 2 && !form.enabled) out.enabled = DIRECTION_REQUIRED;
  return out;
}

type WizardField = 'connection' | 'name' | 'baseUrl' | 'credentials' | CredentialKey | 'company' | 'testNumbers';

export interface ShipStationWizardProps {
  /** The account's store connections: its ShipStation ones can be reused; all of them feed the duplicate warning. */
  stores: readonly StoreRow[];
  qbdConnections: readonly QbdOption[];
  /** Open with this ShipStation connection chosen (from its card). */
  connectionId?: string;
  /** A QuickBooks company was added here: the page reads its companies again. */
  onCompanyAdded: () => void;
  /** A connection was added or saved: the store list is read again. */
  onChanged: () => void;
  onClose: () => void;
}

export function ShipStationWizard({ stores, qbdConnections, connectionId, onCompanyAdded, onChanged, onClose }: ShipStationWizardProps) {
  const shipStations = stores.filter((s) => s.channel === 'SHIPSTATION');
  const first = shipStations.find((s) => s.id === connectionId) ?? shipStations[0];
  const [step, setStep] = useState<Step>(1);
  const [source, setSource] = useState<'existing' | 'new'>(first ? 'existing' : 'new');
  const [chosenId, setChosenId] = useState(first?.id ?? '');
  const [created, setCreated] = useState<StoreRow | null>(null);
  const [name, setName] = useState('ShipStation');
  const [baseUrl, setBaseUrl] = useState(CHANNELS.SHIPSTATION.defaultBaseUrl);
  const [creds, setCreds] = useState<CredentialValues>({});
  const [form, setForm] = useState<ToShipStationForm>(() => toShipStationForm(first?.settings.quickbooksToShipStation));
  const [formFor, setFormFor] = useState(first?.id ?? '');
  const [settingErrors, setSettingErrors] = useState<FieldErrors<ToShipStationField>>({});
  const [companyMode, setCompanyMode] = useState<'existing' | 'new'>(qbdConnections.length > 0 ? 'existing' : 'new');
  const [qbdId, setQbdId] = useState(first?.quickBooksConnectionId ?? qbdConnections[0]?.id ?? '');
  const [addedCompany, setAddedCompany] = useState<Payload | null>(null);
  const [showPassword, setShowPassword] = useState(false);
  const [testText, setTestText] = useState('');
  const [errors, setErrors] = useState<FieldErrors<WizardField>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [finished, setFinished] = useState<{ row: StoreRow; tests: string[]; testError: string | null } | null>(null);
  const uid = useId();
  const id = (f: string) => `${uid}-${f}`;
  const formId = id('form');
  const headingRef = useRef<HTMLHeadingElement>(null);

  // Each step starts at the top of the wizard, for keyboard and screen-reader users too.
  useEffect(() => {
    headingRef.current?.focus();
  }, [step, finished]);

  // The companies may arrive after the wizard opened.
  useEffect(() => {
    if (!qbdId && qbdConnections[0]) {
      setQbdId(qbdConnections[0].id);
      setCompanyMode('existing');
    }
  }, [qbdConnections, qbdId]);

  const choices = created && !shipStations.some((s) => s.id === created.id) ? [...shipStations, created] : shipStations;
  const conn = source === 'existing' ? choices.find((s) => s.id === chosenId) : undefined;
  const companies: QbdOption[] =
    addedCompany && !qbdConnections.some((c) => c.id === addedCompany.connection.id)
      ? [...qbdConnections, { id: addedCompany.connection.id, name: addedCompany.connection.name, lastContactAt: null }]
      : [...qbdConnections];
  const company = companies.find((c) => c.id === qbdId);
  const linked = conn?.quickBooksConnectionId ? companies.find((c) => c.id === conn.quickBooksConnectionId) : undefined;
  const fields = { form, set: <K extends keyof ToShipStationForm>(f: K, v: ToShipStationForm[K]) => setForm((p) => ({ ...p, [f]: v })), errors: settingErrors, id };

  /** The connection chosen in step 1 brings its own settings and company, once. */
  const adoptConnection = (row: StoreRow) => {
    if (formFor === row.id) return;
    setForm(toShipStationForm(row.settings.quickbooksToShipStation));
    setFormFor(row.id);
    if (row.quickBooksConnectionId) {
      setQbdId(row.quickBooksConnectionId);
      setCompanyMode('existing');
    }
  };

  const connect = async () => {
    const local: FieldErrors<WizardField> = {};
    if (!name.trim() || name.trim().length > 100) local.name = 'Give the connection a name of 1 to 100 characters, e.g. “ShipStation”.';
    const url = baseUrlProblem('SHIPSTATION', baseUrl);
    if (url) local.baseUrl = url;
    const missing = missingCredentialField('SHIPSTATION', creds);
    if (missing) local[missing.key] = missing.message;
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    // Added paused: nothing is pulled or sent before Finish links its company and turns it on.
    const input: CreateStoreConnectionInput = {
      channel: 'SHIPSTATION',
      name: name.trim(),
      baseUrl: baseUrl.trim(),
      credentials: credentialsInput('SHIPSTATION', creds),
      enabled: false,
    };
    setBusy(true);
    try {
      // The connection test first: its answer names the input to correct (a refused secret, an
      // address nobody answers at), which createStoreConnection's refusal ("credentials") does not.
      const problem = await checkStoreConnection('SHIPSTATION', baseUrl, creds);
      if (problem) {
        if (problem.field) setErrors({ [problem.field]: problem.message });
        else setFormError(problem.message);
        return;
      }
      const data = await graphql<CreateStoreConnectionMutation>(CREATE_STORE_MUTATION, { input });
      const row = data.createStoreConnection;
      setCreds({});
      setCreated(row);
      setSource('existing');
      setChosenId(row.id);
      adoptConnection(row);
      onChanged();
      setStep(2);
    } catch (err) {
      const { field, message, code } = badInputField(err);
      if (field === 'name' || field === 'baseUrl' || field === 'credentials') setErrors({ [field]: message });
      else setFormError(code === 'FORBIDDEN' ? OWNER_ONLY_WIZARD : message);
    } finally {
      setBusy(false);
    }
  };

  const finish = async () => {
    if (!conn) return;
    const tests = testText.trim() ? parseOrderNumbers(testText) : [];
    const input: UpdateStoreConnectionInput = {
      quickBooksConnectionId: qbdId,
      enabled: true,
      settings: { quickbooksToShipStation: toShipStationInput(form) },
    };
    setBusy(true);
    let row: StoreRow;
    try {
      row = (await graphql<UpdateStoreConnectionMutation>(UPDATE_STORE_MUTATION, { id: conn.id, input })).updateStoreConnection;
    } catch (err) {
      const g = toGraphQLError(err);
      const { field } = badInputField(err);
      const refused = g.code === 'BAD_USER_INPUT' ? refusedToShipStationField(g) : null;
      if (refused) {
        setSettingErrors({ [refused.field]: refused.message });
        setStep(STEP_OF_SETTING[refused.field]);
      } else if (field === 'quickBooksConnectionId') {
        setErrors({ company: g.message });
        setStep(3);
      } else {
        setFormError(g.code === 'FORBIDDEN' ? OWNER_ONLY_TO_SHIPSTATION : g.message || 'Something went wrong.');
      }
      setBusy(false);
      return;
    }
    let testError: string | null = null;
    if (tests.length > 0) {
      try {
        await graphql<SendShipStationTestSalesMutation>(SEND_SHIPSTATION_TEST_SALES_MUTATION, { connectionId: conn.id, refNumbers: tests });
      } catch (err) {
        testError = toGraphQLError(err).message || 'Something went wrong.';
      }
    }
    setBusy(false);
    setFinished({ row, tests, testError });
    onChanged();
  };

  const next = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setFormError(null);
    setErrors({});
    setSettingErrors({});
    if (step === 1) {
      if (source === 'new') {
        void connect();
        return;
      }
      if (!conn) {
        setErrors({ connection: 'Choose the ShipStation connection to use, or connect a new ShipStation account.' });
        return;
      }
      adoptConnection(conn);
      setStep(2);
      return;
    }
    if (step === 3) {
      if (companyMode === 'new' && !addedCompany) {
        setErrors({ company: 'Add the company first (Add connection, below), or choose one already added.' });
        return;
      }
      if (!company) {
        setErrors({ company: 'Choose the QuickBooks company whose sales go to ShipStation, or add one.' });
        return;
      }
      setStep(4);
      return;
    }
    if (step === 6) {
      const problem = testText.trim() ? orderNumbersProblem(testText) : null;
      if (problem) {
        setErrors({ testNumbers: problem });
        return;
      }
      void finish();
      return;
    }
    const problems = settingsProblemsOfStep(form, step);
    setSettingErrors(problems);
    if (Object.keys(problems).length === 0) setStep((step + 1) as Step);
  };

  const duplicate = source === 'new' ? duplicateStoreWarning('SHIPSTATION', baseUrl, stores) : null;

  if (finished) {
    const q = finished.row.settings.quickbooksToShipStation;
    return (
      <section className="wizard" aria-labelledby={id('heading')} data-testid="shipstation-wizard" data-step="done">
        <h3 id={id('heading')} ref={headingRef} tabIndex={-1}>
          Sync QuickBooks sales to ShipStation
        </h3>
        <p className="status-line" role="status" data-testid="shipstation-wizard-done">
          Set up. “{finished.row.name}” sends {q.allSales ? 'every QuickBooks sale' : `the QuickBooks sales of class ${q.classFilter}`} of “{company?.name ?? 'the company'}” to
          ShipStation on every Web Connector run.
        </p>
        <p className="muted">Change any of this under the connection’s Settings › Sync Orders from QuickBooks; its first box turns the direction off.</p>
        {finished.tests.length > 0 && !finished.testError && (
          <p>
            Test {finished.tests.length === 1 ? 'sale' : 'sales'} {finished.tests.join(', ')}: sent on the next Web Connector run. The result shows below.
          </p>
        )}
        {finished.testError && <FormAlert message={`The settings are saved, but the test sales were not queued: ${finished.testError} Enter them again below.`} />}
        <ShipStationTestSales connectionId={finished.row.id} pollMs={TEST_RESULTS_POLL_MS} />
        <div className="form-actions">
          <button type="button" className="button button-primary" onClick={onClose}>
            Close
          </button>
        </div>
      </section>
    );
  }

  return (
    <section className="wizard" aria-labelledby={id('heading')} data-testid="shipstation-wizard" data-step={step}>
      <h3 id={id('heading')} ref={headingRef} tabIndex={-1}>
        Sync QuickBooks sales to ShipStation
      </h3>
      <WizardSteps steps={WIZARD_STEPS} current={step} />
      <form id={formId} onSubmit={next} noValidate aria-label={WIZARD_STEPS[step - 1]} className="wizard-body">
        {step === 1 && (
          <>
            <fieldset className="plain-fieldset field">
              <legend className="field-label">ShipStation account</legend>
              <Choice id={id('source-existing')} name={id('source')} checked={source === 'existing'} disabled={choices.length === 0} onChange={() => setSource('existing')}>
                Use a ShipStation connection I already have
              </Choice>
              <Choice id={id('source-new')} name={id('source')} checked={source === 'new'} onChange={() => setSource('new')}>
                Connect a ShipStation account with its API key and secret
              </Choice>
            </fieldset>
            {source === 'existing' ? (
              <div className="field">
                <label htmlFor={id('connection')}>ShipStation connection</label>
                <select id={id('connection')} value={chosenId} onChange={(e) => setChosenId(e.target.value)} {...invalidProps(errors.connection, id('connection'))}>
                  {!conn && <option value="">Choose a connection</option>}
                  {choices.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                      {s.id === created?.id ? ' (just connected)' : ''}
                    </option>
                  ))}
                </select>
                <span className="field-hint">Its store → QuickBooks direction stays as it is; this adds QuickBooks → ShipStation.</span>
                <FieldError error={errors.connection} id={id('connection')} />
              </div>
            ) : (
              <div className="wizard-columns">
                <div>
                  <div className="field">
                    <label htmlFor={id('name')}>Connection name</label>
                    <input id={id('name')} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} {...invalidProps(errors.name, id('name'))} />
                    <FieldError error={errors.name} id={id('name')} />
                  </div>
                  <div className="field">
                    <label htmlFor={id('baseUrl')}>{CHANNELS.SHIPSTATION.baseUrlLabel}</label>
                    <input id={id('baseUrl')} type="url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} {...invalidProps(errors.baseUrl, id('baseUrl'))} />
                    <span className="field-hint">{CHANNELS.SHIPSTATION.baseUrlHint}</span>
                    <FieldError error={errors.baseUrl} id={id('baseUrl')} />
                  </div>
                  <CredentialFields channel="SHIPSTATION" idPrefix={id('cred')} values={creds} onChange={setCreds} error={errors.credentials} fieldErrors={errors} disabled={busy} />
                  {duplicate && (
                    <p className="banner-warning" role="status" data-testid="duplicate-store-warning">
                      {duplicate}
                    </p>
                  )}
                </div>
                <HowTo channel="SHIPSTATION" />
              </div>
            )}
          </>
        )}

        {step === 2 && (
          <>
            <DirectionField {...fields} hasCompany />
            <FieldError error={settingErrors.enabled} id={id('enabled')} />
            <p className="muted small">
              The QuickBooks company’s sales become ShipStation orders; when ShipStation ships them, tracking and cost can come back into QuickBooks.
              A connection can run both directions: “{conn?.name}” keeps posting ShipStation’s own orders to QuickBooks as its Settings say, and sales
              Ledgerlink posted from a store are never sent back to ShipStation.
            </p>
            {conn && !conn.enabled && (
              <p className="notice" data-testid="wizard-paused">
                {conn.id === created?.id
                  ? 'The new connection stays paused until you finish, so nothing is pulled or sent half set up.'
                  : 'This connection is paused; finishing turns it on.'}
              </p>
            )}
          </>
        )}

        {step === 3 && (
          <>
            <fieldset className="plain-fieldset field" aria-describedby={errors.company ? `${id('company')}-error` : undefined}>
              <legend className="field-label">QuickBooks Desktop company</legend>
              <Choice id={id('company-existing')} name={id('companyMode')} checked={companyMode === 'existing'} disabled={companies.length === 0} onChange={() => setCompanyMode('existing')}>
                A company already added
              </Choice>
              <Choice id={id('company-new')} name={id('companyMode')} checked={companyMode === 'new'} onChange={() => setCompanyMode('new')}>
                Add a QuickBooks Desktop company
              </Choice>
              <FieldError error={errors.company} id={id('company')} />
            </fieldset>
            {companyMode === 'existing' && companies.length > 0 && (
              <QbdSelect id={id('qbd')} value={qbdId} onChange={setQbdId} options={companies} allowNone={false} />
            )}
            {companyMode === 'existing' && linked && company && linked.id !== company.id && (
              <p className="banner-warning" role="status" data-testid="company-change-warning">
                “{conn?.name}” posts its ShipStation orders to “{linked.name}” today; from Finish on they go to “{company.name}”.
              </p>
            )}
          </>
        )}

        {step === 4 && (
          <>
            <p className="muted small">
              When ShipStation shows an order shipped, Ledgerlink can add its tracking number and shipping cost to the QuickBooks sale it came from.
            </p>
            <div className="field-grid">
              <TxnTypesField {...fields} />
              <TrackingFields {...fields} />
            </div>
          </>
        )}

        {step === 5 && conn && (
          <>
            <p className="muted small">
              Sales go to the ShipStation store below (Manual Orders unless you choose another) in the status below. By default only the sales you give
              the QuickBooks class ShipStation are sent.
            </p>
            <div className="field-grid">
              <SalesFilterFields {...fields} />
              <StoreField {...fields} connectionId={conn.id} />
              <OrderStatusField {...fields} />
            </div>
            <p className="small" data-testid="wizard-exclusions">
              Keep some sales out by rule:{' '}
              <a href="/rules/new?template=shipstation-exclude" target="_blank" rel="noopener">
                create an exclusion rule
              </a>{' '}
              or{' '}
              <a href="/rules?pipeline=QUICKBOOKS_TO_SHIPSTATION" target="_blank" rel="noopener">
                see the QuickBooks → ShipStation rules
              </a>{' '}
              (they open in a new tab, so this wizard stays as it is).
            </p>
          </>
        )}

        {step === 6 && (
          <>
            <p className="muted small">
              Optional: enter a few QuickBooks order numbers to send as a test, whatever their class. They are sent on the next Web Connector run; the
              result shows once you finish. Leave it empty to skip.
            </p>
            <TestSaleNumbersField id={id('testNumbers')} value={testText} onChange={setTestText} error={errors.testNumbers} />
          </>
        )}
      </form>

      {step === 3 && companyMode === 'new' && !addedCompany && (
        <div className="inline-panel" data-testid="wizard-add-company">
          <AddConnectionForm
            onCreated={(payload) => {
              setAddedCompany(payload);
              setShowPassword(true);
              setQbdId(payload.connection.id);
              setCompanyMode('existing');
              setErrors({});
              onCompanyAdded();
            }}
          />
        </div>
      )}
      {step === 3 && addedCompany && showPassword && addedCompany.connection.id === qbdId && (
        <WebConnectorPassword kind="created" connection={addedCompany.connection} password={addedCompany.password} onDone={() => setShowPassword(false)} />
      )}
      {step === 3 && companyMode === 'existing' && company && (
        <PairingStatus key={company.id} companyId={company.id} justAdded={addedCompany?.connection.id === company.id} />
      )}

      <FormAlert message={formError} />
      <div className="form-actions">
        {step > 1 && (
          <button type="button" className="button" disabled={busy} onClick={() => setStep((step - 1) as Step)}>
            Back
          </button>
        )}
        <button type="submit" form={formId} className="button button-primary" disabled={busy} aria-busy={busy}>
          {step === 1 && source === 'new'
            ? busy
              ? 'Checking with ShipStation…'
              : 'Check and connect'
            : step < 6
              ? 'Next'
              : busy
                ? 'Saving…'
                : 'Finish'}
        </button>
        <button type="button" className="button button-link" disabled={busy} onClick={onClose}>
          Cancel
        </button>
      </div>
    </section>
  );
}

/**
 * Whether the company's Web Connector has called, read every PAIRING_POLL_MS while step 3 is
 * open: already paired before, waiting (with the steps and the .qwc), or connected just now.
 */
function PairingStatus({ companyId, justAdded }: { companyId: string; justAdded: boolean }) {
  const contact = useQuery<QbdConnectionContactQuery>(CONNECTION_CONTACT_QUERY, { id: companyId }, { pollMs: PAIRING_POLL_MS });
  const c = contact.data?.quickBooksDesktopConnection;
  // What the first answer said: a company that had called before is "already paired".
  const [before, setBefore] = useState<boolean | null>(null);
  useEffect(() => {
    if (c && before === null) setBefore(c.lastContactAt !== null);
  }, [c, before]);

  let state: 'checking' | 'before' | 'waiting' | 'live' = 'checking';
  if (c && before !== null) state = before ? 'before' : c.lastContactAt ? 'live' : 'waiting';

  return (
    <div className="pairing-status" data-testid="pairing-status" data-state={state}>
      <p className={state === 'live' || state === 'before' ? 'status-line' : 'muted'} role="status" aria-live="polite">
        {state === 'checking' && (contact.error ? `Could not check the Web Connector: ${contact.error.message}` : 'Checking the Web Connector…')}
        {state === 'before' && c && (
          <>
            “{c.name}” has connected before (last contact {formatDateTime(c.lastContactAt)}): its Web Connector is paired. Click Next.
          </>
        )}
        {state === 'waiting' && 'Waiting for the first Web Connector session… This checks every few seconds; run the Web Connector now (Update Selected).'}
        {state === 'live' && c && (
          <>
            Connected: the Web Connector of “{c.name}” called at {formatDateTime(c.lastContactAt)}
            {c.qbxmlVersion ? ` (qbXML ${c.qbxmlVersion})` : ''}. Click Next.
          </>
        )}
      </p>
      {state === 'waiting' && c && !justAdded && (
        <ol className="setup-steps">
          <li>
            Download its .qwc file:{' '}
            <button type="button" className="button button-small" onClick={() => downloadQwc(c)}>
              Download .qwc
            </button>
          </li>
          <li>
            In the QuickBooks Web Connector, choose <strong>File &gt; Add an application</strong> and open the .qwc file, with QuickBooks open on the
            company file.
          </li>
          <li>
            Type the Web Connector password you noted when you added the company (lost it? use Reset password on its card), tick{' '}
            <strong>Auto-Run</strong> and click <strong>Update Selected</strong>.
          </li>
        </ol>
      )}
    </div>
  );
}

/** One radio button of a choice, inside its label. */
function Choice({ id, name, checked, disabled, onChange, children }: { id: string; name: string; checked: boolean; disabled?: boolean; onChange: () => void; children: ReactNode }) {
  return (
    <label className="checkbox" htmlFor={id}>
      <input id={id} type="radio" name={name} checked={checked} disabled={disabled} onChange={onChange} />
      {children}
    </label>
  );
}
