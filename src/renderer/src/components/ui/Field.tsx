import type { ReactNode } from 'react';

/**
 * The console's one form field: its label, the control, the unit in words beside it, a hint, and an error
 * that names the field by its label ("Proxy URL: must start with http:// or https://"). The control
 * gets its aria wiring from `fieldAria`. `className` places it in its form's layout (`dir-field` in the
 * directory's compact forms).
 */
export function Field(props: {
  id: string;
  label: string;
  unit?: string;
  hint?: ReactNode;
  error?: string | undefined;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={props.className ?? 'settings-field'}>
      <label htmlFor={props.id}>{props.unit ? `${props.label} (${props.unit})` : props.label}</label>
      {props.children}
      {props.hint && (
        <p id={`${props.id}-hint`} className="muted field-hint">
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={`${props.id}-error`} className="field-error" role="alert">
          {withLabel(props.label, props.error)}
        </p>
      )}
    </div>
  );
}

/** `label: message`, unless the message already starts with the label. */
export const withLabel = (label: string, message: string): string =>
  message.startsWith(`${label}:`) ? message : `${label}: ${message}`;

/** The aria props of a control inside a Field. */
export const fieldAria = (id: string, error: unknown, hint = false) => ({
  id,
  'aria-invalid': error ? (true as const) : undefined,
  'aria-describedby': [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined,
});

/**
 * An engine message names a field by its input key ("proxyUrl: must be …"): put the label there
 * instead, so that no internal key reaches the screen.
 */
export function labelMessage(message: string, labels: Record<string, string>): string {
  return message.replace(/^([A-Za-z][A-Za-z0-9.]*): /, (m, key: string) => (labels[key] ? `${labels[key]}: ` : m));
}
