// The rule editor: loads a rule (or a template, or nothing), keeps the draft and its problems,
// saves it, and composes the form sections and the live preview from components/rules.
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { graphql, type GraphQLError } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { ActionsEditor } from '../components/rules/ActionEditor';
import { ConditionsEditor } from '../components/rules/ConditionEditor';
import { PreviewPanel } from '../components/rules/PreviewPanel';
import { RuleBasicsFields, SaveFeedback } from '../components/rules/RuleFormSections';
import { formatDateTime } from '../format';
import { CREATE_RULE_MUTATION, RULE_FIELDS_QUERY, RULE_QUERY, RULE_TEMPLATES_QUERY, UPDATE_RULE_MUTATION } from '../graphql/rules';
import type { Rule, RuleField, RuleTemplate } from '../graphql/schema';
import { Link, useLocation, useNavigate, useParams } from '../router';
import {
  catalogueOf,
  emptyForm,
  fieldInPipelines,
  formFromRule,
  pathWithin,
  placeOf,
  problemsOf,
  toRuleInput,
  type Problem,
  type RuleForm,
} from '../rulesForm';
import { useSignedIn } from '../session';
import { toGraphQLError, useQuery } from '../useQuery';
import { useTitle } from '../useTitle';
import { READ_ONLY_NOTICE } from './RulesPage';

export { CONFLICT_MESSAGE } from '../components/rules/RuleFormSections';
export { ORDER_SEARCH_DEBOUNCE_MS, PREVIEW_DEBOUNCE_MS, PREVIEW_ORDER_COUNT } from '../components/rules/PreviewPanel';

type SavedRule = Pick<Rule, 'id' | 'position' | 'version' | 'createdAt' | 'updatedAt' | 'name' | 'enabled' | 'pipelines' | 'match' | 'conditions' | 'actions'>;


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
              <RuleBasicsFields form={form} problems={problems} edit={edit} />
              <ConditionsEditor form={form} catalogue={catalogue} fields={fields} problems={problems} edit={edit} editRows={editRows} />
              <ActionsEditor form={form} catalogue={catalogue} fields={fields} problems={problems} edit={edit} editRows={editRows} />
            </fieldset>

            <SaveFeedback
              general={general}
              unplaced={problems.length > general.length && saveProblems.length > 0}
              conflict={conflict}
              saveError={saveError}
              onReload={() => setLoadAttempt((n) => n + 1)}
            />
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
