// One condition of a rule: field, operator and the value(s) it compares with.
import type { RuleOperator } from '../../graphql/schema';
import { RuleOperatorValues } from '../../graphql/schema';
import {
  OPERATOR_LABEL,
  comparesText,
  conditionValueKind,
  emptyCondition,
  fieldFor,
  hasProblem,
  problemsAt,
  typeValueKind,
  type ConditionForm,
} from '../../rulesForm';
import { FieldPicker, Problems, ValueInput, invalidProps } from './RuleInputs';
import { RuleRowsFieldset, type RuleRowProps, type RuleRowsEditorProps } from './RuleFormSections';


export function ConditionRow({
  index,
  condition: c,
  catalogue,
  fields,
  problems,
  onChange,
  onRemove,
}: RuleRowProps<ConditionForm> & { condition: ConditionForm }) {
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

const MATCH_CHOICES = [
  { match: 'ALL', label: 'Match ALL conditions' },
  { match: 'ANY', label: 'Match ANY condition' },
] as const;

/** The Conditions fieldset: ALL/ANY, one row per condition, and "Add condition". */
export function ConditionsEditor({ form, catalogue, fields, problems, edit, editRows }: RuleRowsEditorProps) {
  return (
    <RuleRowsFieldset
      part="conditions"
      legend="Conditions"
      addLabel="Add condition"
      emptyRow={emptyCondition}
      form={form}
      problems={problems}
      edit={edit}
      editRows={editRows}
      renderRow={(c, i, row) => (
        <ConditionRow key={c.key} index={i} condition={c} catalogue={catalogue} fields={fields} {...row} />
      )}
    >
      <div className="checkbox-row">
        {MATCH_CHOICES.map(({ match, label }) => (
          <label key={match} className="checkbox">
            <input
              type="radio"
              name="rule-match"
              value={match}
              checked={form.match === match}
              onChange={() => edit((f) => ({ ...f, match }), 'match')}
            />{' '}
            {label}
          </label>
        ))}
      </div>
      <Problems list={problemsAt(problems, 'match')} />
      {form.conditions.length === 0 && <p className="muted small">No conditions: the rule applies to every order.</p>}
    </RuleRowsFieldset>
  );
}
