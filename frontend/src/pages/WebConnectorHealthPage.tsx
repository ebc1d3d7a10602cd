// The Web Connector health page of one QuickBooks Desktop connection: its status in plain words,
// what the Web Connector last did, what is queued, in doubt or failed, each documented failure
// found with what to do, and its latest runs.
import { formatCount, formatDateTime } from '../format';
import { Link, useParams } from '../router';
import { useQuery } from '../useQuery';
import { useTitle } from '../useTitle';
import { WEB_CONNECTOR_HEALTH_QUERY } from '../graphql/health';
import type { WebConnectorHealthQuery } from '../graphql/operations';
import { ErrorNotice } from '../components/ErrorNotice';
import { BackLink } from '../components/Layout';
import { TableHead } from '../components/list/ListKit';

type Health = WebConnectorHealthQuery['quickBooksDesktopConnection']['health'];

/** The status badge's words and tone. */
export const STATUS_LABEL: Record<string, { text: string; tone: string }> = {
  NEW: { text: 'New', tone: 'badge-muted' },
  HEALTHY: { text: 'Healthy', tone: 'badge-ok' },
  LATE: { text: 'Late', tone: 'badge-warning' },
  FAILING: { text: 'Failing', tone: 'badge-error' },
};

const OUTCOME_LABEL: Record<string, string> = {
  RUNNING: 'Running',
  OK: 'Finished',
  REJECTED: 'QuickBooks refused',
  CONNECTION_ERROR: 'Could not reach QuickBooks',
  ANSWER_LOST: 'Stopped answering',
};

export function WebConnectorStatusBadge({ status }: { status: string }) {
  const s = STATUS_LABEL[status] ?? { text: status, tone: 'badge-muted' };
  return <span className={`badge ${s.tone}`}>{s.text}</span>;
}

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${seconds % 60} s`;
}

function Runs({ runs }: { runs: Health['runs'] }) {
  if (runs.length === 0) return <p className="empty">No run yet with work to do (runs that find nothing to send are counted in “last finished”).</p>;
  return (
    // A focusable region: at phone width the table scrolls sideways, and a keyboard must reach it.
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Web Connector runs">
      <table className="table" data-testid="wc-runs">
        <TableHead columns={['Started', 'Length', 'Outcome', 'Message sets', 'Requests done / sent', 'Details']} />
        <tbody>
          {runs.map((r) => (
            <tr key={r.startedAt}>
              <td>{formatDateTime(r.startedAt)}</td>
              <td>{duration(r.durationSeconds)}</td>
              <td>{OUTCOME_LABEL[r.outcome] ?? r.outcome}</td>
              <td>{formatCount(r.messageSets)}</td>
              <td>
                {formatCount(r.requestsDone)} / {formatCount(r.requestsSent)}
              </td>
              <td className="small">{[r.hresult, r.message, r.companyFile, r.qbxmlVersion && `qbXML ${r.qbxmlVersion}`].filter(Boolean).join(' · ') || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function WebConnectorHealthPage() {
  const { id = '' } = useParams();
  const { data, error, loading, refetch } = useQuery<WebConnectorHealthQuery>(WEB_CONNECTOR_HEALTH_QUERY, { id }, { pollMs: 30_000 });
  const conn = data?.quickBooksDesktopConnection;
  useTitle(conn ? `Web Connector — ${conn.name}` : 'Web Connector');
  const queue = `/connections#qbd-${encodeURIComponent(id)}`;

  return (
    <div className="page">
      <BackLink to="/" label="Dashboard" />
      <header className="page-header">
        <h1>Web Connector{conn ? ` — ${conn.name}` : ''}</h1>
      </header>
      {error && !conn && (
        <ErrorNotice
          error={error}
          onRetry={error.code === 'NOT_FOUND' ? undefined : refetch}
          prefix={error.code === 'NOT_FOUND' ? 'There is no such QuickBooks company in this account:' : 'Could not load the Web Connector health:'}
        />
      )}
      {loading && !conn && (
        <p className="muted" role="status">
          Loading…
        </p>
      )}
      {conn && (
        <>
          <section className="panel" aria-labelledby="wc-status-title">
            <h2 id="wc-status-title">
              Status <WebConnectorStatusBadge status={conn.health.status} />
            </h2>
            <p data-testid="wc-status-line">{conn.health.summary}</p>
            <dl className="facts">
              <dt>Last sign-in</dt>
              <dd>{conn.health.lastAuthenticateAt ? formatDateTime(conn.health.lastAuthenticateAt) : 'Never'}</dd>
              <dt>Last finished update</dt>
              <dd>{conn.health.lastFinishedAt ? formatDateTime(conn.health.lastFinishedAt) : 'Never'}</dd>
              <dt>Schedule</dt>
              <dd>
                Every {conn.runEveryMinutes} minutes: late after {conn.health.lateAfterMinutes} minutes without a run, failing after {conn.health.failingAfterMinutes}.
              </dd>
              <dt>Failed sign-ins in a row</dt>
              <dd>{formatCount(conn.health.authFailures)}</dd>
              <dt>Company file</dt>
              <dd>{conn.companyFile || 'Whichever file is open in QuickBooks'}</dd>
            </dl>
          </section>
          <section className="panel" aria-labelledby="wc-problems-title" data-testid="wc-problems">
            <h2 id="wc-problems-title">What is wrong</h2>
            {conn.health.problems.length === 0 ? (
              <p className="empty">Nothing: the Web Connector's latest sign-ins and runs went through.</p>
            ) : (
              <ul className="attention-list">
                {conn.health.problems.map((p) => (
                  <li key={p.kind} data-testid={`wc-problem-${p.kind}`}>
                    <h3>{p.title}</h3>
                    <p className="small muted">
                      {formatDateTime(p.at)} — {p.evidence}
                    </p>
                    <p>
                      <strong>What to do:</strong> {p.fix}
                    </p>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="panel" aria-labelledby="wc-queue-title">
            <h2 id="wc-queue-title">Work for QuickBooks</h2>
            <ul className="store-counts">
              <li className="store-count">
                <Link to={queue}>
                  <span className="store-count-value">{formatCount(conn.work.queued + conn.work.inFlight)}</span> <span className="store-count-label">queued</span>
                </Link>
              </li>
              <li className={`store-count ${conn.work.inDoubt > 0 ? 'store-count-warning' : ''}`}>
                <Link to={queue}>
                  <span className="store-count-value">{formatCount(conn.work.inDoubt)}</span> <span className="store-count-label">in doubt</span>
                </Link>
              </li>
              <li className={`store-count ${conn.work.failed > 0 ? 'store-count-error' : ''}`}>
                <Link to={queue}>
                  <span className="store-count-value">{formatCount(conn.work.failed)}</span> <span className="store-count-label">failed</span>
                </Link>
              </li>
            </ul>
            <p className="small muted">In doubt: sent, but the answer was lost; Ledgerlink asks QuickBooks before sending it again, so nothing is posted twice.</p>
          </section>
          <section className="panel" aria-labelledby="wc-runs-title">
            <h2 id="wc-runs-title">Latest runs</h2>
            <Runs runs={conn.health.runs} />
          </section>
        </>
      )}
    </div>
  );
}
