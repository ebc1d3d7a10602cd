import { useId, useState, type FormEvent } from 'react';
import { graphql } from '../api';
import { ErrorNotice, FormAlert, LoadStatus } from '../components/ErrorNotice';
import { DataTable, EmptyList, InlineInput, InlineSelect, LoadMore, ResultCount } from '../components/list/ListKit';
import { downloadTextFile } from '../download';
import { formatCount, formatDateTime } from '../format';
import {
  DELETE_RULE_MUTATION,
  EXPORT_RULES_QUERY,
  IMPORT_RULES_MUTATION,
  REORDER_RULES_MUTATION,
  RULES_QUERY,
  RULE_IDS_QUERY,
  RULE_TEMPLATES_QUERY,
  SET_RULE_ENABLED_MUTATION,
} from '../graphql/rules';
import type { ImportRulesPayload, RulePipeline } from '../graphql/schema';
import { RulePipelineValues } from '../graphql/schema';
import { Link, useNavigate } from '../router';
import { PIPELINE_LABEL, problemsOf, splitImportPath, type Problem } from '../rulesForm';
import { useSignedIn } from '../session';
import { toGraphQLError, useQuery } from '../useQuery';
import { usePagedConnection, type NodeOf } from '../usePagedConnection';
import { useTitle } from '../useTitle';
import type { ExportRulesQuery, ImportRulesMutation, RuleIdsQuery, RuleTemplatesQuery, RulesQuery, SetRuleEnabledMutation } from '../graphql/operations';
import { useSearchBox } from '../components/list/useSearchBox';
import { useSearchFilter } from '../components/list/useSearchFilter';

export const RULES_PAGE_SIZE = 100;
export const SEARCH_DEBOUNCE_MS = 300;
export const EXPORT_FILE_NAME = 'ledgerlink-rules.json';
export const EMPTY_RULES = 'No rules yet. The rules that shape how orders are posted to QuickBooks appear here.';
export const READ_ONLY_NOTICE = 'Support view: rules are shown read-only.';

type GridRule = NodeOf<RulesQuery['rules']>;

// ---------------------------------------------------------------------------
// Filters in the URL: ?q=<name>&pipeline=<PIPELINE>

interface RulesFilter {
  search: string;
  pipeline: RulePipeline | null;
}

function parseRulesSearch(search: string): RulesFilter {
  const params = new URLSearchParams(search);
  const raw = (params.get('pipeline') ?? '').toUpperCase();
  const pipeline = (RulePipelineValues as readonly string[]).includes(raw) ? (raw as RulePipeline) : null;
  return { search: params.get('q') ?? '', pipeline };
}

function rulesSearchString(f: RulesFilter): string {
  const params = new URLSearchParams();
  if (f.search) params.set('q', f.search);
  if (f.pipeline) params.set('pipeline', f.pipeline);
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}

export function rulesVariables(f: RulesFilter, after: string | null = null): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  const search = f.search.trim();
  if (search) filter.search = search;
  if (f.pipeline) filter.pipeline = f.pipeline;
  const vars: Record<string, unknown> = { filter, first: RULES_PAGE_SIZE };
  if (after) vars.after = after;
  return vars;
}

/** Every rule id of the account in position order. */
export async function fetchAllRuleIds(): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const vars: Record<string, unknown> = { first: RULES_PAGE_SIZE };
    if (after) vars.after = after;
    const { rules }: RuleIdsQuery = await graphql<RuleIdsQuery>(RULE_IDS_QUERY, vars);
    ids.push(...rules.edges.map((e) => e.node.id));
    if (!rules.pageInfo.hasNextPage || !rules.pageInfo.endCursor) return ids;
    after = rules.pageInfo.endCursor;
  }
}

/** The ids with `id` moved one place up (-1) or down (+1); null when it cannot move. */
export function moveId(ids: readonly string[], id: string, delta: -1 | 1): string[] | null {
  const i = ids.indexOf(id);
  const j = i + delta;
  if (i < 0 || j < 0 || j >= ids.length) return null;
  const out = [...ids];
  out[i] = ids[j]!;
  out[j] = id;
  return out;
}

// ---------------------------------------------------------------------------
// Templates

export function TemplatePicker({ onClose }: { onClose: () => void }) {
  const navigate = useNavigate();
  const { data, error, loading, refetch } = useQuery<RuleTemplatesQuery>(RULE_TEMPLATES_QUERY);
  return (
    <section className="panel" aria-label="Rule templates" data-testid="rule-templates">
      <div className="panel-head">
        <h2>Start from a template</h2>
        <button type="button" className="button button-small" onClick={onClose}>
          Close
        </button>
      </div>
      <LoadStatus error={error} loading={loading} loaded={!!data} onRetry={refetch} prefix="Could not load the templates:" />
      {data && (
        <ul className="template-list">
          {data.ruleTemplates.map((t) => (
            <li key={t.key}>
              <button
                type="button"
                className="button-inline template-name"
                onClick={() => navigate(`/rules/new?template=${encodeURIComponent(t.key)}`)}
              >
                {t.name}
              </button>
              <p className="muted small">{t.description}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

// ---------------------------------------------------------------------------
// Import

interface ImportProblem extends Problem {
  index: number | null;
  ruleName: string | null;
}

function ruleNamesOf(document: string): string[] {
  try {
    const doc = JSON.parse(document) as { rules?: { name?: unknown }[] };
    return Array.isArray(doc.rules) ? doc.rules.map((r) => (typeof r?.name === 'string' ? r.name : '')) : [];
  } catch {
    return [];
  }
}

function readFileText(file: File): Promise<string> {
  if (typeof file.text === 'function') return file.text();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error ?? new Error('could not read the file'));
    reader.readAsText(file);
  });
}

function ImportPanel({ onImported, onClose }: { onImported: (payload: Pick<ImportRulesPayload, 'deleted'> & { count: number }) => void; onClose: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [replace, setReplace] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<ImportProblem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const fileId = useId();

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setProblems([]);
    setError(null);
    if (!file) {
      setError('Choose a rules file (exported from Ledgerlink) first.');
      return;
    }
    setBusy(true);
    let document = '';
    try {
      document = await readFileText(file);
      const data = await graphql<ImportRulesMutation>(IMPORT_RULES_MUTATION, {
        document,
        replace,
      });
      onImported({ deleted: data.importRules.deleted, count: data.importRules.rules.length });
    } catch (err) {
      const ge = toGraphQLError(err);
      const list = problemsOf(ge);
      if (list) {
        const names = ruleNamesOf(document);
        setProblems(
          list.map((p) => {
            const { index, path } = splitImportPath(p.path);
            return { path, message: p.message, index, ruleName: index === null ? null : names[index] || null };
          }),
        );
      } else {
        setError(ge.code === 'FORBIDDEN' ? 'You do not have permission to import rules.' : ge.message || 'The import failed.');
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-label="Import rules">
      <div className="panel-head">
        <h2>Import rules</h2>
        <button type="button" className="button button-small" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="muted">
        Import a file made with Export. Every rule is checked first; if any has a problem, nothing is imported.
      </p>
      <form onSubmit={submit} className="inline-form-row" noValidate>
        <div className="field">
          <label htmlFor={fileId}>Rules file</label>
          <input
            id={fileId}
            type="file"
            accept="application/json,.json"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setProblems([]);
              setError(null);
            }}
          />
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} /> Replace all existing rules
        </label>
        <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Importing…' : 'Import'}
        </button>
      </form>
      <FormAlert message={error} />
      {problems.length > 0 && (
        <div className="alert-block" role="alert" data-testid="import-problems">
          <p>
            Nothing was imported: {problems.length === 1 ? 'one problem' : `${formatCount(problems.length)} problems`} to fix in the
            file.
          </p>
          <ul>
            {problems.map((p, i) => (
              <li key={i} data-testid="import-problem">
                {p.index !== null && (
                  <strong>
                    Rule {p.index + 1}
                    {p.ruleName ? ` “${p.ruleName}”` : ''}
                  </strong>
                )}
                {p.index !== null && ' · '}
                {p.path && <code>{p.path}</code>}
                {p.path && ': '}
                {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

// ---------------------------------------------------------------------------
// The grid

/** The ↑ / ↓ button that moves a rule one place up (-1) or down (1). */
function MoveButton({ name, delta, disabled, onMove }: { name: string; delta: -1 | 1; disabled: boolean; onMove: (delta: -1 | 1) => void }) {
  const way = delta < 0 ? 'up' : 'down';
  return (
    <button
      type="button"
      className="button button-small button-icon"
      aria-label={`Move “${name}” ${way}`}
      title={`Move ${way}`}
      disabled={disabled}
      onClick={() => onMove(delta)}
    >
      {delta < 0 ? '↑' : '↓'}
    </button>
  );
}

function RuleRow({
  rule,
  readOnly,
  isFirst,
  isLast,
  busy,
  onToggle,
  onMove,
  onDelete,
}: {
  rule: GridRule;
  readOnly: boolean;
  isFirst: boolean;
  isLast: boolean;
  busy: boolean;
  onToggle: (enabled: boolean) => void;
  onMove: (delta: -1 | 1) => void;
  onDelete: () => Promise<void>;
}) {
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  return (
    <tr data-testid={`rule-row-${rule.id}`} data-enabled={rule.enabled}>
      <td className="num nowrap">
        <span className="position">{rule.position}</span>
        {!readOnly && (
          <span className="move-buttons">
            <MoveButton name={rule.name} delta={-1} disabled={busy || isFirst} onMove={onMove} />
            <MoveButton name={rule.name} delta={1} disabled={busy || isLast} onMove={onMove} />
          </span>
        )}
      </td>
      <th scope="row">
        <Link to={`/rules/${encodeURIComponent(rule.id)}`}>{rule.name}</Link>
      </th>
      <td>
        {rule.pipelines.map((p) => (
          <span key={p} className="badge badge-info badge-gap">
            {PIPELINE_LABEL[p]}
          </span>
        ))}
      </td>
      <td>
        <label className="switch">
          <input
            type="checkbox"
            checked={rule.enabled}
            disabled={readOnly || busy}
            aria-label={`Enabled: ${rule.name}`}
            onChange={(e) => onToggle(e.target.checked)}
          />
          <span>{rule.enabled ? 'On' : 'Off'}</span>
        </label>
      </td>
      <td className="num">{rule.version}</td>
      <td className="nowrap">
        <time dateTime={rule.updatedAt}>{formatDateTime(rule.updatedAt)}</time>
      </td>
      <td className="actions">
        {confirming ? (
          <span className="confirm">
            Delete “{rule.name}”? Its history stays, so it can be restored.
            <button
              type="button"
              className="button button-small button-danger"
              disabled={deleting}
              onClick={async () => {
                setDeleting(true);
                try {
                  await onDelete();
                } finally {
                  setDeleting(false);
                  setConfirming(false);
                }
              }}
            >
              Yes, delete
            </button>
            <button type="button" className="button button-small" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <>
            <Link className="button button-small" to={`/rules/${encodeURIComponent(rule.id)}`}>
              {readOnly ? 'View' : 'Edit'}
            </Link>{' '}
            <Link className="button button-small" to={`/rules/${encodeURIComponent(rule.id)}/history`}>
              History
            </Link>{' '}
            {!readOnly && (
              <button type="button" className="button button-small button-danger-outline" onClick={() => setConfirming(true)}>
                Delete
              </button>
            )}
          </>
        )}
      </td>
    </tr>
  );
}

export function RulesPage() {
  useTitle('Rules');
  const session = useSignedIn();
  const readOnly = session.user.role === 'SUPPORT';
  const [filter, setFilter] = useSearchFilter('/rules', parseRulesSearch, rulesSearchString);

  const [panel, setPanel] = useState<'templates' | 'import' | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [mutating, setMutating] = useState(false);

  // The search box: typed text goes to the URL after a pause.
  const { text, setText } = useSearchBox(filter, setFilter, SEARCH_DEBOUNCE_MS);

  const list = usePagedConnection<RulesQuery, GridRule>({
    query: RULES_QUERY,
    variables: (after) => rulesVariables(filter, after),
    connection: (d) => d.rules,
  });
  const { rows, setRows, loading, error, reload } = list;

  const failed = (err: unknown, what: string) => {
    const e = toGraphQLError(err);
    setActionError(e.code === 'FORBIDDEN' ? `You do not have permission to ${what}.` : `Could not ${what}: ${e.message || 'something went wrong.'}`);
  };

  const move = async (rule: GridRule, delta: -1 | 1) => {
    setMutating(true);
    setActionError(null);
    setStatus(null);
    try {
      const ids = await fetchAllRuleIds();
      const next = moveId(ids, rule.id, delta);
      if (!next) return;
      await graphql(REORDER_RULES_MUTATION, { ids: next });
      setStatus(`Moved “${rule.name}” ${delta < 0 ? 'up' : 'down'}.`);
      reload();
    } catch (err) {
      failed(err, 'move the rule');
      reload();
    } finally {
      setMutating(false);
    }
  };

  const toggle = async (rule: GridRule, enabled: boolean) => {
    setMutating(true);
    setActionError(null);
    setStatus(null);
    try {
      const { setRuleEnabled } = await graphql<SetRuleEnabledMutation>(SET_RULE_ENABLED_MUTATION, { id: rule.id, enabled });
      setRows((prev) => prev.map((r) => (r.id === rule.id ? setRuleEnabled : r)));
      setStatus(`“${rule.name}” is ${enabled ? 'enabled' : 'disabled'}.`);
    } catch (err) {
      failed(err, enabled ? 'enable the rule' : 'disable the rule');
    } finally {
      setMutating(false);
    }
  };

  const remove = async (rule: GridRule) => {
    setActionError(null);
    setStatus(null);
    try {
      await graphql(DELETE_RULE_MUTATION, { id: rule.id });
      setStatus(`Deleted “${rule.name}”. Its history keeps every version; restore it from there.`);
      reload();
    } catch (err) {
      failed(err, 'delete the rule');
    }
  };

  const exportRules = async () => {
    setActionError(null);
    try {
      const { exportRules: doc } = await graphql<ExportRulesQuery>(EXPORT_RULES_QUERY);
      downloadTextFile(EXPORT_FILE_NAME, doc, 'application/json');
    } catch (err) {
      failed(err, 'export the rules');
    }
  };

  const filtered = Boolean(filter.search.trim() || filter.pipeline);
  const lastPosition = !filtered && list.loaded && !list.hasNextPage ? list.totalCount : null;

  return (
    <div className="page">
      <header className="page-header page-header-actions">
        <div>
          <h1>Rules</h1>
          <p className="muted">
            Rules decide how orders are recorded in QuickBooks: accounts, customers, taxes and fees. They run top to bottom;
            each sees the changes of the ones above it.
          </p>
        </div>
        <div className="header-buttons">
          {!readOnly && (
            <>
              <Link className="button button-primary" to="/rules/new">
                New rule
              </Link>
              <button
                type="button"
                className="button"
                aria-expanded={panel === 'templates'}
                onClick={() => setPanel(panel === 'templates' ? null : 'templates')}
              >
                From template
              </button>
            </>
          )}
          <button type="button" className="button" onClick={exportRules}>
            Export
          </button>
          {!readOnly && (
            <button type="button" className="button" aria-expanded={panel === 'import'} onClick={() => setPanel(panel === 'import' ? null : 'import')}>
              Import
            </button>
          )}
        </div>
      </header>

      {readOnly && <p className="notice">{READ_ONLY_NOTICE}</p>}
      {panel === 'templates' && !readOnly && <TemplatePicker onClose={() => setPanel(null)} />}
      {panel === 'import' && !readOnly && (
        <ImportPanel
          onClose={() => setPanel(null)}
          onImported={({ count, deleted }) => {
            setPanel(null);
            setStatus(
              deleted > 0
                ? `Imported ${formatCount(count)} ${count === 1 ? 'rule' : 'rules'}, replacing ${formatCount(deleted)}.`
                : `Imported ${formatCount(count)} ${count === 1 ? 'rule' : 'rules'}.`,
            );
            reload();
          }}
        />
      )}

      <div className="toolbar">
        <div className="filters">
          <InlineInput id="rules-search" label="Filter by name" type="search" placeholder="e.g. a SKU" value={text} onChange={(e) => setText(e.target.value)} />
          <InlineSelect
            id="rules-pipeline"
            label="Pipeline"
            value={filter.pipeline ?? ''}
            onChange={(e) => setFilter({ ...filter, pipeline: (e.target.value || null) as RulePipeline | null })}
            first={<option value="">All pipelines</option>}
            options={RulePipelineValues.map((p) => ({ value: p, label: PIPELINE_LABEL[p] }))}
          />
        </div>
      </div>

      <p className="status-line" role="status">
        {status}
      </p>
      <FormAlert message={actionError} />
      {error && <ErrorNotice error={error} onRetry={reload} prefix="Could not load the rules:" />}

      <section className="panel" aria-busy={loading} aria-label="My rules">
        <ResultCount list={list} noun={['rule', 'rules']} testId="rules-total" status={false} />
        <EmptyList list={list} testId="empty-state" filtered={filtered && 'rules'}>
          {EMPTY_RULES}
        </EmptyList>
        <DataTable
          rows={rows}
          className="table table-rules"
          region="Rules"
          columns={[
            { label: 'Position', className: 'num' },
            'Name',
            'Pipelines',
            'Enabled',
            { label: 'Version', className: 'num' },
            'Updated',
            { label: 'Actions', hidden: true },
          ]}
        >
          {(rule) => (
            <RuleRow
              key={rule.id}
              rule={rule}
              readOnly={readOnly}
              isFirst={rule.position <= 1}
              isLast={lastPosition !== null && rule.position >= lastPosition}
              busy={mutating}
              onToggle={(enabled) => void toggle(rule, enabled)}
              onMove={(delta) => void move(rule, delta)}
              onDelete={() => remove(rule)}
            />
          )}
        </DataTable>
        <LoadMore list={list} onLoadMore={list.loadMore} />
      </section>
    </div>
  );
}
