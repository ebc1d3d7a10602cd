// The Connections page's QuickBooks Online section: Connect to QuickBooks (Intuit's sign-in),
// each company with its token health, Reconnect and Disconnect, and the outcome of a sign-in the
// browser just came back from (/connections?qbo=connected or ?qbo_error=…).
import { graphql, type GraphQLError } from '../api';
import { formatDate, formatDateTime } from '../format';
import { DISCONNECT_QBO_MUTATION, RECONNECT_QBO_MUTATION, START_QBO_CONNECT_MUTATION } from '../graphql/qbo';
import type { DisconnectQboMutation, QboConnectionsQuery, ReconnectQboMutation, StartQboConnectMutation } from '../graphql/operations';
import type { QuickBooksOnlineStatus } from '../graphql/schema';
import type { NodeOf } from '../usePagedConnection';
import { ConfirmBlock, useConfirmAction } from './ConfirmActions';
import { ConnectionCard, ConnectionCards } from './ConnectionCards';
import { ErrorNotice, FormAlert } from './ErrorNotice';
import { TimeAgo } from './TimeAgo';

export type QboRow = NodeOf<QboConnectionsQuery['quickBooksOnlineConnections']>;

export const OWNER_ONLY_QBO = 'Only the account owner can connect or disconnect QuickBooks Online.';
export const EMPTY_QBO = 'No QuickBooks Online company yet. Connect to QuickBooks to post this account’s orders to QuickBooks Online.';

/** What a failed sign-in means and what to do, by the callback's ?qbo_error= code. */
export const QBO_CONNECT_ERRORS: Record<string, string> = {
  denied: 'QuickBooks Online was not connected: the sign-in at Intuit was cancelled or refused. Click Connect to QuickBooks to try again.',
  state:
    'QuickBooks Online was not connected: the sign-in came back expired, already used or from another browser session. Start again with Connect to QuickBooks in this browser, within 15 minutes.',
  exchange:
    'QuickBooks Online was not connected: Intuit did not confirm the sign-in (the authorization code was refused). Try Connect to QuickBooks again; if it keeps failing, check the app keys the server uses.',
  realm: 'QuickBooks Online was not reconnected: a different company was chosen at Intuit. Click Reconnect and choose the same company.',
  setup: 'QuickBooks Online is not set up on this server: its administrator sets LEDGERLINK_QBO_CLIENT_ID and LEDGERLINK_QBO_CLIENT_SECRET.',
  internal: 'QuickBooks Online was not connected: something went wrong on the server. Try again in a moment.',
};

const STATUS: Record<QuickBooksOnlineStatus, { label: string; tone: string }> = {
  CONNECTED: { label: 'Connected', tone: 'ok' },
  RECONNECT_NEEDED: { label: 'Reconnect needed', tone: 'error' },
  DISCONNECTED: { label: 'Disconnected', tone: 'muted' },
};

/** The outcome the callback put in the page's address, as a message and its kind. */
export function qboOutcome(search: string, rows: QboRow[]): { ok: boolean; text: string } | null {
  const params = new URLSearchParams(search);
  const code = params.get('qbo_error');
  if (code) return { ok: false, text: QBO_CONNECT_ERRORS[code] ?? QBO_CONNECT_ERRORS.internal! };
  if (params.get('qbo') === 'connected') {
    const c = rows.find((r) => r.id === params.get('qboId'));
    return { ok: true, text: c ? `QuickBooks Online company “${c.name}” is connected.` : 'QuickBooks Online is connected.' };
  }
  return null;
}

/** Sends the browser to Intuit's sign-in: a full page load, Intuit's page is not ours (tests replace it). */
export const intuitSignIn = {
  open(url: string) {
    window.location.assign(url);
  },
};

function QboCard({ c, canManage, onChanged }: { c: QboRow; canManage: boolean; onChanged: () => void }) {
  const action = useConfirmAction(OWNER_ONLY_QBO);
  const { confirming, setConfirming, busy, run } = action;
  const status = STATUS[c.status];

  const reconnect = () =>
    run(async () => {
      const data = await graphql<ReconnectQboMutation>(RECONNECT_QBO_MUTATION, { id: c.id });
      intuitSignIn.open(data.reconnectQuickBooksOnline.authorizeUrl);
    });
  const disconnect = async () => {
    if (await run(() => graphql<DisconnectQboMutation>(DISCONNECT_QBO_MUTATION, { id: c.id }).then(() => undefined))) onChanged();
  };

  return (
    <ConnectionCard
      testId={`qbo-connection-${c.id}`}
      heading={c.name}
      meta={
        <>
          QuickBooks Online · added {formatDate(c.createdAt)} ·{' '}
          <span className={`badge badge-${status.tone}`} data-testid="qbo-status">
            {status.label}
          </span>
        </>
      }
      actions={
        canManage && (
          <>
            <button type="button" className="button button-small" disabled={busy} onClick={reconnect}>
              Reconnect
            </button>
            {c.status !== 'DISCONNECTED' && !confirming && (
              <button type="button" className="button button-small button-danger-outline" onClick={() => setConfirming(true)}>
                Disconnect
              </button>
            )}
          </>
        )
      }
    >
      <ConfirmBlock
        action={action}
        allowed={canManage}
        question={`Disconnect “${c.name}”? Ledgerlink’s access is revoked at Intuit and its keys deleted; stores posting to this company stop posting until you reconnect it.`}
        yes="Yes, disconnect"
        onYes={disconnect}
      />
      {c.warning && (
        <p className="banner-warning" role="note" data-testid="qbo-warning">
          {c.warning}
        </p>
      )}
      {c.lastError && (
        <p className="text-error" data-testid="qbo-last-error">
          {c.lastError}
        </p>
      )}

      <dl className="facts">
        <dt>Company</dt>
        <dd>{c.companyName || <span className="muted">Not read yet</span>}</dd>
        <dt>Company ID (realmId)</dt>
        <dd>
          <code>{c.realmId}</code>
        </dd>
        <dt>Access token</dt>
        <dd data-testid="qbo-access-expires">
          {c.accessTokenExpiresAt ? (
            <>
              expires <time dateTime={c.accessTokenExpiresAt}>{formatDateTime(c.accessTokenExpiresAt)}</time>{' '}
              <span className="muted small">(renewed automatically before then)</span>
            </>
          ) : (
            <span className="muted">None</span>
          )}
        </dd>
        <dt>Authorization</dt>
        <dd data-testid="qbo-refresh-expires">
          {c.refreshTokenExpiresAt ? (
            <>
              valid until <time dateTime={c.refreshTokenExpiresAt}>{formatDate(c.refreshTokenExpiresAt)}</time>
            </>
          ) : (
            <span className="muted">None: reconnect to use this company</span>
          )}
        </dd>
        <dt>Last renewed</dt>
        <dd>
          <TimeAgo at={c.lastRefreshAt} />
        </dd>
      </dl>
    </ConnectionCard>
  );
}

/** The QuickBooks Online panel of the Connections page; rows come from the page's list. */
export function QboSection({
  rows,
  loaded,
  error,
  onRetry,
  canManage,
  search,
  onChanged,
}: {
  rows: QboRow[];
  loaded: boolean;
  error: GraphQLError | null;
  onRetry: () => void;
  canManage: boolean;
  /** The page's address query: the outcome of a sign-in the browser came back from. */
  search: string;
  onChanged: () => void;
}) {
  const start = useConfirmAction(OWNER_ONLY_QBO);
  const outcome = qboOutcome(search, rows);

  const connect = () =>
    start.run(async () => {
      const data = await graphql<StartQboConnectMutation>(START_QBO_CONNECT_MUTATION, {});
      intuitSignIn.open(data.startQuickBooksOnlineConnect.authorizeUrl);
    });

  return (
    <section className="panel" aria-labelledby="qbo-heading" data-testid="qbo-section">
      <h2 id="qbo-heading">QuickBooks Online</h2>
      {outcome &&
        (outcome.ok ? (
          <p className="notice-success" role="status" data-testid="qbo-outcome">
            {outcome.text}
          </p>
        ) : (
          <p className="alert alert-error" role="alert" data-testid="qbo-outcome">
            {outcome.text}
          </p>
        ))}
      {error && <ErrorNotice error={error} onRetry={onRetry} prefix="Could not load the QuickBooks Online companies:" />}
      <ConnectionCards rows={rows} loaded={loaded} empty={EMPTY_QBO} emptyTestId="qbo-empty">
        {(c) => <QboCard key={c.id} c={c} canManage={canManage} onChanged={onChanged} />}
      </ConnectionCards>
      {canManage ? (
        <>
          <p className="muted">
            Sign in to Intuit and choose the company; you come back here when it is connected. Ledgerlink keeps the
            authorization encrypted and renews it on its own.
          </p>
          <button type="button" className="button button-primary" disabled={start.busy} onClick={connect}>
            Connect to QuickBooks
          </button>
          <FormAlert message={start.error} />
        </>
      ) : (
        <p className="notice">{OWNER_ONLY_QBO}</p>
      )}
    </section>
  );
}
