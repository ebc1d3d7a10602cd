// Labelled form fields: the label, the control, a hint and the error under it (with the
// control's aria-invalid / aria-describedby pointing at it), checkboxes inside their label, and
// the number-of-minutes box of schedules. Every form of the SPA builds its fields from these.
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from 'react';
import { FieldError, invalidProps } from './PostingSettingsFields';

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

/** A schedule's interval in whole minutes, 1 to 1440 (a day). */
export function MinutesField(props: Omit<TextFieldProps, 'type' | 'inputMode' | 'min' | 'max' | 'step'>) {
  return <TextField className="field-narrow" {...props} type="number" inputMode="numeric" min={1} max={1440} step={1} />;
}
