// The pieces a settings section shares: a form of its own with checked fields (useSettingsForm),
// labelled fields with their hint and error, checkbox-gated options, and the save bar (the
// form's error, the "saved" status line and the Save button). Used by a store's Settings,
// Inventory sync and Sync Orders from QuickBooks, and by the wizards that set the same fields.
import { useId, useState, type FormEvent, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';
import type { GraphQLError } from '../../api';
import { toGraphQLError } from '../../useQuery';
import { FormAlert } from '../ErrorNotice';
import { FieldError, invalidProps, type FieldErrors } from '../PostingSettingsFields';

export { FieldError, invalidProps, type FieldErrors };

/** Sets one field of a form. */
export type SetField<F> = <K extends keyof F>(field: K, value: F[K]) => void;

/** What a section's fields need of its form: the values, a setter, the errors by field and unique ids. */
export interface FieldsProps<F, K extends string = Extract<keyof F, string>> {
  form: F;
  set: SetField<F>;
  errors: FieldErrors<K>;
  /** The element id of a field, unique on the page. */
  id: (field: string) => string;
}

/** The fields of F that hold text. */
export type TextKey<F> = Extract<{ [K in keyof F]: F[K] extends string ? K : never }[keyof F], string>;

/** A text field's id, value, onChange and error, bound to one field of the form. */
export function bindText<F, K extends string>(p: FieldsProps<F, K>, field: TextKey<F> & K) {
  return {
    id: p.id(field),
    value: p.form[field] as string,
    onChange: (v: string) => p.set(field, v as F[typeof field]),
    error: p.errors[field],
  };
}

interface SettingsFormOptions<F, K extends string> {
  initial: () => F;
  /** What the form would be refused for, by field; nothing is sent while there is any. */
  problems: (form: F) => FieldErrors<K>;
  /** Sends the form; returns the form as saved (defaults filled in) and the status line to show. */
  save: (form: F) => Promise<{ form: F; saved: string }>;
  /** The field a BAD_USER_INPUT refusal is about and the message to show under it; null: shown above Save. */
  refusedField: (error: GraphQLError) => { field: K; message: string } | null;
  /** Shown when the server answers FORBIDDEN. */
  forbidden: string;
}

/**
 * A settings form's state and its submit: checks the form locally first (errors under the fields,
 * nothing sent), then saves; a refusal lands under the field it names, anything else above Save.
 */
export function useSettingsForm<F, K extends string = Extract<keyof F, string>>(opts: SettingsFormOptions<F, K>) {
  const [form, setForm] = useState<F>(opts.initial);
  const [errors, setErrors] = useState<FieldErrors<K>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const uid = useId();
  const id = (field: string) => `${uid}-${field}`;
  const set: SetField<F> = (field, value) => setForm((prev) => ({ ...prev, [field]: value }));

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setSaved(null);
    setFormError(null);
    const local = opts.problems(form);
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    try {
      const done = await opts.save(form);
      setForm(done.form);
      setSaved(done.saved);
    } catch (err) {
      const g = toGraphQLError(err);
      const refused = g.code === 'BAD_USER_INPUT' ? opts.refusedField(g) : null;
      if (refused) setErrors({ [refused.field]: refused.message } as FieldErrors<K>);
      else setFormError(g.code === 'FORBIDDEN' ? opts.forbidden : g.message || 'Something went wrong.');
    } finally {
      setBusy(false);
    }
  };

  return { form, set, errors, id, busy, formError, saved, submit };
}

interface FieldProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  /** data-testid of the hint, for hints that carry a state (loading, could not read…). */
  hintTestId?: string;
  error?: string;
  /** Extra classes beside "field", e.g. "field-narrow". */
  className?: string;
  children: ReactNode;
}

/** A labelled control with its hint and its error under it. The control sets its own id and invalidProps. */
export function Field({ id, label, hint, hintTestId, error, className, children }: FieldProps) {
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <span className="field-hint" data-testid={hintTestId}>
          {hint}
        </span>
      )}
      <FieldError error={error} id={id} />
    </div>
  );
}

type TextFieldProps = Omit<FieldProps, 'children'> &
  Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange' | 'className'> & {
    value: string;
    onChange: (value: string) => void;
  };

/** A labelled text input. */
export function TextField({ id, label, hint, hintTestId, error, className, value, onChange, ...input }: TextFieldProps) {
  return (
    <Field id={id} label={label} hint={hint} hintTestId={hintTestId} error={error} className={className}>
      <input id={id} value={value} onChange={(e) => onChange(e.target.value)} {...input} {...invalidProps(error, id)} />
    </Field>
  );
}

type SelectFieldProps = Omit<FieldProps, 'children'> &
  Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'value' | 'onChange' | 'className'> & {
    value: string;
    onChange: (value: string) => void;
    /** The options. */
    children: ReactNode;
  };

/** A labelled select. */
export function SelectField({ id, label, hint, hintTestId, error, className, value, onChange, children, ...select }: SelectFieldProps) {
  return (
    <Field id={id} label={label} hint={hint} hintTestId={hintTestId} error={error} className={className}>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} {...select} {...invalidProps(error, id)}>
        {children}
      </select>
    </Field>
  );
}

/** Options of a select from values and their labels. */
export function Options<V extends string>({ values, labels }: { values: readonly V[]; labels: Record<V, string> }) {
  return values.map((v) => (
    <option key={v} value={v}>
      {labels[v]}
    </option>
  ));
}

interface CheckboxProps {
  id: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  /** The checkbox's label. */
  children: ReactNode;
}

/** A checkbox inside its label. */
export function Checkbox({ id, checked, onChange, children }: CheckboxProps) {
  return (
    <label className="checkbox" htmlFor={id}>
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {children}
    </label>
  );
}

/** A field of one checkbox under a caption ("Inventory sync", "Direction"…), with an optional hint. */
export function CheckboxField({ caption, hint, ...box }: CheckboxProps & { caption: string; hint?: ReactNode }) {
  return (
    <div className="field">
      <span className="field-label">{caption}</span>
      <Checkbox {...box} />
      {hint && <span className="field-hint">{hint}</span>}
    </div>
  );
}

interface SaveBarProps {
  formError: string | null;
  /** The status line: what the last save did. */
  status: ReactNode;
  statusTestId?: string;
  busy: boolean;
  /** The Save button's words. */
  label: string;
  /** More buttons after Save (Close…). */
  children?: ReactNode;
}

/** The foot of a settings form: its error, the status line and the Save button. */
export function SaveBar({ formError, status, statusTestId, busy, label, children }: SaveBarProps) {
  return (
    <>
      <FormAlert message={formError} />
      <p className="status-line" role="status" data-testid={statusTestId}>
        {status}
      </p>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Saving…' : label}
        </button>
        {children}
      </div>
    </>
  );
}
