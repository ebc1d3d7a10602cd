import { useId, useMemo, useState } from 'react';
import { ConfirmBlock, useConfirmAction } from '../components/ConfirmActions';
import { ConnectionCard, ConnectionCards } from '../components/ConnectionCards';
import { TimeAgo } from '../components/TimeAgo';
import { graphql } from '../api';
import { ErrorNotice, LoadStatus } from '../components/ErrorNotice';
import { AddConnectionForm, OWNER_ONLY_ADD, WebConnectorPassword, downloadQwc } from '../components/QbdPairing';
import { DataTable, EmptyList, FilterTabs, FirstPageNote, LoadMore, ResultCount } from '../components/list/ListKit';
import { formatCount, formatDate, formatDateTime } from '../format';
import type {
  WorkItemStatus,
  WorkQueueCounts,
} from '../graphql/schema';
import { useLocation, useNavigate } from '../router';
import { useSignedIn } from '../session';
import { usePagedConnection, type NodeOf } from '../usePagedConnection';
import { useTitle } from '../useTitle';
import { StoresSection, type QbdOption } from '../components/StoreConnections';
import { QboSection, type QboRow } from '../components/QboConnections';
import { QBO_CONNECTIONS_QUERY } from '../graphql/qbo';
import { CONNECTIONS_QUERY, RESET_PASSWORD_MUTATION, WORK_ITEMS_QUERY } from '../graphql/connections';
import type { CreateQbdConnectionMutation, QboConnectionsQuery, QbdConnectionsQuery, QbdWorkItemsQuery, ResetWebConnectorPasswordMutation } from '../graphql/operations';

// ---------------------------------------------------------------------------
// Operations

export const CONNECTIONS_REFRESH_MS = 15_000;
export const WORK_REFRESH_MS = 15_000;
export const WORK_PAGE_SIZE = 25;

export { OWNER_ONLY_ADD };
export const OWNER_ONLY_RESET = 'Only the account owner can reset the Web Connector password.';
export const IN_DOUBT_EXPLANATION =
  'Sent, but the answer was lost: Ledgerlink asks QuickBooks before sending anything again.';
export const EMPTY_CONNECTIONS = 'No connections yet. Add your QuickBooks Desktop company to start syncing.';

// ---------------------------------------------------------------------------
// Types and small helpers

type ConnectionRow = NodeOf<QbdConnectionsQuery['quickBooksDesktopConnections']>;

type ConnectionsData = QbdConnectionsQuery;

type Payload = CreateQbdConnectionMutation['createQuickBooksDesktopConnection'];

type WorkRow = NodeOf<QbdWorkItemsQuery['quickBooksDesktopConnection']['workItems']>;

type WorkData = QbdWorkItemsQuery;

/** The filter tabs of a work queue, in order; `status: null` is "All". */
export const WORK_TABS: readonly { label: string; status: WorkItemStatus | null }[] = [
  { label: 'All', status: null },
  { label: 'Queued', status: 'QUEUED' },
  { label: 'In doubt', status: 'IN_DOUBT' },
  { label: 'Failed', status: 'FAILED' },
  { label: 'Done', status: 'DONE' },
];

const STATUS_LABEL: Record<WorkItemStatus, string> = {
  QUEUED: 'Queued',
  IN_FLIGHT: 'In flight',
  IN_DOUBT: 'In doubt',
  DONE: 'Done',
  FAILED: 'Failed',
};
const STATUS_TONE: Record<WorkItemStatus, string> = {
  QUEUED: 'info',
  IN_FLIGHT: 'info',
  IN_DOUBT: 'warning',
  DONE: 'ok',
  FAILED: 'error',
};
const STATUS_HELP: Partial<Record<WorkItemStatus, string>> = {
  QUEUED: 'Waiting for the next Web Connector run.',
  IN_FLIGHT: 'Sent to QuickBooks; the answer has not arrived yet.',
  IN_DOUBT: IN_DOUBT_EXPLANATION,
};

/** Variables of WORK_ITEMS_QUERY; "All" sends no status. */
export function workItemsVariables(
  id: string,
  status: WorkItemStatus | null,
  after: string | null = null,
  first: number = WORK_PAGE_SIZE,
): Record<string, unknown> {
  const vars: Record<string, unknown> = { id, first };
  if (status) vars.status = status;
  if (after) vars.after = after;
  return vars;
}

/** ?queue=<connection id>&status=<tab>: which work queue is open, so a link shows the same view. */
function parseQueueSearch(search: string): { queue: string | null; status: WorkItemStatus | null } {
  const params = new URLSearchParams(search);
  const queue = params.get('queue') || null;
  const raw = params.get('status');
  const status = WORK_TABS.find((t) => t.status !== null && t.status === raw)?.status ?? null;
  return { queue, status: queue ? status : null };
}

function queueSearch(queue: string | null, status: WorkItemStatus | null): string {
  const params = new URLSearchParams();
  if (queue) params.set('queue', queue);
  if (queue && status) params.set('status', status);
  const s = params.toString();
  return s ? `?${s}` : '';
}

// ---------------------------------------------------------------------------
// A connection's work queue

function StatusBadge({ status }: { status: WorkItemStatus }) {
  return (
    <span className={`badge badge-${STATUS_TONE[status]}`} title={STATUS_HELP[status]}>
      {STATUS_LABEL[status]}
    </span>
  );
}

function WorkQueue({
  connectionId,
  status,
  onStatus,
}: {
  connectionId: string;
  status: WorkItemStatus | null;
  onStatus: (status: WorkItemStatus | null) => void;
}) {
  const [openItem, setOpenItem] = useState<string | null>(null);
  const panelId = useId();

  // Every 15 s, what is on screen is read again (up to one full page of the server) in one request.
  const list = usePagedConnection<WorkData, WorkRow>({
    query: WORK_ITEMS_QUERY,
    variables: (after, first) => workItemsVariables(connectionId, status, after, first),
    connection: (d) => d.quickBooksDesktopConnection.workItems,
    refreshMs: WORK_REFRESH_MS,
    pageSize: WORK_PAGE_SIZE,
  });
  const { rows, loading, error } = list;

  const tabLabel = WORK_TABS.find((t) => t.status === status)?.label ?? 'All';
  return (
    <div className="work-queue" data-testid={`qbd-work-queue-${connectionId}`}>
      <div className="toolbar">
        <FilterTabs
          label="Work status"
          tabs={WORK_TABS}
          panelId={panelId}
          isSelected={(tab) => status === tab.status}
          onSelect={(tab) => onStatus(tab.status)}
          title={(tab) => (tab.status ? STATUS_HELP[tab.status] : undefined)}
        />
        <p className="legend small" data-testid="in-doubt-legend">
          <StatusBadge status="IN_DOUBT" /> {IN_DOUBT_EXPLANATION}
        </p>
      </div>

      {error && <ErrorNotice error={error} onRetry={list.reload} prefix="Could not load the work queue:" />}

      <div id={panelId} role="tabpanel" aria-busy={loading}>
        <ResultCount list={list} noun={['item', 'items']} testId="work-total" />
        <EmptyList list={list}>
          {status
            ? `Nothing ${tabLabel.toLowerCase()} for this connection.`
            : 'No work for QuickBooks yet. Orders and stock changes queue up here until the Web Connector runs.'}
        </EmptyList>
        <DataTable
          rows={rows}
          className="table table-work"
          region="QuickBooks work queue"
          columns={[
            'Time',
            'Document',
            'Request',
            'Status',
            { label: 'Attempts', className: 'num' },
            'QuickBooks ID',
            'Message',
            { label: 'Details', hidden: true },
          ]}
        >
          {(row) => {
            const open = openItem === row.id;
            return (
              <WorkItemRows key={row.id} row={row} open={open} onToggle={() => setOpenItem(open ? null : row.id)} />
            );
          }}
        </DataTable>
        <LoadMore list={list} onLoadMore={list.loadMore} />
      </div>
    </div>
  );
}

function WorkItemRows({ row, open, onToggle }: { row: WorkRow; open: boolean; onToggle: () => void }) {
  const detailId = `work-item-detail-${row.id}`;
  return (
    <>
      <tr data-testid={`work-item-${row.id}`} data-status={row.status}>
        <td className="nowrap">
          <time dateTime={row.createdAt}>{formatDateTime(row.createdAt)}</time>
        </td>
        <td>
          <code>{row.docKey}</code>
        </td>
        <td className="nowrap">{row.kind}</td>
        <td>
          <StatusBadge status={row.status} />
        </td>
        <td className="num">{formatCount(row.attempts)}</td>
        <td className="nowrap">{row.quickBooksId ? <code>{row.quickBooksId}</code> : <span className="muted">—</span>}</td>
        <td>{row.statusMessage || <span className="muted">—</span>}</td>
        <td className="actions">
          <button type="button" className="button button-small" aria-expanded={open} aria-controls={open ? detailId : undefined} onClick={onToggle}>
            {open ? 'Hide' : 'Details'}
          </button>
        </td>
      </tr>
      {open && (
        <tr className="work-detail" id={detailId} data-testid={detailId}>
          <td colSpan={8}>
            <h4>qbXML request</h4>
            <pre className="qbxml">{row.request}</pre>
            <h4>QuickBooks’ response</h4>
            <p className="qb-response">{row.response ? <code>{row.response}</code> : <span className="muted">No answer yet.</span>}</p>
            <p className="muted small">
              Queued {formatDateTime(row.createdAt)} · last change {formatDateTime(row.updatedAt)}
              {row.statusCode !== null && ` · status code ${row.statusCode}`}
            </p>
          </td>
        </tr>
      )}
    </>
  );
}

// ---------------------------------------------------------------------------
// One connection

const COUNTS: readonly { key: keyof WorkQueueCounts; label: string; testId: string; tone?: 'warning' | 'error' }[] = [
  { key: 'queued', label: 'Queued', testId: 'qbd-work-queued' },
  { key: 'inFlight', label: 'In flight', testId: 'qbd-work-in-flight' },
  { key: 'inDoubt', label: 'In doubt', testId: 'qbd-work-in-doubt', tone: 'warning' },
  { key: 'done', label: 'Done', testId: 'qbd-work-done' },
  { key: 'failed', label: 'Failed', testId: 'qbd-work-failed', tone: 'error' },
];

function QbdCard({
  connection: c,
  canManage,
  queueOpen,
  status,
  onToggleQueue,
  onStatus,
  onReset,
}: {
  connection: ConnectionRow;
  canManage: boolean;
  queueOpen: boolean;
  status: WorkItemStatus | null;
  onToggleQueue: () => void;
  onStatus: (status: WorkItemStatus | null) => void;
  onReset: (payload: Payload) => void;
}) {
  const action = useConfirmAction(OWNER_ONLY_RESET);
  const { confirming, setConfirming, run } = action;
  const queueId = useId();

  const reset = () =>
    run(async () => {
      const data = await graphql<ResetWebConnectorPasswordMutation>(RESET_PASSWORD_MUTATION, { id: c.id });
      onReset(data.resetWebConnectorPassword);
    });

  return (
    <ConnectionCard
      testId={`qbd-connection-${c.id}`}
      heading={c.name}
      meta={<>QuickBooks Desktop · added {formatDate(c.createdAt)}</>}
      actions={
        <>
          <button type="button" className="button button-small" data-testid={`qwc-download-${c.id}`} onClick={() => downloadQwc(c)}>
            Download .qwc
          </button>
          {canManage && !confirming && (
            <button type="button" className="button button-small button-danger-outline" onClick={() => setConfirming(true)}>
              Reset password
            </button>
          )}
        </>
      }
    >
      <ConfirmBlock
        action={action}
        allowed={canManage}
        question={`Make a new Web Connector password for “${c.name}”? The current one stops working at once, until you type the new one into the Web Connector.`}
        yes="Yes, reset"
        onYes={reset}
      />

      <dl className="facts">
        <dt>Web Connector username</dt>
        <dd>
          <code data-testid="qbd-username">{c.webConnectorUsername}</code>
        </dd>
        <dt>Company file</dt>
        <dd className="break">{c.companyFile || <span className="muted">Whichever file is open</span>}</dd>
        <dt>Runs every</dt>
        <dd>{formatCount(c.runEveryMinutes)} min</dd>
        <dt>qbXML version</dt>
        <dd>{c.qbxmlVersion || <span className="muted">Not connected yet</span>}</dd>
        <dt>Last contact</dt>
        <dd data-testid="qbd-last-contact">
          <TimeAgo at={c.lastContactAt} />
        </dd>
      </dl>

      <ul className="work-counts" aria-label="Work for QuickBooks">
        {COUNTS.map(({ key, label, testId, tone }) => {
          const n = c.work[key];
          const hot = tone !== undefined && n > 0;
          return (
            <li
              key={key}
              className={`work-count ${hot ? `work-count-${tone}` : ''}`}
              data-testid={testId}
              title={key === 'inDoubt' ? IN_DOUBT_EXPLANATION : undefined}
            >
              <span className="work-count-value">{formatCount(n)}</span> <span className="work-count-label">{label}</span>
            </li>
          );
        })}
      </ul>

      <button type="button" className="button button-small" aria-expanded={queueOpen} aria-controls={queueId} onClick={onToggleQueue}>
        {queueOpen ? 'Hide work queue' : 'Show work queue'}
      </button>
      <div id={queueId}>{queueOpen && <WorkQueue connectionId={c.id} status={status} onStatus={onStatus} />}</div>
    </ConnectionCard>
  );
}

// ---------------------------------------------------------------------------
// The page

export function ConnectionsPage() {
  useTitle('Connections');
  const session = useSignedIn();
  const location = useLocation();
  const navigate = useNavigate();
  const canManage = session.user.role === 'OWNER';
  const list = usePagedConnection<ConnectionsData, ConnectionRow>({
    query: CONNECTIONS_QUERY,
    variables: () => ({}),
    connection: (d) => d.quickBooksDesktopConnections,
    refreshMs: CONNECTIONS_REFRESH_MS,
  });
  const { rows, error, loading, reload: refetch } = list;
  const qbo = usePagedConnection<QboConnectionsQuery, QboRow>({
    query: QBO_CONNECTIONS_QUERY,
    variables: () => ({}),
    connection: (d) => d.quickBooksOnlineConnections,
    refreshMs: CONNECTIONS_REFRESH_MS,
  });
  const onlineCompanies = useMemo<QbdOption[]>(() => qbo.rows.map((node) => ({ id: node.id, name: node.name })), [qbo.rows]);
  const [shown, setShown] = useState<(Payload & { kind: 'created' | 'reset' }) | null>(null);
  const { queue, status } = useMemo(() => parseQueueSearch(location.search), [location.search]);

  const companies = useMemo<QbdOption[]>(() => rows.map((node) => ({ id: node.id, name: node.name, lastContactAt: node.lastContactAt })), [rows]);
  const setQueue = (nextQueue: string | null, nextStatus: WorkItemStatus | null) =>
    navigate(`/connections${queueSearch(nextQueue, nextStatus)}`, { replace: true });

  return (
    <div className="page">
      <header className="page-header">
        <h1>Connections</h1>
        <p className="muted">
          The QuickBooks Desktop company files this account syncs through the QuickBooks Web Connector, its QuickBooks Online
          companies, and the stores whose orders it posts there. Refreshes every 15 seconds.
        </p>
      </header>

      {shown && (
        <WebConnectorPassword
          kind={shown.kind}
          connection={shown.connection}
          password={shown.password}
          onDone={() => setShown(null)}
        />
      )}

      <section className="panel" aria-labelledby="qbd-heading">
        <h2 id="qbd-heading">QuickBooks Desktop</h2>
        <LoadStatus error={error} loading={loading} loaded={list.loaded} onRetry={refetch} prefix={list.loaded ? 'Could not refresh:' : 'Could not load the connections:'} />
        <ConnectionCards rows={rows} loaded={list.loaded} empty={EMPTY_CONNECTIONS} emptyTestId="empty-state">
          {(c) => (
            <QbdCard
              key={c.id}
              connection={c}
              canManage={canManage}
              queueOpen={queue === c.id}
              status={queue === c.id ? status : null}
              onToggleQueue={() => setQueue(queue === c.id ? null : c.id, null)}
              onStatus={(next) => setQueue(c.id, next)}
              onReset={(payload) => {
                setShown({ ...payload, kind: 'reset' });
                refetch();
              }}
            />
          )}
        </ConnectionCards>
        <FirstPageNote list={list} noun="connections" />
      </section>

      <QboSection
        rows={qbo.rows}
        loaded={qbo.loaded}
        error={qbo.error}
        onRetry={qbo.reload}
        canManage={canManage}
        search={location.search}
        onChanged={qbo.reload}
      />

      <StoresSection qbdConnections={companies} qboConnections={onlineCompanies} canManage={canManage} canSync={session.user.role !== 'SUPPORT'} onCompanyAdded={refetch} />

      <section className="panel" aria-labelledby="qbd-add-heading">
        <h2 id="qbd-add-heading">Add QuickBooks Desktop</h2>
        {canManage ? (
          <>
            <p className="muted">
              Ledgerlink reaches QuickBooks Desktop through the free QuickBooks Web Connector on the PC where QuickBooks runs.
              Add a connection here, then add its .qwc file to the Web Connector.
            </p>
            <AddConnectionForm
              onCreated={(payload) => {
                setShown({ ...payload, kind: 'created' });
                refetch();
              }}
            />
          </>
        ) : (
          <p className="notice">{OWNER_ONLY_ADD}</p>
        )}
      </section>
    </div>
  );
}
