import type { ReactNode } from 'react';
import type { FieldErrors, FieldValues, Path, UseFormReturn } from 'react-hook-form';
import { Field, fieldAria } from '@renderer/components/ui/Field';

/** The form's own error (one that names no field), as an alert. */
export function RootError({ errors }: { errors: FieldErrors }) {
  if (!errors.root) return null;
  return (
    <p role="alert" className="bad">
      {errors.root.message}
    </p>
  );
}

/** A labelled text input of a contract form, with its error under it. */
export function TextField<T extends FieldValues>(props: {
  form: UseFormReturn<T, unknown, FieldValues>;
  name: Path<T>;
  id: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  autoComplete?: string;
  hint?: string;
  setValueAs?: (v: string) => unknown;
}) {
  const error = props.form.formState.errors[props.name];
  const message = typeof error?.message === 'string' ? error.message : undefined;
  return (
    <Field
      className="dir-field"
      id={props.id}
      label={props.label}
      error={message}
      {...(props.hint ? { hint: props.hint } : {})}
    >
      <input
        {...(props.type && props.type !== 'text' ? { type: props.type } : {})}
        {...(props.autoComplete ? { autoComplete: props.autoComplete } : {})}
        {...props.form.register(props.name, props.setValueAs ? { setValueAs: props.setValueAs } : {})}
        {...fieldAria(props.id, error, Boolean(props.hint))}
      />
    </Field>
  );
}

/** A labelled select of a contract form over a fixed list (plans, roles, levels), or given options. */
export function SelectField<T extends FieldValues>(props: {
  form: UseFormReturn<T, unknown, FieldValues>;
  name: Path<T>;
  id: string;
  label: string;
  values?: readonly string[];
  children?: ReactNode;
  describe?: boolean;
}) {
  const error = props.form.formState.errors[props.name];
  const message = typeof error?.message === 'string' ? error.message : undefined;
  return (
    <Field className="dir-field" id={props.id} label={props.label} error={message}>
      <select
        {...props.form.register(props.name)}
        {...(props.describe ? fieldAria(props.id, error) : { id: props.id })}
      >
        {props.children}
        {props.values?.map((v) => (
          <option key={v}>{v}</option>
        ))}
      </select>
    </Field>
  );
}
