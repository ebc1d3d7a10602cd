// The rule editor page: the draft (components/rules/useRuleDraft) composed from the form sections
// and the live preview of components/rules.
import { ErrorNotice } from '../components/ErrorNotice';
import { BackLink } from '../components/Layout';
import { ActionsEditor } from '../components/rules/ActionEditor';
import { ConditionsEditor } from '../components/rules/ConditionEditor';
import { PreviewPanel } from '../components/rules/PreviewPanel';
import { RuleBasicsFields, SaveFeedback } from '../components/rules/RuleFormSections';
import { useRuleDraft } from '../components/rules/useRuleDraft';
import { formatDateTime } from '../format';
import { Link, useLocation, useParams } from '../router';
import { useSignedIn } from '../session';
import { useTitle } from '../useTitle';
import { READ_ONLY_NOTICE } from './RulesPage';

export { CONFLICT_MESSAGE } from '../components/rules/RuleFormSections';
export { ORDER_SEARCH_DEBOUNCE_MS, PREVIEW_DEBOUNCE_MS, PREVIEW_ORDER_COUNT } from '../components/rules/PreviewPanel';

export function RuleEditorPage() {
  const { id } = useParams();
  const ruleId = id ?? null;
  const location = useLocation();
  const session = useSignedIn();
  const readOnly = session.user.role === 'SUPPORT';
  const templateKey = ruleId ? null : new URLSearchParams(location.search).get('template');
  const draft = useRuleDraft(ruleId, templateKey, readOnly);
  const { form, saved, template, load, status, problems, general, catalogue, fields, edit, editRows, fieldsQuery } = draft;
  useTitle(ruleId ? (saved ? `Rule ${saved.name}` : 'Rule') : 'New rule');

  const heading = ruleId ? (readOnly ? 'Rule' : 'Edit rule') : 'New rule';

  return (
    <div className="page">
      <BackLink to="/rules" label="Rules" />
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
          onRetry={load.error.code === 'NOT_FOUND' ? undefined : draft.reload}
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
          <form className="panel rule-form" onSubmit={draft.save} noValidate aria-label="Rule">
            <fieldset disabled={readOnly} className="plain-fieldset">
              <RuleBasicsFields form={form} problems={problems} edit={edit} />
              <ConditionsEditor form={form} catalogue={catalogue} fields={fields} problems={problems} edit={edit} editRows={editRows} />
              <ActionsEditor form={form} catalogue={catalogue} fields={fields} problems={problems} edit={edit} editRows={editRows} />
            </fieldset>

            <SaveFeedback
              general={general}
              unplaced={problems.length > general.length && draft.saveProblems.length > 0}
              conflict={draft.conflict}
              saveError={draft.saveError}
              onReload={draft.reload}
            />
            {!readOnly && (
              <div className="form-actions">
                <button type="submit" className="button button-primary" disabled={draft.saving} aria-busy={draft.saving}>
                  {draft.saving ? 'Saving…' : 'Save rule'}
                </button>
                {draft.dirty && <span className="muted small">Unsaved changes</span>}
              </div>
            )}
          </form>

          <PreviewPanel form={form} ruleId={ruleId} onProblems={draft.setPreviewProblems} />
        </>
      )}
    </div>
  );
}

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${s}`;
}
