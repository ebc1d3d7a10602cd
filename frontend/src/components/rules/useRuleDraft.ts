// The rule editor's state: loading a rule (or a template, or nothing), the draft form, its
// problems from the server and from the preview, and saving it with the version it loaded.
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { graphql, type GraphQLError } from '../../api';
import { CREATE_RULE_MUTATION, RULE_FIELDS_QUERY, RULE_QUERY, RULE_TEMPLATES_QUERY, UPDATE_RULE_MUTATION } from '../../graphql/rules';
import type { CreateRuleMutation, RuleFieldsQuery, RuleQuery, RuleTemplatesQuery, UpdateRuleMutation } from '../../graphql/operations';
import type { RuleTemplate } from '../../graphql/schema';
import { useNavigate } from '../../router';
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
} from '../../rulesForm';
import { toGraphQLError, useQuery } from '../../useQuery';

/** A rule as the editor loads and saves it. */
export type SavedRule = RuleQuery['rule'];

function dedupe(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.path}\n${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export type LoadState = { status: 'loading' } | { status: 'ready' } | { status: 'error'; error: GraphQLError };

/**
 * The draft of rule `ruleId` (null: a new rule, from `templateKey` when given). `edit` applies
 * a change; `editRows` one that adds or removes a row (the problems naming rows by index no
 * longer apply); `save` creates or updates the rule and, for a new one, moves to its URL.
 */
/** The blank new rule, as saved: a new rule still equal to it has nothing to lose. */
const BLANK_KEY = JSON.stringify(toRuleInput(emptyForm()));

export function useRuleDraft(ruleId: string | null, templateKey: string | null, readOnly: boolean) {
  const navigate = useNavigate();
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

  const fieldsQuery = useQuery<RuleFieldsQuery>(RULE_FIELDS_QUERY, { pipeline: null });
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
      graphql<RuleQuery>(RULE_QUERY, { id: ruleId }, { signal: controller.signal })
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
      graphql<RuleTemplatesQuery>(RULE_TEMPLATES_QUERY, undefined, { signal: controller.signal })
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
        const { updateRule } = await graphql<UpdateRuleMutation>(UPDATE_RULE_MUTATION, {
          id: ruleId,
          input,
          expectedVersion: saved.version,
        });
        setSaved(updateRule);
        setSavedKey(JSON.stringify(input));
        setStatus(`Saved: “${updateRule.name}” is now version ${updateRule.version}.`);
      } else {
        const { createRule } = await graphql<CreateRuleMutation>(CREATE_RULE_MUTATION, { input });
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
  // A new rule is unsaved once it differs from the blank form (a template's draft differs).
  // A saved rule not loaded yet has nothing to lose either.
  const baseline = savedKey ?? (ruleId ? null : BLANK_KEY);
  const dirty = baseline !== null && JSON.stringify(toRuleInput(form)) !== baseline;


  return {
    form,
    saved,
    template,
    load,
    reload: () => setLoadAttempt((n) => n + 1),
    status,
    saving,
    conflict,
    saveError,
    saveProblems,
    setPreviewProblems,
    problems,
    general,
    dirty,
    fieldsQuery,
    catalogue,
    fields,
    edit,
    editRows,
    save,
  };
}
