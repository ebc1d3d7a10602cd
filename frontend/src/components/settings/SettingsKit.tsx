// The pieces a settings section shares: a form of its own with checked fields (useSettingsForm),
// labelled fields with their hint and error, checkbox-gated options, and the save bar (the
// form's error, the "saved" status line and the Save button). Used by a store's Settings,
// Inventory sync and Sync Orders from QuickBooks, and by the wizards that set the same fields.
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { GraphQLError } from '../../api';
import { toGraphQLError } from '../../useQuery';
import { FormAlert } from '../ErrorNotice';
import { FieldError, invalidProps, type FieldErrors } from '../PostingSettingsFields';

export { FieldError, invalidProps, type FieldErrors };
export { Checkbox, CheckboxField, Field, MinutesField, Options, SelectField, TextField } from '../Fields';

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
