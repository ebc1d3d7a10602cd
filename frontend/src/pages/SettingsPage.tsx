import { useState, type FormEvent } from 'react';
import { graphql, type GraphQLError } from '../api';
import { ErrorNotice, FormAlert, LoadStatus } from '../components/ErrorNotice';
import { SecretShownOnce } from '../components/SecretValue';
import { AlertSettingsSection } from '../components/settings/AlertSettings';
import { ConnectionSettingsLinks } from '../components/settings/ConnectionSettingsLinks';
import { TextField } from '../components/Fields';
import { DataTable, LoadMore } from '../components/list/ListKit';
import { formatDate, formatDateTime, roleLabel } from '../format';
import { useSignedIn } from '../session';
import { useAction } from '../useAction';
import { usePagedConnection, type NodeOf } from '../usePagedConnection';
import { toGraphQLError } from '../useQuery';
import { useTitle } from '../useTitle';
import { API_KEYS_PAGE_QUERY, CREATE_API_KEY_MUTATION, REVOKE_API_KEY_MUTATION, SETTINGS_QUERY } from '../graphql/settings';
import type { CreateApiKeyMutation, RevokeApiKeyMutation, SettingsQuery } from '../graphql/operations';

export const OWNER_ONLY_MESSAGE = 'Only the account owner can manage API keys.';

type KeyRow = NodeOf<SettingsQuery['apiKeys']>;
type SettingsData = SettingsQuery;

function keyErrorMessage(error: GraphQLError): string {
  if (error.code === 'FORBIDDEN') return OWNER_ONLY_MESSAGE;
  return error.message || 'Something went wrong.';
}

function NewKeySecret({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  return (
    <SecretShownOnce label="New API key" value={secret} noun="key" testId="new-api-key-secret" onDone={onDone}>
      <strong>API key “{name}” created.</strong> Copy it now and store it somewhere safe: it cannot be shown again.
    </SecretShownOnce>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (payload: CreateApiKeyMutation['createApiKey']) => void }) {
  const [name, setName] = useState('');
  const { busy, error, setError, run } = useAction(keyErrorMessage);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      setError('Enter a name for the key, e.g. "Reporting script".');
      return;
    }
    if (trimmed.length > 100) {
      setError('Key names can be at most 100 characters.');
      return;
    }
    await run(async () => {
      const data = await graphql<CreateApiKeyMutation>(CREATE_API_KEY_MUTATION, {
        input: { name: trimmed },
      });
      setName('');
      onCreated(data.createApiKey);
    });
  };

  return (
    <form className="inline-form" onSubmit={submit} aria-label="Create API key">
      <h3>Create API key</h3>
      <div className="inline-form-row">
        <TextField id="api-key-name" label="Key name" value={name} maxLength={100} placeholder="e.g. Reporting script" onChange={setName} />
        <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy}>
          Create key
        </button>
      </div>
      <FormAlert message={error} />
    </form>
  );
}

function KeyTable({ rows, canManage, onRevoked }: { rows: KeyRow[]; canManage: boolean; onRevoked: (key: KeyRow) => void }) {
  const [confirmingId, setConfirmingId] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const revoke = async (key: KeyRow) => {
    setBusyId(key.id);
    setError(null);
    try {
      const data = await graphql<RevokeApiKeyMutation>(REVOKE_API_KEY_MUTATION, { id: key.id });
      setConfirmingId(null);
      onRevoked(data.revokeApiKey);
    } catch (err) {
      setError(keyErrorMessage(toGraphQLError(err)));
    } finally {
      setBusyId(null);
    }
  };

  return (
    <>
      <FormAlert message={error} />
      <DataTable
        rows={rows}
        testId="api-keys-table"
        region="API key list"
        columns={['Name', 'Prefix', 'Created', 'Last used', 'Status', ...(canManage ? [{ label: 'Actions', hidden: true }] : [])]}
      >
        {(key) => {
          const active = !key.revokedAt;
          return (
            <tr key={key.id} data-testid="api-key-row" data-key-prefix={key.prefix} data-key-status={active ? 'active' : 'revoked'}>
              <td>{key.name}</td>
              <td>
                <code>{key.prefix}</code>
              </td>
              <td className="nowrap" title={key.createdBy ? `Created by ${key.createdBy.name || key.createdBy.email}` : undefined}>
                {formatDate(key.createdAt)}
              </td>
              <td className="nowrap">{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : 'Never'}</td>
              <td>
                {active ? (
                  <span className="status status-ok">Active</span>
                ) : (
                  <span className="status status-muted" title={`Revoked ${formatDateTime(key.revokedAt)}`}>
                    Revoked
                  </span>
                )}
              </td>
              {canManage && (
                <td className="actions">
                  {active && confirmingId !== key.id && (
                    <button type="button" className="button button-small button-danger-outline" onClick={() => setConfirmingId(key.id)}>
                      Revoke
                    </button>
                  )}
                  {active && confirmingId === key.id && (
                    <span className="confirm">
                      <span>Revoke “{key.name}”? Anything using it stops working at once.</span>
                      <button type="button" className="button button-small button-danger" disabled={busyId === key.id} onClick={() => revoke(key)}>
                        Yes, revoke
                      </button>
                      <button type="button" className="button button-small" onClick={() => setConfirmingId(null)}>
                        Cancel
                      </button>
                    </span>
                  )}
                </td>
              )}
            </tr>
          );
        }}
      </DataTable>
    </>
  );
}

export function SettingsPage() {
  useTitle('Settings');
  const session = useSignedIn();
  // The first page of keys comes with the viewer; the pages after it come alone.
  const list = usePagedConnection<SettingsData, KeyRow>({
    query: SETTINGS_QUERY,
    moreQuery: API_KEYS_PAGE_QUERY,
    variables: (after) => (after ? { after } : {}),
    connection: (d) => d.apiKeys,
  });
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [revoked, setRevoked] = useState<Record<string, KeyRow>>({});

  const canManage = session.user.role === 'OWNER';
  const viewer = list.data?.viewer;
  const rows = list.rows.map((row) => revoked[row.id] ?? row);
  const error = list.failedOn === 'more' ? null : list.error;
  const moreError = list.failedOn === 'more' ? list.error : null;

  const reload = () => {
    setRevoked({});
    list.reload();
  };

  return (
    <div className="page">
      <header className="page-header">
        <h1>Settings</h1>
      </header>

      <section className="panel" aria-labelledby="settings-you">
        <h2 id="settings-you">Account</h2>
        <dl className="facts">
          <dt>Signed in as</dt>
          <dd>
            {session.user.name ? `${session.user.name} · ` : ''}
            {session.user.email}
          </dd>
          <dt>Role</dt>
          <dd>{roleLabel(session.user.role)}</dd>
          <dt>Account</dt>
          <dd>{viewer?.account.name ?? session.account.name}</dd>
          <dt>Account ID</dt>
          <dd>
            <code>{viewer?.account.id ?? session.account.id}</code>
          </dd>
        </dl>
        {session.user.role === 'SUPPORT' && (
          <p className="muted">Support access is read-only: you can look at this account but not change it.</p>
        )}
      </section>

      <ConnectionSettingsLinks canManage={canManage} />

      <section className="panel" aria-labelledby="settings-keys">
        <h2 id="settings-keys">API keys</h2>
        <p className="muted">
          API keys let your own scripts and tools call the Ledgerlink GraphQL API on behalf of this account. Send a key
          as <code>Authorization: Bearer &lt;key&gt;</code>.
        </p>

        {created && <NewKeySecret name={created.name} secret={created.secret} onDone={() => setCreated(null)} />}

        {canManage ? (
          <CreateKeyForm
            onCreated={(payload) => {
              setCreated({ name: payload.apiKey.name, secret: payload.secret });
              reload();
            }}
          />
        ) : (
          <p className="notice">{OWNER_ONLY_MESSAGE}</p>
        )}

        <LoadStatus error={error} loading={list.loading} loaded={list.loaded} onRetry={reload} prefix="Could not load API keys:" />
        {list.loaded && rows.length === 0 && (
          <p className="empty">No API keys yet. Keys you create appear here with when they were last used.</p>
        )}
        {rows.length > 0 && (
          <KeyTable
            rows={rows}
            canManage={canManage}
            onRevoked={(key) => setRevoked((prev) => ({ ...prev, [key.id]: key }))}
          />
        )}
        {moreError && <ErrorNotice error={moreError} prefix="Could not load more keys:" />}
        <LoadMore list={list} onLoadMore={list.loadMore} disabled={list.loadingMore} />
      </section>

      <AlertSettingsSection />
    </div>
  );
}
