import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { graphql, type GraphQLError } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { formatDateTime } from '../format';
import type { Order, Rule, RuleField, RuleOperator, RulePipeline, RulePreview, RuleTemplate } from '../graphql/schema';
import { RuleActionTypeValues, RuleOperatorValues, RulePipelineValues } from '../graphql/schema';
import { diffLines, foldUnchanged, sideBySide } from '../jsonDiff';
import { Link, useLocation, useNavigate, useParams } from '../router';
import {
  ACTION_LABEL,
  CUSTOM_PLACEHOLDER,
  CUSTOM_PREFIX,
  OPERATOR_LABEL,
  PIPELINE_LABEL,
  catalogueOf,
  comparesText,
  conditionValueKind,
  emptyAction,
  emptyCondition,
  emptyForm,
  fieldFor,
  fieldInPipelines,
  formFromRule,
  groupFields,
  hasProblem,
  isCustomPath,
  pathWithin,
  placeOf,
  problemsAt,
  problemsOf,
  problemsWithin,
  toRuleInput,
  typeValueKind,
  type ActionForm,
  type Catalogue,
  type ConditionForm,
  type Problem,
  type RuleForm,
  type ValueKind,
} from '../rulesForm';
import { useSignedIn } from '../session';
import { toGraphQLError, useQuery } from '../useQuery';
import { useTitle } from '../useTitle';
import { READ_ONLY_NOTICE, RULE_BODY_FIELDS, RULE_TEMPLATES_QUERY } from './RulesPage';

// ---------------------------------------------------------------------------
// Operations

export const RULE_QUERY = `query Rule($id: ID!) {
  rule(id: $id) { id position version createdAt updatedAt ${RULE_BODY_FIELDS} }
}`;

export const RULE_FIELDS_QUERY = `query RuleFields($pipeline: RulePipeline) {
  ruleFields(pipeline: $pipeline) { path label group type writable enumValues operators list pipelines description }
}`;

const SAVED_FIELDS = `id position version createdAt updatedAt ${RULE_BODY_FIELDS}`;

export const CREATE_RULE_MUTATION = `mutation CreateRule($input: RuleInput!) {
  createRule(input: $input) { ${SAVED_FIELDS} }
}`;

export const UPDATE_RULE_MUTATION = `mutation UpdateRule($id: ID!, $input: RuleInput!, $expectedVersion: Int) {
  updateRule(id: $id, input: $input, expectedVersion: $expectedVersion) { ${SAVED_FIELDS} }
}`;

export const PREVIEW_ORDERS_QUERY = `query PreviewOrders($filter: OrderFilter, $first: Int) {
  orders(filter: $filter, first: $first) { edges { node { id number customerName channel } } }
}`;

export const PREVIEW_RULES_QUERY = `query PreviewRules($orderId: ID!, $draft: RuleInput, $pipeline: RulePipeline!) {
  previewRules(orderId: $orderId, draft: $draft, pipeline: $pipeline) {
    changes { ruleId ruleName ruleVersion fromDraft field before after }
    draftMatched excluded excludeReason before after
  }
}`;

export const PREVIEW_DEBOUNCE_MS = 600;
export const ORDER_SEARCH_DEBOUNCE_MS = 300;
export const PREVIEW_ORDER_COUNT = 20;
export const CONFLICT_MESSAGE = 'Someone else changed this rule since you opened it, so your changes were not saved.';

type SavedRule = Pick<Rule, 'id' | 'position' | 'version' | 'createdAt' | 'updatedAt' | 'name' | 'enabled' | 'pipelines' | 'match' | 'conditions' | 'actions'>;
type PickOrder = Pick<Order, 'id' | 'number' | 'customerName' | 'channel'>;

// ---------------------------------------------------------------------------
// Inputs

function Problems({ list, id }: { list: readonly Problem[]; id?: string }) {
  if (list.length === 0) return null;
  return (
    <div className="problems" id={id}>
      {list.map((p, i) => (
        <p key={`${p.path}-${i}`} className="field-error" role="alert" data-problem-path={p.path}>
          {p.message}
        </p>
      ))}
    </div>
  );
}

const invalidProps = (invalid: boolean) => (invalid ? { 'aria-invalid': true as const } : {});

/** A field of the catalogue, grouped by group; custom.<key> asks for the key. */
function FieldPicker({
  label,
  value,
  catalogue,
  fields,
  onChange,
  invalid,
  emptyLabel = 'Choose a field…',
}: {
  label: string;
  value: string;
  catalogue: Catalogue;
  fields: readonly RuleField[];
  onChange: (path: string) => void;
  invalid: boolean;
  emptyLabel?: string;
}) {
  const custom = isCustomPath(catalogue, value);
  const selected = custom ? CUSTOM_PLACEHOLDER : value;
  const known = selected === '' || fields.some((f) => f.path === selected);
  const groups = groupFields(fields);
  return (
    <span className="field-picker">
      <select
        aria-label={label}
        value={selected}
        onChange={(e) => onChange(e.target.value === CUSTOM_PLACEHOLDER ? CUSTOM_PREFIX : e.target.value)}
        {...invalidProps(invalid)}
      >
        <option value="">{emptyLabel}</option>
        {!known && <option value={selected}>{selected} (not available here)</option>}
        {groups.map((g) => (
          <optgroup key={g.group} label={g.group}>
            {g.fields.map((f) => (
              <option key={f.path} value={f.path} title={f.description}>
                {f.label} ({f.path})
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      {custom && (
        <input
          aria-label={`${label} key`}
          className="input-compact"
          placeholder="key, e.g. gift_message"
          value={value.slice(CUSTOM_PREFIX.length)}
          onChange={(e) => onChange(CUSTOM_PREFIX + e.target.value.trim())}
          {...invalidProps(invalid)}
        />
      )}
    </span>
  );
}

/** A value typed by its field: a choice list, yes/no, an amount, a number, a date or text. */
function ValueInput({
  kind,
  field,
  label,
  value,
  onChange,
  invalid,
  placeholder,
}: {
  kind: ValueKind;
  field: RuleField | undefined;
  label: string;
  value: string;
  onChange: (v: string) => void;
  invalid: boolean;
  placeholder?: string;
}) {
  const common = { 'aria-label': label, value, ...invalidProps(invalid) };
  switch (kind) {
    case 'none':
      return null;
    case 'enum': {
      const options = field?.enumValues ?? [];
      return (
        <select {...common} onChange={(e) => onChange(e.target.value)}>
          <option value="">Choose…</option>
          {value && !options.includes(value) && <option value={value}>{value}</option>}
          {options.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      );
    }
    case 'boolean':
      return (
        <select {...common} onChange={(e) => onChange(e.target.value)}>
          <option value="">Choose…</option>
          <option value="true">true (yes)</option>
          <option value="false">false (no)</option>
        </select>
      );
    case 'money':
      return <input {...common} inputMode="decimal" placeholder={placeholder ?? '12.30'} onChange={(e) => onChange(e.target.value)} />;
    case 'integer':
      return <input {...common} type="number" step={1} placeholder={placeholder ?? '3'} onChange={(e) => onChange(e.target.value)} />;
    case 'date':
      return <input {...common} placeholder={placeholder ?? '2026-11-23'} title="A UTC day (2026-11-23) or a timestamp (2026-11-23T15:04:05Z)" onChange={(e) => onChange(e.target.value)} />;
    case 'list':
      return <input {...common} placeholder={placeholder ?? 'a, b, c'} onChange={(e) => onChange(e.target.value)} />;
    default:
      return <input {...common} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} />;
  }
}

// ---------------------------------------------------------------------------
// Conditions

function ConditionRow({
  index,
  condition: c,
  catalogue,
  fields,
  problems,
  onChange,
  onRemove,
}: {
  index: number;
  condition: ConditionForm;
  catalogue: Catalogue;
  fields: readonly RuleField[];
  problems: readonly Problem[];
  onChange: (next: ConditionForm) => void;
  onRemove: () => void;
}) {
  const base = `conditions[${index}]`;
  const n = index + 1;
  const field = fieldFor(catalogue, c.field);
  const operators: readonly RuleOperator[] = field ? field.operators : RuleOperatorValues;
  const kind = conditionValueKind(field, c.operator);

  const setField = (path: string) => {
    const next = fieldFor(catalogue, path);
    let operator = c.operator;
    if (next && !next.operators.includes(operator)) operator = next.operators[0] ?? 'EQUALS';
    const sameKind =
      typeValueKind(next) === typeValueKind(field) && (next?.enumValues ?? []).join('\n') === (field?.enumValues ?? []).join('\n');
    onChange({
      ...c,
      field: path,
      operator,
      value: sameKind ? c.value : '',
      values: sameKind ? c.values : '',
      caseSensitive: comparesText(next) ? c.caseSensitive : false,
    });
  };

  return (
    <li className="rule-row" data-testid={`condition-${index}`}>
      <div className="rule-row-inputs">
        <span className="row-number" aria-hidden="true">
          {n}
        </span>
        <FieldPicker
          label={`Condition ${n} field`}
          value={c.field}
          catalogue={catalogue}
          fields={fields}
          onChange={setField}
          invalid={hasProblem(problems, base, 'field')}
        />
        <select
          aria-label={`Condition ${n} operator`}
          value={c.operator}
          onChange={(e) => onChange({ ...c, operator: e.target.value as RuleOperator })}
          {...invalidProps(hasProblem(problems, base, 'op'))}
        >
          {!operators.includes(c.operator) && <option value={c.operator}>{OPERATOR_LABEL[c.operator]}</option>}
          {operators.map((op) => (
            <option key={op} value={op}>
              {OPERATOR_LABEL[op]}
            </option>
          ))}
        </select>
        {kind === 'list' ? (
          <ValueInput
            kind="list"
            field={field}
            label={`Condition ${n} values`}
            value={c.values}
            onChange={(values) => onChange({ ...c, values })}
            invalid={hasProblem(problems, base, 'values')}
            placeholder={field?.type === 'ENUM' ? field.enumValues.join(', ') : 'a, b, c (comma-separated)'}
          />
        ) : (
          <ValueInput
            kind={kind}
            field={field}
            label={`Condition ${n} value`}
            value={c.value}
            onChange={(value) => onChange({ ...c, value })}
            invalid={hasProblem(problems, base, 'value')}
          />
        )}
        {kind !== 'none' && comparesText(field) && (
          <label className="checkbox small">
            <input
              type="checkbox"
              checked={c.caseSensitive}
              aria-label={`Condition ${n} case-sensitive`}
              onChange={(e) => onChange({ ...c, caseSensitive: e.target.checked })}
            />{' '}
            Case-sensitive
          </label>
        )}
        <button type="button" className="button button-small button-danger-outline" aria-label={`Remove condition ${n}`} onClick={onRemove}>
          Remove
        </button>
      </div>
      {field?.list && <p className="field-hint">A list field: the condition holds when any element satisfies it.</p>}
      <Problems list={problems} />
    </li>
  );
}

// ---------------------------------------------------------------------------
// Actions

function LookupTableEditor({
  action: a,
  n,
  base,
  target,
  problems,
  onChange,
}: {
  action: ActionForm;
  n: number;
  base: string;
  target: RuleField | undefined;
  problems: readonly Problem[];
  onChange: (next: ActionForm) => void;
}) {
  const kind = typeValueKind(target);
  return (
    <div className="lookup-table">
      <table className="table table-compact">
        <thead>
          <tr>
            <th scope="col">When the source is</th>
            <th scope="col">write</th>
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {a.table.map((entry, j) => (
            <tr key={j}>
              <td>
                <input
                  aria-label={`Action ${n} entry ${j + 1} key`}
                  value={entry.key}
                  onChange={(e) => onChange({ ...a, table: a.table.map((x, k) => (k === j ? { ...x, key: e.target.value } : x)) })}
                  {...invalidProps(hasProblem(problems, base, `table[${j}].key`))}
                />
              </td>
              <td>
                <ValueInput
                  kind={kind}
                  field={target}
                  label={`Action ${n} entry ${j + 1} value`}
                  value={entry.value}
                  onChange={(value) => onChange({ ...a, table: a.table.map((x, k) => (k === j ? { ...x, value } : x)) })}
                  invalid={hasProblem(problems, base, `table[${j}].value`)}
                />
              </td>
              <td className="actions">
                <button
                  type="button"
                  className="button button-small"
                  aria-label={`Remove entry ${j + 1} of action ${n}`}
                  onClick={() => onChange({ ...a, table: a.table.filter((_, k) => k !== j) })}
                >
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="button button-small" onClick={() => onChange({ ...a, table: [...a.table, { key: '', value: '' }] })}>
        Add entry
      </button>
      <div className="lookup-options">
        <label className="checkbox small">
          <input
            type="checkbox"
            checked={a.useDefault}
            aria-label={`Action ${n} use a default`}
            onChange={(e) => onChange({ ...a, useDefault: e.target.checked })}
          />{' '}
          When no entry matches, write
        </label>
        {a.useDefault ? (
          <ValueInput
            kind={kind}
            field={target}
            label={`Action ${n} default`}
            value={a.default}
            onChange={(value) => onChange({ ...a, default: value })}
            invalid={hasProblem(problems, base, 'default')}
          />
        ) : (
          <span className="muted small">(no default: the field is left alone)</span>
        )}
        <label className="checkbox small">
          <input
            type="checkbox"
            checked={a.caseSensitive}
            aria-label={`Action ${n} case-sensitive keys`}
            onChange={(e) => onChange({ ...a, caseSensitive: e.target.checked })}
          />{' '}
          Case-sensitive keys
        </label>
      </div>
    </div>
  );
}

function ActionRow({
  index,
  action: a,
  catalogue,
  fields,
  problems,
  onChange,
  onRemove,
}: {
  index: number;
  action: ActionForm;
  catalogue: Catalogue;
  fields: readonly RuleField[];
  problems: readonly Problem[];
  onChange: (next: ActionForm) => void;
  onRemove: () => void;
}) {
  const base = `actions[${index}]`;
  const n = index + 1;
  const target = fieldFor(catalogue, a.field);
  const textOnly = a.type === 'ADD_PREFIX' || a.type === 'ADD_SUFFIX';
  const targets = fields.filter((f) => f.writable && (!textOnly || f.type === 'STRING'));

  const setType = (type: ActionForm['type']) => {
    const next: ActionForm = { ...a, type };
    if (type === 'LOOKUP' && next.table.length === 0) next.table = [{ key: '', value: '' }];
    if (type === 'EXCLUDE') next.field = '';
    onChange(next);
  };

  return (
    <li className="rule-row" data-testid={`action-${index}`}>
      <div className="rule-row-inputs">
        <span className="row-number" aria-hidden="true">
          {n}
        </span>
        <select
          aria-label={`Action ${n} type`}
          value={a.type}
          onChange={(e) => setType(e.target.value as ActionForm['type'])}
          {...invalidProps(hasProblem(problems, base, 'type'))}
        >
          {RuleActionTypeValues.map((t) => (
            <option key={t} value={t}>
              {ACTION_LABEL[t]}
            </option>
          ))}
        </select>
        {a.type !== 'EXCLUDE' && (
          <FieldPicker
            label={`Action ${n} field`}
            value={a.field}
            catalogue={catalogue}
            fields={targets}
            onChange={(field) => onChange({ ...a, field })}
            invalid={hasProblem(problems, base, 'field')}
            emptyLabel="Choose the field to write…"
          />
        )}
        {a.type === 'SET' && (
          <ValueInput
            kind={typeValueKind(target)}
            field={target}
            label={`Action ${n} value`}
            value={a.value}
            onChange={(value) => onChange({ ...a, value })}
            invalid={hasProblem(problems, base, 'value')}
            placeholder="value (empty clears the field)"
          />
        )}
        {textOnly && (
          <input
            aria-label={`Action ${n} value`}
            placeholder={a.type === 'ADD_PREFIX' ? 'text to put in front' : 'text to put after'}
            value={a.value}
            onChange={(e) => onChange({ ...a, value: e.target.value })}
            {...invalidProps(hasProblem(problems, base, 'value'))}
          />
        )}
        {(a.type === 'SET_FROM_FIELD' || a.type === 'LOOKUP') && (
          <>
            <span className="muted small">from</span>
            <FieldPicker
              label={`Action ${n} from`}
              value={a.from}
              catalogue={catalogue}
              fields={fields}
              onChange={(from) => onChange({ ...a, from })}
              invalid={hasProblem(problems, base, 'from')}
              emptyLabel="Choose the source field…"
            />
          </>
        )}
        {a.type === 'EXCLUDE' && (
          <input
            className="input-wide"
            aria-label={`Action ${n} reason`}
            placeholder="Reason shown in the pending queue (optional)"
            value={a.reason}
            onChange={(e) => onChange({ ...a, reason: e.target.value })}
            {...invalidProps(hasProblem(problems, base, 'reason'))}
          />
        )}
        <button type="button" className="button button-small button-danger-outline" aria-label={`Remove action ${n}`} onClick={onRemove}>
          Remove
        </button>
      </div>
      {a.type === 'LOOKUP' && (
        <LookupTableEditor action={a} n={n} base={base} target={target} problems={problems} onChange={onChange} />
      )}
      <Problems list={problems} />
    </li>
  );
}

// ---------------------------------------------------------------------------
// Live preview

function displayValue(v: string): ReactNode {
  return v === '' ? <span className="muted">(empty)</span> : v;
}

function PreviewDiff({ before, after }: { before: string; after: string }) {
  const [whole, setWhole] = useState(false);
  const rows = useMemo(() => sideBySide(diffLines(before.split('\n'), after.split('\n'))), [before, after]);
  const shown = whole ? rows : foldUnchanged(rows);
  const changed = rows.some((r) => r.left?.changed || r.right?.changed);
  return (
    <div className="preview-diff">
      <div className="panel-head">
        <h3>Order before and after</h3>
        <label className="checkbox small">
          <input type="checkbox" checked={whole} onChange={(e) => setWhole(e.target.checked)} /> Show the whole order
        </label>
      </div>
      {!changed && !whole && <p className="muted small">The rules leave the order as it is.</p>}
      <div className="diff-wrap">
        <table className="diff" data-testid="preview-diff">
          <colgroup>
            <col className="diff-no-col" />
            <col />
            <col className="diff-no-col" />
            <col />
          </colgroup>
          <thead>
            <tr>
              <th scope="col" colSpan={2}>
                Before
              </th>
              <th scope="col" colSpan={2}>
                After
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((row, i) =>
              'skipped' in row ? (
                <tr key={i} className="diff-skip">
                  <td colSpan={4}>… {row.skipped} unchanged {row.skipped === 1 ? 'line' : 'lines'}</td>
                </tr>
              ) : (
                <tr key={i}>
                  <td className="diff-no">{row.left?.no ?? ''}</td>
                  <td className={row.left?.changed ? 'diff-line diff-del' : 'diff-line'} data-changed={row.left?.changed || undefined}>
                    {row.left?.text ?? ''}
                  </td>
                  <td className="diff-no">{row.right?.no ?? ''}</td>
                  <td className={row.right?.changed ? 'diff-line diff-add' : 'diff-line'} data-changed={row.right?.changed || undefined}>
                    {row.right?.text ?? ''}
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function PreviewPanel({
  form,
  ruleId,
  onProblems,
}: {
  form: RuleForm;
  ruleId: string | null;
  onProblems: (problems: Problem[]) => void;
}) {
  const [searchText, setSearchText] = useState('');
  const [search, setSearch] = useState('');
  useEffect(() => {
    if (searchText === search) return;
    const id = window.setTimeout(() => setSearch(searchText), ORDER_SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(id);
  }, [searchText, search]);
  const orderVars = useMemo(
    () => ({ first: PREVIEW_ORDER_COUNT, filter: search.trim() ? { search: search.trim() } : {} }),
    [search],
  );
  const orders = useQuery<{ orders: { edges: { node: PickOrder }[] } }>(PREVIEW_ORDERS_QUERY, orderVars);
  const [picked, setPicked] = useState<PickOrder | null>(null);
  const options = orders.data?.orders.edges.map((e) => e.node) ?? [];
  const pickable = picked && !options.some((o) => o.id === picked.id) ? [picked, ...options] : options;

  const [pipelineChoice, setPipelineChoice] = useState<RulePipeline | null>(null);
  const pipeline: RulePipeline =
    pipelineChoice && form.pipelines.includes(pipelineChoice) ? pipelineChoice : (form.pipelines[0] ?? 'ORDERS_TO_QUICKBOOKS');

  const [result, setResult] = useState<RulePreview | null>(null);
  const [error, setError] = useState<GraphQLError | null>(null);
  const [hasProblems, setHasProblems] = useState(false);
  const [running, setRunning] = useState(false);
  const draftKey = JSON.stringify(toRuleInput(form, ruleId));
  const runKey = `${picked?.id ?? ''}|${pipeline}|${draftKey}`;
  const lastRun = useRef('');
  const generation = useRef(0);
  const onProblemsRef = useRef(onProblems);
  onProblemsRef.current = onProblems;

  const run = useCallback(() => {
    if (!picked) return;
    lastRun.current = runKey;
    const gen = ++generation.current;
    setRunning(true);
    graphql<{ previewRules: RulePreview }>(PREVIEW_RULES_QUERY, { orderId: picked.id, draft: JSON.parse(draftKey) as unknown, pipeline })
      .then(({ previewRules }) => {
        if (gen !== generation.current) return;
        setResult(previewRules);
        setError(null);
        setHasProblems(false);
        onProblemsRef.current([]);
      })
      .catch((err: unknown) => {
        if (gen !== generation.current) return;
        const e = toGraphQLError(err);
        const list = problemsOf(e, 'draft.');
        setResult(null);
        if (list) {
          setError(null);
          setHasProblems(true);
          onProblemsRef.current(list);
        } else {
          setError(e);
          setHasProblems(false);
          onProblemsRef.current([]);
        }
      })
      .finally(() => {
        if (gen === generation.current) setRunning(false);
      });
  }, [picked, draftKey, pipeline, runKey]);

  // After each edit (or a new order or pipeline), preview again once typing pauses.
  useEffect(() => {
    if (!picked || lastRun.current === runKey) return;
    const id = window.setTimeout(() => {
      if (lastRun.current !== runKey) run();
    }, PREVIEW_DEBOUNCE_MS);
    return () => window.clearTimeout(id);
  }, [runKey, picked, run]);

  // Leaving the preview takes its problems off the form.
  useEffect(() => () => onProblemsRef.current([]), []);

  const searchId = useId();
  const orderId = useId();
  const pipelineId = useId();
  return (
    <section className="panel preview-panel" aria-labelledby="preview-heading" data-testid="rule-preview">
      <h2 id="preview-heading">Live preview</h2>
      <p className="muted small">
        Runs this rule as it is on screen, unsaved, together with the account’s other enabled rules, on a stored order.
        Nothing is saved or sent.
      </p>
      <div className="preview-controls">
        <div className="field field-inline">
          <label htmlFor={searchId}>Find an order</label>
          <input
            id={searchId}
            type="search"
            placeholder="Order number or customer"
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
          />
        </div>
        <div className="field field-inline">
          <label htmlFor={orderId}>Order</label>
          <select
            id={orderId}
            value={picked?.id ?? ''}
            data-loaded={orders.loading ? undefined : 'true'}
            data-count={options.length}
            onChange={(e) => {
              const o = pickable.find((x) => x.id === e.target.value) ?? null;
              setPicked(o);
              if (!o) {
                setResult(null);
                onProblemsRef.current([]);
              }
            }}
          >
            <option value="">{orders.loading ? 'Loading orders…' : options.length ? 'Choose an order…' : 'No orders found'}</option>
            {pickable.map((o) => (
              <option key={o.id} value={o.id} data-channel={o.channel}>
                {o.number} — {o.customerName || 'no customer'} ({o.channel})
              </option>
            ))}
          </select>
        </div>
        {form.pipelines.length > 1 && (
          <div className="field field-inline">
            <label htmlFor={pipelineId}>Pipeline</label>
            <select id={pipelineId} value={pipeline} onChange={(e) => setPipelineChoice(e.target.value as RulePipeline)}>
              {form.pipelines.map((p) => (
                <option key={p} value={p}>
                  {PIPELINE_LABEL[p]}
                </option>
              ))}
            </select>
          </div>
        )}
        <button type="button" className="button" disabled={!picked || running} onClick={run}>
          {running ? 'Previewing…' : 'Preview'}
        </button>
      </div>
      {orders.error && <ErrorNotice error={orders.error} onRetry={orders.refetch} prefix="Could not load orders:" />}
      {!orders.loading && !orders.error && options.length === 0 && !search.trim() && (
        <p className="muted small" data-testid="preview-no-orders">
          There are no stored orders yet to preview on.
        </p>
      )}
      {error && <ErrorNotice error={error} onRetry={run} prefix="Could not preview:" />}
      {hasProblems && (
        <p className="alert alert-error" role="alert">
          The rule cannot run yet: fix the problems marked in the form.
        </p>
      )}
      {result && (
        <div className="preview-result" aria-live="polite">
          <p className={`preview-matched ${result.draftMatched ? 'preview-yes' : 'preview-no'}`} data-testid="preview-matched" data-matched={result.draftMatched}>
            {result.draftMatched ? 'This rule matches the order.' : 'This rule does not match the order.'}
          </p>
          <h3>Changes</h3>
          {result.changes.length === 0 ? (
            <p className="muted">No rule changed anything.</p>
          ) : (
            <ul className="preview-changes">
              {result.changes.map((ch, i) => (
                <li key={i} data-testid="preview-change" data-from-draft={ch.fromDraft}>
                  <code>{ch.field}</code>: <span className="change-before">{displayValue(ch.before)}</span> →{' '}
                  <span className="change-after">{displayValue(ch.after)}</span>{' '}
                  <span className="muted small">
                    by “{ch.ruleName}” {ch.fromDraft ? (ch.ruleVersion > 0 ? `(this draft of v${ch.ruleVersion})` : '(this draft)') : `v${ch.ruleVersion}`}
                  </span>
                </li>
              ))}
            </ul>
          )}
          <p data-testid="preview-excluded" className={result.excluded ? 'preview-excluded' : 'muted'}>
            {result.excluded ? `Excluded: ${result.excludeReason ?? 'no reason given'}` : 'Not excluded: the order would sync.'}
          </p>
          <PreviewDiff before={result.before} after={result.after} />
        </div>
      )}
    </section>
  );
}

// ---------------------------------------------------------------------------
// The editor

function dedupe(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.path}\n${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

type LoadState = { status: 'loading' } | { status: 'ready' } | { status: 'error'; error: GraphQLError };

export function RuleEditorPage() {
  const { id } = useParams();
  const ruleId = id ?? null;
  const location = useLocation();
  const navigate = useNavigate();
  const session = useSignedIn();
  const readOnly = session.user.role === 'SUPPORT';
  const templateKey = ruleId ? null : new URLSearchParams(location.search).get('template');

  const [form, setForm] = useState<RuleForm>(emptyForm);
  const [saved, setSaved] = useState<SavedRule | null>(null);
  const [template, setTemplate] = useState<Pick<RuleTemplate, 'name' | 'description'> | null>(null);
  const [load, setLoad] = useState<LoadState>({ status: ruleId || templateKey ? 'loading' : 'ready' });
  const [loadAttempt, setLoadAttempt] = useState(0);
  const [saveProblems, setSaveProblems] = useState<Problem[]>([]);
  const [previewProblems, setPreviewProblems] = useState<Problem[]>([]);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [savedKey, setSavedKey] = useState<string | null>(null);
  /** The id createRule just returned: arriving at its URL needs no reload. */
  const justCreated = useRef<string | null>(null);

  useTitle(ruleId ? (saved ? `Rule ${saved.name}` : 'Rule') : 'New rule');

  const fieldsQuery = useQuery<{ ruleFields: RuleField[] }>(RULE_FIELDS_QUERY, { pipeline: null });
  const allFields = useMemo(() => fieldsQuery.data?.ruleFields ?? [], [fieldsQuery.data]);
  const catalogue = useMemo(() => catalogueOf(allFields), [allFields]);
  const fields = useMemo(
    () => (form.pipelines.length ? allFields.filter((f) => fieldInPipelines(f, form.pipelines)) : allFields),
    [allFields, form.pipelines],
  );

  const applyRule = useCallback((rule: SavedRule) => {
    const next = formFromRule(rule);
    setSaved(rule);
    setForm(next);
    setSavedKey(JSON.stringify(toRuleInput(next)));
  }, []);

  // Load the rule, or the template, or start empty.
  useEffect(() => {
    setSaveProblems([]);
    setSaveError(null);
    setConflict(false);
    if (ruleId && justCreated.current === ruleId) {
      justCreated.current = null;
      return;
    }
    const controller = new AbortController();
    if (ruleId) {
      setLoad({ status: 'loading' });
      graphql<{ rule: SavedRule }>(RULE_QUERY, { id: ruleId }, { signal: controller.signal })
        .then(({ rule }) => {
          applyRule(rule);
          setLoad({ status: 'ready' });
        })
        .catch((err: unknown) => {
          if (!controller.signal.aborted) setLoad({ status: 'error', error: toGraphQLError(err) });
        });
    } else if (templateKey) {
      setLoad({ status: 'loading' });
      setSaved(null);
      graphql<{ ruleTemplates: RuleTemplate[] }>(RULE_TEMPLATES_QUERY, undefined, { signal: controller.signal })
        .then(({ ruleTemplates }) => {
          const t = ruleTemplates.find((x) => x.key === templateKey);
          if (t) {
            setForm(formFromRule(t.draft));
            setTemplate({ name: t.name, description: t.description });
          } else {
            setForm(emptyForm());
            setTemplate(null);
            setStatus('That template does not exist any more; start from an empty rule instead.');
          }
          setSavedKey(null);
          setLoad({ status: 'ready' });
        })
        .catch((err: unknown) => {
          if (!controller.signal.aborted) setLoad({ status: 'error', error: toGraphQLError(err) });
        });
    } else {
      setSaved(null);
      setTemplate(null);
      setForm(emptyForm());
      setSavedKey(null);
      setLoad({ status: 'ready' });
    }
    return () => controller.abort();
  }, [ruleId, templateKey, loadAttempt, applyRule]);

  /** Applies an edit; a save problem about the part edited (`base`, e.g. "conditions[1]") is taken as dealt with. */
  const edit = (change: (f: RuleForm) => RuleForm, base?: string) => {
    setStatus(null);
    if (base) setSaveProblems((list) => list.filter((p) => !pathWithin(p.path, base)));
    setForm(change);
  };
  /** Adding or removing a row moves the indexes the problems name: they no longer apply. */
  const editRows = (change: (f: RuleForm) => RuleForm) => {
    setSaveProblems([]);
    setPreviewProblems([]);
    edit(change);
  };

  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (readOnly) return;
    setSaving(true);
    setSaveProblems([]);
    setSaveError(null);
    setConflict(false);
    setStatus(null);
    const input = toRuleInput(form);
    try {
      if (ruleId && saved) {
        const { updateRule } = await graphql<{ updateRule: SavedRule }>(UPDATE_RULE_MUTATION, {
          id: ruleId,
          input,
          expectedVersion: saved.version,
        });
        setSaved(updateRule);
        setSavedKey(JSON.stringify(input));
        setStatus(`Saved: “${updateRule.name}” is now version ${updateRule.version}.`);
      } else {
        const { createRule } = await graphql<{ createRule: SavedRule }>(CREATE_RULE_MUTATION, { input });
        setSaved(createRule);
        setSavedKey(JSON.stringify(input));
        setTemplate(null);
        setStatus(`Saved: “${createRule.name}” is rule ${createRule.position} in the running order.`);
        justCreated.current = createRule.id;
        navigate(`/rules/${encodeURIComponent(createRule.id)}`, { replace: true });
      }
    } catch (err) {
      const ge = toGraphQLError(err);
      const problems = problemsOf(ge);
      if (ge.code === 'CONFLICT') setConflict(true);
      else if (problems) setSaveProblems(problems);
      else if (ge.code === 'FORBIDDEN') setSaveError('You do not have permission to change rules.');
      else setSaveError(ge.message || 'Something went wrong.');
    } finally {
      setSaving(false);
    }
  };

  const problems = dedupe([...saveProblems, ...previewProblems]);
  // A problem naming a row that is not there (any more) is shown with the general ones.
  const general = problems.filter((p) => {
    const place = placeOf(p.path);
    if (place === 'general') return true;
    const m = /^(conditions|actions)\[(\d+)\]/.exec(p.path);
    if (!m) return false;
    const rows = m[1] === 'conditions' ? form.conditions : form.actions;
    return Number(m[2]) >= rows.length;
  });
  const dirty = savedKey !== null ? JSON.stringify(toRuleInput(form)) !== savedKey : !ruleId;

  const heading = ruleId ? (readOnly ? 'Rule' : 'Edit rule') : 'New rule';
  const nameProblems = problemsAt(problems, 'name');
  const pipelineProblems = problemsAt(problems, 'pipelines');

  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/rules">← Rules</Link>
      </p>
      <header className="page-header page-header-actions">
        <div>
          <h1>{heading}</h1>
          {saved && (
            <p className="muted small" data-testid="rule-meta">
              Version {saved.version} · runs {ordinal(saved.position)} · updated {formatDateTime(saved.updatedAt)}
            </p>
          )}
        </div>
        {ruleId && (
          <div className="header-buttons">
            <Link className="button" to={`/rules/${encodeURIComponent(ruleId)}/history`}>
              History
            </Link>
          </div>
        )}
      </header>

      {readOnly && <p className="notice">{READ_ONLY_NOTICE}</p>}
      {template && (
        <p className="notice" data-testid="template-note">
          Started from the template “{template.name}”: {template.description} Change what you need, then save.
        </p>
      )}
      <p className="status-line" role="status">
        {status}
      </p>

      {load.status === 'error' && (
        <ErrorNotice
          error={load.error}
          onRetry={load.error.code === 'NOT_FOUND' ? undefined : () => setLoadAttempt((n) => n + 1)}
          prefix={load.error.code === 'NOT_FOUND' ? 'There is no such rule (it may have been deleted; see its history):' : 'Could not load the rule:'}
        />
      )}
      {fieldsQuery.error && <ErrorNotice error={fieldsQuery.error} onRetry={fieldsQuery.refetch} prefix="Could not load the fields rules can use:" />}
      {load.status === 'loading' && (
        <p className="muted" role="status">
          Loading…
        </p>
      )}

      {load.status === 'ready' && (
        <>
          <form className="panel rule-form" onSubmit={save} noValidate aria-label="Rule">
            <fieldset disabled={readOnly} className="plain-fieldset">
              <div className="rule-form-top">
                <div className="field">
                  <label htmlFor="rule-name">Name</label>
                  <input
                    id="rule-name"
                    value={form.name}
                    maxLength={200}
                    placeholder="e.g. Target → Target store"
                    onChange={(e) => edit((f) => ({ ...f, name: e.target.value }), 'name')}
                    {...invalidProps(nameProblems.length > 0)}
                  />
                  <Problems list={nameProblems} />
                </div>
                <label className="checkbox">
                  <input type="checkbox" checked={form.enabled} onChange={(e) => edit((f) => ({ ...f, enabled: e.target.checked }))} /> Enabled
                </label>
              </div>

              <fieldset className="field-group">
                <legend>Pipelines</legend>
                <div className="checkbox-row">
                  {RulePipelineValues.map((p) => (
                    <label key={p} className="checkbox">
                      <input
                        type="checkbox"
                        checked={form.pipelines.includes(p)}
                        onChange={(e) =>
                          edit((f) => ({
                            ...f,
                            pipelines: e.target.checked
                              ? RulePipelineValues.filter((x) => x === p || f.pipelines.includes(x))
                              : f.pipelines.filter((x) => x !== p),
                          }), 'pipelines')
                        }
                      />{' '}
                      {PIPELINE_LABEL[p]}
                    </label>
                  ))}
                </div>
                <Problems list={pipelineProblems} />
              </fieldset>

              <fieldset className="field-group">
                <legend>Conditions</legend>
                <div className="checkbox-row">
                  <label className="checkbox">
                    <input
                      type="radio"
                      name="rule-match"
                      value="ALL"
                      checked={form.match === 'ALL'}
                      onChange={() => edit((f) => ({ ...f, match: 'ALL' }), 'match')}
                    />{' '}
                    Match ALL conditions
                  </label>
                  <label className="checkbox">
                    <input
                      type="radio"
                      name="rule-match"
                      value="ANY"
                      checked={form.match === 'ANY'}
                      onChange={() => edit((f) => ({ ...f, match: 'ANY' }), 'match')}
                    />{' '}
                    Match ANY condition
                  </label>
                </div>
                <Problems list={problemsAt(problems, 'match')} />
                {form.conditions.length === 0 && <p className="muted small">No conditions: the rule applies to every order.</p>}
                <ol className="rule-rows">
                  {form.conditions.map((c, i) => (
                    <ConditionRow
                      key={c.key}
                      index={i}
                      condition={c}
                      catalogue={catalogue}
                      fields={fields}
                      problems={problemsWithin(problems, `conditions[${i}]`)}
                      onChange={(next) => edit((f) => ({ ...f, conditions: f.conditions.map((x, k) => (k === i ? next : x)) }), `conditions[${i}]`)}
                      onRemove={() => editRows((f) => ({ ...f, conditions: f.conditions.filter((_, k) => k !== i) }))}
                    />
                  ))}
                </ol>
                <Problems list={problemsAt(problems, 'conditions')} />
                <button type="button" className="button button-small" onClick={() => editRows((f) => ({ ...f, conditions: [...f.conditions, emptyCondition()] }))}>
                  Add condition
                </button>
              </fieldset>

              <fieldset className="field-group">
                <legend>Actions</legend>
                <ol className="rule-rows">
                  {form.actions.map((a, i) => (
                    <ActionRow
                      key={a.key}
                      index={i}
                      action={a}
                      catalogue={catalogue}
                      fields={fields}
                      problems={problemsWithin(problems, `actions[${i}]`)}
                      onChange={(next) => edit((f) => ({ ...f, actions: f.actions.map((x, k) => (k === i ? next : x)) }), `actions[${i}]`)}
                      onRemove={() => editRows((f) => ({ ...f, actions: f.actions.filter((_, k) => k !== i) }))}
                    />
                  ))}
                </ol>
                <Problems list={problemsAt(problems, 'actions')} />
                <button type="button" className="button button-small" onClick={() => editRows((f) => ({ ...f, actions: [...f.actions, emptyAction()] }))}>
                  Add action
                </button>
              </fieldset>
            </fieldset>

            {general.length > 0 && (
              <div className="alert-block" role="alert" data-testid="general-problems">
                {general.map((p, i) => (
                  <p key={i}>
                    {p.path && <code>{p.path}</code>}
                    {p.path && ': '}
                    {p.message}
                  </p>
                ))}
              </div>
            )}
            {problems.length > general.length && saveProblems.length > 0 && (
              <p className="alert alert-error" role="alert">
                The rule was not saved: fix the problems marked above.
              </p>
            )}
            {conflict && (
              <div className="alert alert-error" role="alert" data-testid="conflict">
                <span>
                  {CONFLICT_MESSAGE} Reload to see their version (your unsaved changes here are replaced), then make your change again.
                </span>
                <button type="button" className="button button-small" onClick={() => setLoadAttempt((n) => n + 1)}>
                  Reload the rule
                </button>
              </div>
            )}
            {saveError && (
              <p className="alert alert-error" role="alert">
                {saveError}
              </p>
            )}
            {!readOnly && (
              <div className="form-actions">
                <button type="submit" className="button button-primary" disabled={saving} aria-busy={saving}>
                  {saving ? 'Saving…' : 'Save rule'}
                </button>
                {dirty && <span className="muted small">Unsaved changes</span>}
              </div>
            )}
          </form>

          <PreviewPanel form={form} ruleId={ruleId} onProblems={setPreviewProblems} />
        </>
      )}
    </div>
  );
}

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${s}`;
}
