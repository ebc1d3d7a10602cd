// The live preview beside the rule form: the draft run against a chosen order, as a diff.
import { useCallback, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { graphql, type GraphQLError } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import type { Order, RulePipeline, RulePreview } from '../../graphql/schema';
import { JsonDiff } from '../JsonDiff';
import { InlineInput, InlineSelect } from '../list/ListKit';
import { toGraphQLError, useQuery } from '../../useQuery';
import { useStoreNames } from '../../useStoreNames';
import { PREVIEW_ORDERS_QUERY, PREVIEW_RULES_QUERY } from '../../graphql/rules';
import {
  PIPELINE_LABEL,
  problemsOf,
  toRuleInput,
  type Problem,
  type RuleForm,
} from '../../rulesForm';
import type { PreviewOrdersQuery, PreviewRulesQuery } from '../../graphql/operations';
/** How long the draft must stay unchanged before the preview runs it again. */
export const PREVIEW_DEBOUNCE_MS = 600;
export const ORDER_SEARCH_DEBOUNCE_MS = 300;
export const PREVIEW_ORDER_COUNT = 20;

type PickOrder = Pick<Order, 'id' | 'number' | 'customerName' | 'channel' | 'connectionId'>;


function displayValue(v: string): ReactNode {
  return v === '' ? <span className="muted">(empty)</span> : v;
}

function PreviewDiff({ before, after }: { before: string; after: string }) {
  return (
    <JsonDiff
      before={before}
      after={after}
      heading={<h3>Order before and after</h3>}
      wholeLabel="Show the whole order"
      unchanged="The rules leave the order as it is."
      testId="preview-diff"
    />
  );
}

export function PreviewPanel({
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
  const orders = useQuery<PreviewOrdersQuery>(PREVIEW_ORDERS_QUERY, orderVars);
  // Orders of different stores may share a number: the picker names each one's store.
  const storeName = useStoreNames();
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
    graphql<PreviewRulesQuery>(PREVIEW_RULES_QUERY, { orderId: picked.id, draft: JSON.parse(draftKey) as unknown, pipeline })
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
        <InlineInput
          id={searchId}
          label="Find an order"
          type="search"
          placeholder="Order number or customer"
          value={searchText}
          onChange={(e) => setSearchText(e.target.value)}
        />
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
                {o.number} — {o.customerName || 'no customer'} · {storeName(o.connectionId)}
              </option>
            ))}
          </select>
        </div>
        {form.pipelines.length > 1 && (
          <InlineSelect
            id={pipelineId}
            label="Pipeline"
            value={pipeline}
            onChange={(e) => setPipelineChoice(e.target.value as RulePipeline)}
            options={form.pipelines.map((p) => ({ value: p, label: PIPELINE_LABEL[p] }))}
          />
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
