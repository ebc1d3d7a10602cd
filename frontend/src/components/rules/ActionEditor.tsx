// One action of a rule: what it sets and how, including the lookup table of a map action.
import type { RuleField } from '../../graphql/schema';
import { RuleActionTypeValues } from '../../graphql/schema';
import {
  ACTION_LABEL,
  emptyAction,
  fieldFor,
  hasProblem,
  typeValueKind,
  type ActionForm,
  type Problem,
} from '../../rulesForm';
import { FieldPicker, Problems, ValueInput, invalidProps } from './RuleInputs';
import { TableHead } from '../list/ListKit';
import { RuleRowsFieldset, type RuleRowProps, type RuleRowsEditorProps } from './RuleFormSections';


export function LookupTableEditor({
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
        <TableHead columns={['When the source is', 'write', { label: 'Remove', hidden: true }]} />
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

export function ActionRow({
  index,
  action: a,
  catalogue,
  fields,
  problems,
  onChange,
  onRemove,
}: RuleRowProps<ActionForm> & { action: ActionForm }) {
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

/** The Actions fieldset: one row per action and "Add action". */
export function ActionsEditor({ form, catalogue, fields, problems, edit, editRows }: RuleRowsEditorProps) {
  return (
    <RuleRowsFieldset
      part="actions"
      legend="Actions"
      addLabel="Add action"
      emptyRow={emptyAction}
      form={form}
      problems={problems}
      edit={edit}
      editRows={editRows}
      renderRow={(a, i, row) => (
        <ActionRow key={a.key} index={i} action={a} catalogue={catalogue} fields={fields} {...row} />
      )}
    />
  );
}
