// The inputs every rule row is built from: a field picker over the catalogue, a value input
// shaped by the field's type, and the problems the server or the preview named for a part.
import type { RuleField } from '../../graphql/schema';
import {
  CUSTOM_PLACEHOLDER,
  CUSTOM_PREFIX,
  groupFields,
  isCustomPath,
  type Catalogue,
  type Problem,
  type ValueKind,
} from '../../rulesForm';


export function Problems({ list, id }: { list: readonly Problem[]; id?: string }) {
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

export const invalidProps = (invalid: boolean) => (invalid ? { 'aria-invalid': true as const } : {});

/** A field of the catalogue, grouped by group; custom.<key> asks for the key. */
export function FieldPicker({
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
export function ValueInput({
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
