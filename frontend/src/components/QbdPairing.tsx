// Pairing a QuickBooks Desktop company with the QuickBooks Web Connector: adding the connection,
// its password shown once, and its .qwc file. The Connections page and the ShipStation set-up
// wizard both use these.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { graphql } from '../api';
import { downloadTextFile, qwcFileName } from '../download';
import { CREATE_CONNECTION_MUTATION } from '../graphql/connections';
import type { CreateQbdConnectionMutation } from '../graphql/operations';
import { toGraphQLError } from '../useQuery';
import { FormAlert } from './ErrorNotice';
import { MinutesField, TextField } from './Fields';
import { SecretValue } from './SecretValue';

export const OWNER_ONLY_ADD = 'Only the account owner can add connections.';

type Payload = CreateQbdConnectionMutation['createQuickBooksDesktopConnection'];
type ConnectionRow = Payload['connection'];

/** Saves a connection's .qwc file (the Web Connector's application file). */
export function downloadQwc(connection: Pick<ConnectionRow, 'name' | 'qwc'>): void {
  downloadTextFile(qwcFileName(connection.name), connection.qwc, 'application/xml');
}

// ---------------------------------------------------------------------------
// The password, shown once

/**
 * The Web Connector password of a connection just added (or reset), shown once, with the
 * .qwc download and the steps to pair the Web Connector. Used by the Connections page and the
 * ShipStation set-up wizard.
 */
export function WebConnectorPassword({
  kind,
  connection,
  password,
  onDone,
}: {
  kind: 'created' | 'reset';
  connection: ConnectionRow;
  password: string;
  onDone: () => void;
}) {
  const boxRef = useRef<HTMLElement>(null);

  // Bring the panel into view: the button that led here may be far down the page.
  useEffect(() => {
    boxRef.current?.focus();
  }, [password]);

  const fileName = qwcFileName(connection.name);
  return (
    <section
      ref={boxRef}
      tabIndex={-1}
      className="secret-box"
      data-testid="qbd-password"
      data-connection-id={connection.id}
      aria-label="Web Connector password"
    >
      <p>
        <strong>
          {kind === 'created'
            ? `Connection “${connection.name}” added.`
            : `New Web Connector password for “${connection.name}”; the old one no longer works.`}
        </strong>{' '}
        This is the Web Connector password. Copy it now: it cannot be shown again.
      </p>
      <SecretValue value={password} noun="password" testId="qbd-password-value" />
      <ol className="setup-steps">
        {kind === 'created' ? (
          <li>
            Download the .qwc file:{' '}
            <button type="button" className="button button-small" onClick={() => downloadQwc(connection)}>
              Download {fileName}
            </button>
          </li>
        ) : (
          <li>
            In the QuickBooks Web Connector, select the application <strong>Ledgerlink - {connection.name}</strong>. (If it is
            not there,{' '}
            <button type="button" className="button-inline" onClick={() => downloadQwc(connection)}>
              download {fileName}
            </button>{' '}
            and add it with <strong>File &gt; Add an application</strong>.)
          </li>
        )}
        {kind === 'created' && (
          <li>
            In the QuickBooks Web Connector, choose <strong>File &gt; Add an application</strong> and open the .qwc file.
          </li>
        )}
        <li>
          Type this password into the application’s <strong>Password</strong> field, tick <strong>Auto-Run</strong> and click{' '}
          <strong>Update Selected</strong>.
        </li>
      </ol>
      <button type="button" className="button button-small" onClick={onDone}>
        I have entered the password
      </button>
    </section>
  );
}

// ---------------------------------------------------------------------------
// Adding a connection

type FieldName = 'name' | 'companyFile' | 'runEveryMinutes';
const FIELD_NAMES: readonly FieldName[] = ['name', 'companyFile', 'runEveryMinutes'];

/** Adds a QuickBooks Desktop connection; onCreated gets its password (shown once). */
export function AddConnectionForm({ onCreated }: { onCreated: (payload: Payload) => void }) {
  const [name, setName] = useState('');
  const [companyFile, setCompanyFile] = useState('');
  const [runEvery, setRunEvery] = useState('15');
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  // Unique ids: the page's form and the set-up wizard's can be on screen together.
  const uid = useId();
  const ids = { name: `${uid}-name`, companyFile: `${uid}-company-file`, runEvery: `${uid}-run-every` };

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const trimmed = name.trim();
    const minutes = Number(runEvery);
    const local: Partial<Record<FieldName, string>> = {};
    if (!trimmed) local.name = 'Enter a name for the connection, e.g. "Main company file".';
    else if (trimmed.length > 100) local.name = 'Connection names can be at most 100 characters.';
    if (!/^\d+$/.test(runEvery.trim()) || minutes < 1 || minutes > 1440) {
      local.runEveryMinutes = 'Enter a whole number of minutes from 1 to 1440.';
    }
    setFormError(null);
    setFieldErrors(local);
    if (Object.keys(local).length > 0) return;

    setBusy(true);
    try {
      const data = await graphql<CreateQbdConnectionMutation>(CREATE_CONNECTION_MUTATION, {
        input: { name: trimmed, companyFile: companyFile.trim(), runEveryMinutes: minutes },
      });
      setName('');
      setCompanyFile('');
      setRunEvery('15');
      onCreated(data.createQuickBooksDesktopConnection);
    } catch (err) {
      const error = toGraphQLError(err);
      const field = error.errors[0]?.extensions?.field;
      if (error.code === 'BAD_USER_INPUT' && typeof field === 'string' && (FIELD_NAMES as readonly string[]).includes(field)) {
        setFieldErrors({ [field as FieldName]: error.message });
      } else if (error.code === 'FORBIDDEN') {
        setFormError(OWNER_ONLY_ADD);
      } else {
        setFormError(error.message || 'Something went wrong.');
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="connection-form" onSubmit={submit} aria-label="Add QuickBooks Desktop" noValidate>
      <TextField
        id={ids.name}
        label="Connection name"
        value={name}
        maxLength={100}
        placeholder="e.g. Main company file"
        onChange={setName}
        error={fieldErrors.name}
      />
      <TextField
        id={ids.companyFile}
        label="Company file (optional)"
        value={companyFile}
        placeholder="C:\Users\Public\Documents\Intuit\QuickBooks\Company Files\Acme.QBW"
        onChange={setCompanyFile}
        error={fieldErrors.companyFile}
        hint="Leave empty to sync whichever company file is open in QuickBooks."
      />
      <MinutesField id={ids.runEvery} label="Run every (minutes)" value={runEvery} onChange={setRunEvery} error={fieldErrors.runEveryMinutes} />
      <FormAlert message={formError} />
      <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy}>
        {busy ? 'Adding…' : 'Add connection'}
      </button>
    </form>
  );
}
