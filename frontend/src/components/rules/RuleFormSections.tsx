// The top of the rule form (name, enabled, pipelines) and what a failed save says under it.
import { FormAlert } from '../ErrorNotice';
import type { ReactNode } from 'react';
import type { RuleField } from '../../graphql/schema';
import { RulePipelineValues } from '../../graphql/schema';
import { PIPELINE_LABEL, problemsAt, problemsWithin, type Catalogue, type Problem, type RuleForm } from '../../rulesForm';
import { Problems, invalidProps } from './RuleInputs';

export const CONFLICT_MESSAGE = 'Someone else changed this rule since you opened it, so your changes were not saved.';

/** Name, Enabled and the pipelines the rule runs in. */
export function RuleBasicsFields({
  form,
  problems,
  edit,
}: {
  form: RuleForm;
  problems: readonly Problem[];
  /** Applies an edit; `base` names the part edited. */
  edit: (change: (f: RuleForm) => RuleForm, base?: string) => void;
}) {
  const nameProblems = problemsAt(problems, 'name');
  const pipelineProblems = problemsAt(problems, 'pipelines');
  return (
    <>
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
    </>
  );
}

/** The problems no row shows, the version conflict and any other save error. */
export function SaveFeedback({
  general,
  unplaced,
  conflict,
  saveError,
  onReload,
}: {
  /** Problems that name no field or a row that is not there. */
  general: readonly Problem[];
  /** A save failed with problems shown beside the fields. */
  unplaced: boolean;
  conflict: boolean;
  saveError: string | null;
  onReload: () => void;
}) {
  return (
    <>
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
      {unplaced && (
        <p className="alert alert-error" role="alert">
          The rule was not saved: fix the problems marked above.
        </p>
      )}
      {conflict && (
        <div className="alert alert-error" role="alert" data-testid="conflict">
          <span>
            {CONFLICT_MESSAGE} Reload to see their version (your unsaved changes here are replaced), then make your change again.
          </span>
          <button type="button" className="button button-small" onClick={onReload}>
            Reload the rule
          </button>
        </div>
      )}
      <FormAlert message={saveError} />
    </>
  );
}

/** What the Conditions and the Actions fieldsets are given. */
export type RuleRowsEditorProps = {
  form: RuleForm;
  catalogue: Catalogue;
  fields: readonly RuleField[];
  problems: readonly Problem[];
  /** Applies an edit; `base` names the part edited (e.g. "conditions[1]"). */
  edit: (change: (f: RuleForm) => RuleForm, base?: string) => void;
  /** Adds or removes a row. */
  editRows: (change: (f: RuleForm) => RuleForm) => void;
};

/** What one condition or action row is given besides the row itself. */
export type RuleRowProps<T> = {
  index: number;
  catalogue: Catalogue;
  fields: readonly RuleField[];
  problems: readonly Problem[];
  onChange: (next: T) => void;
  onRemove: () => void;
};

type RowList = 'conditions' | 'actions';
type RowOf<K extends RowList> = RuleForm[K][number];

/**
 * A fieldset over one list of the form (its conditions or its actions): `children` above the
 * rows, one row each from `renderRow` (given the row's problems and its change/remove
 * callbacks, which edit `form[part][i]`), the problems of the list itself, and the add button.
 */
export function RuleRowsFieldset<K extends RowList>({
  part,
  legend,
  addLabel,
  emptyRow,
  form,
  problems,
  edit,
  editRows,
  renderRow,
  children,
}: Pick<RuleRowsEditorProps, 'form' | 'problems' | 'edit' | 'editRows'> & {
  part: K;
  legend: string;
  addLabel: string;
  emptyRow: () => RowOf<K>;
  renderRow: (
    row: RowOf<K>,
    index: number,
    props: { problems: Problem[]; onChange: (next: RowOf<K>) => void; onRemove: () => void },
  ) => ReactNode;
  children?: ReactNode;
}) {
  const rowsOf = (f: RuleForm) => f[part] as RowOf<K>[];
  const withRows = (f: RuleForm, rows: RowOf<K>[]): RuleForm => ({ ...f, [part]: rows });
  return (
    <fieldset className="field-group">
      <legend>{legend}</legend>
      {children}
      <ol className="rule-rows">
        {rowsOf(form).map((row, i) =>
          renderRow(row, i, {
            problems: problemsWithin(problems, `${part}[${i}]`),
            onChange: (next) => edit((f) => withRows(f, rowsOf(f).map((x, k) => (k === i ? next : x))), `${part}[${i}]`),
            onRemove: () => editRows((f) => withRows(f, rowsOf(f).filter((_, k) => k !== i))),
          }),
        )}
      </ol>
      <Problems list={problemsAt(problems, part)} />
      <button type="button" className="button button-small" onClick={() => editRows((f) => withRows(f, [...rowsOf(f), emptyRow()]))}>
        {addLabel}
      </button>
    </fieldset>
  );
}
