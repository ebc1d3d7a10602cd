import { useState } from 'react';
import { graphql } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { BackLink } from '../components/Layout';
import { DataTable, EmptyList, LoadMore } from '../components/list/ListKit';
import { JsonDiff } from '../components/JsonDiff';
import { prettyJson } from '../components/JsonViewer';
import { formatCount, formatDateTime } from '../format';
import {
  RULE_HISTORY_QUERY,
  RESTORE_RULE_VERSION_MUTATION,
} from '../graphql/rules';
import { Link, useParams } from '../router';
import { CHANGE_LABEL } from '../rulesForm';
import { useSignedIn } from '../session';
import { toGraphQLError } from '../useQuery';
import { usePagedConnection, type NodeOf } from '../usePagedConnection';
import { useTitle } from '../useTitle';
import { READ_ONLY_NOTICE } from './RulesPage';
import type { RestoreRuleVersionMutation, RuleHistoryQuery } from '../graphql/operations';

export const HISTORY_PAGE_SIZE = 50;

type VersionRow = NodeOf<RuleHistoryQuery['ruleHistory']>;

const CHANGE_TONE: Record<string, string> = { DELETE: 'error', RESTORE: 'warning', CREATE: 'ok', IMPORT: 'ok' };

function nameIn(snapshot: string | null): string | null {
  if (!snapshot) return null;
  try {
    const v = JSON.parse(snapshot) as { name?: unknown };
    return typeof v.name === 'string' ? v.name : null;
  } catch {
    return null;
  }
}

/** The rule's top-level fields whose values differ between two snapshots, in the newer one's order. */
export function changedFields(before: string | null, after: string | null): string[] {
  const parse = (text: string | null): Record<string, unknown> => {
    if (!text) return {};
    try {
      const v = JSON.parse(text) as unknown;
      return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };
  const a = parse(before);
  const b = parse(after);
  const keys = [...Object.keys(b), ...Object.keys(a).filter((k) => !(k in b))];
  return keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

/** What one change did to the rule: the fields it changed, and the rule before and after as a diff. */
function VersionChange({ before, after, version }: { before: string | null; after: string | null; version: number }) {
  const fields = before && after ? changedFields(before, after) : [];
  let summary = 'What changed';
  if (!before) summary = 'The rule as created';
  else if (!after) summary = 'The rule before it was deleted';
  return (
    <>
      {before && after && (
        <p className="small" data-testid="version-fields">
          {fields.length ? `Changed: ${fields.join(', ')}` : 'No field changed.'}
        </p>
      )}
      <details className="json-viewer" data-testid="version-diff">
        <summary>{summary}</summary>
        <JsonDiff
          before={before ? prettyJson(before) : ''}
          after={after ? prettyJson(after) : ''}
          leftLabel={before ? `Before version ${version}` : 'Before'}
          rightLabel={after ? `Version ${version}` : 'Deleted'}
          wholeLabel="Show the whole rule"
          unchanged="This change left the rule as it was."
        />
      </details>
    </>
  );
}

export function RuleHistoryPage() {
  const { id = '' } = useParams();
  const session = useSignedIn();
  const readOnly = session.user.role === 'SUPPORT';
  const [confirming, setConfirming] = useState<number | null>(null);
  const [restoring, setRestoring] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [restoreError, setRestoreError] = useState<string | null>(null);

  const list = usePagedConnection<RuleHistoryQuery, VersionRow>({
    query: RULE_HISTORY_QUERY,
    variables: (after) => (after ? { id, first: HISTORY_PAGE_SIZE, after } : { id, first: HISTORY_PAGE_SIZE }),
    connection: (d) => d.ruleHistory,
  });
  const { rows, loading, error } = list;

  const restore = async (version: number) => {
    setRestoring(true);
    setRestoreError(null);
    setStatus(null);
    try {
      const { restoreRuleVersion } = await graphql<RestoreRuleVersionMutation>(RESTORE_RULE_VERSION_MUTATION,
        { id, version },
      );
      setConfirming(null);
      setStatus(`Restored version ${version}: “${restoreRuleVersion.name}” is now version ${restoreRuleVersion.version}.`);
      list.reload();
    } catch (err) {
      const e = toGraphQLError(err);
      setRestoreError(e.code === 'FORBIDDEN' ? 'You do not have permission to restore rules.' : e.message || 'Something went wrong.');
    } finally {
      setRestoring(false);
    }
  };

  const newest = rows[0];
  const name = nameIn(newest?.after ?? null) ?? nameIn(newest?.before ?? null);
  const deleted = newest?.change === 'DELETE';
  useTitle(name ? `History of ${name}` : 'Rule history');

  return (
    <div className="page">
      <BackLink to="/rules" label="Rules">
        {!deleted && rows.length > 0 && (
          <>
            {' · '}
            <Link to={`/rules/${encodeURIComponent(id)}`}>Open the rule</Link>
          </>
        )}
      </BackLink>
      <header className="page-header">
        <h1>History{name ? ` of “${name}”` : ''}</h1>
        <p className="muted">Every change of this rule, newest first. Restoring a version saves it again as a new version.</p>
      </header>
      {readOnly && <p className="notice">{READ_ONLY_NOTICE}</p>}
      {deleted && <p className="notice">This rule is deleted. Restore a version to bring it back in its old place.</p>}
      <p className="status-line" role="status">
        {status}
      </p>
      {restoreError && (
        <p className="alert alert-error" role="alert">
          Could not restore: {restoreError}
        </p>
      )}
      {error && <ErrorNotice error={error} onRetry={list.reload} prefix="Could not load the history:" />}

      <section className="panel" aria-busy={loading}>
        <p className="result-count">
          {loading ? 'Loading…' : list.loaded ? `${formatCount(list.totalCount)} ${list.totalCount === 1 ? 'change' : 'changes'}` : ''}
        </p>
        <DataTable
          rows={rows}
          region="Rule versions"
          columns={[{ label: 'Version', className: 'num' }, 'Change', 'Who', 'When', 'Rule', { label: 'Restore', hidden: true }]}
        >
          {(v, i) => {
            const snapshot = v.after ?? v.before;
            // The newest version is what the rule is now; restoring it would change nothing.
            const canRestore = !readOnly && v.after !== null && !(i === 0 && !deleted);
            return (
              <tr key={v.id} data-testid={`rule-version-${v.version}`}>
                <td className="num">{v.version}</td>
                <td>
                  <span className={`badge badge-${CHANGE_TONE[v.change] ?? 'info'}`}>{CHANGE_LABEL[v.change]}</span>
                </td>
                <td>{v.actor}</td>
                <td className="nowrap">
                  <time dateTime={v.createdAt}>{formatDateTime(v.createdAt)}</time>
                </td>
                <td>
                  {snapshot ? <VersionChange before={v.before} after={v.after} version={v.version} /> : <span className="muted">—</span>}
                </td>
                <td className="actions">
                  {canRestore &&
                    (confirming === v.version ? (
                      <span className="confirm">
                        Make the rule what it was after version {v.version}?
                        <button type="button" className="button button-small button-primary" disabled={restoring} onClick={() => void restore(v.version)}>
                          Yes, restore
                        </button>
                        <button type="button" className="button button-small" onClick={() => setConfirming(null)}>
                          Cancel
                        </button>
                      </span>
                    ) : (
                      <button type="button" className="button button-small" onClick={() => setConfirming(v.version)}>
                        Restore this version
                      </button>
                    ))}
                </td>
              </tr>
            );
          }}
        </DataTable>
        <EmptyList list={list}>No changes recorded for this rule.</EmptyList>
        <LoadMore list={list} onLoadMore={list.loadMore} />
      </section>
    </div>
  );
}
