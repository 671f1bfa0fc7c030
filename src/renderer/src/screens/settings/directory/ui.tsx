import { useRef, type ReactNode } from 'react';
import * as Dialog from '@radix-ui/react-dialog';
import * as AlertDialog from '@radix-ui/react-alert-dialog';
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import type { Result } from '../../../../../shared/result';

/*
 * The directory's small wrappers over Radix primitives. Kept local and thin on purpose: when the
 * console's shared styled components (components/ui) land, these swap for them one import at a time.
 */

/**
 * Where focus goes back to when a dialog closes: the element that had it when the dialog opened (the
 * dialogs here open from state, without a Radix Trigger, so Radix has no trigger to return to).
 */
function useReturnFocus(open: boolean) {
  const opener = useRef<HTMLElement | null>(null);
  const wasOpen = useRef(false);
  // Captured while rendering the opening: the element that was focused when the dialog was asked for.
  if (open && !wasOpen.current) opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  wasOpen.current = open;
  return (event: Event) => {
    if (opener.current?.isConnected) {
      event.preventDefault();
      opener.current.focus();
    }
  };
}

/** A modal dialog: focus moves in and is trapped, Escape and the Close button close it, focus returns. */
export function Modal(props: { open: boolean; onOpenChange: (open: boolean) => void; title: string; description?: string; children: ReactNode }) {
  const returnFocus = useReturnFocus(props.open);
  return (
    <Dialog.Root open={props.open} onOpenChange={props.onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="dir-overlay" />
        <Dialog.Content className="dir-dialog" onCloseAutoFocus={returnFocus}>
          <Dialog.Title>{props.title}</Dialog.Title>
          {props.description ? <Dialog.Description>{props.description}</Dialog.Description> : <Dialog.Description className="sr-only">{props.title}</Dialog.Description>}
          {props.children}
          <Dialog.Close asChild>
            <button type="button" className="dir-close">
              Close
            </button>
          </Dialog.Close>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/**
 * An in-app confirmation that names what will happen. Cancel has the focus first (the safe choice);
 * Escape cancels. `onConfirm` may fail: its message stays in the dialog.
 */
export function Confirm(props: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  children: ReactNode;
  action: string;
  onConfirm: () => void;
  busy?: boolean;
}) {
  const returnFocus = useReturnFocus(props.open);
  return (
    <AlertDialog.Root open={props.open} onOpenChange={props.onOpenChange}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dir-overlay" />
        <AlertDialog.Content className="dir-dialog" onCloseAutoFocus={returnFocus}>
          <AlertDialog.Title>{props.title}</AlertDialog.Title>
          <AlertDialog.Description asChild>
            <div>{props.children}</div>
          </AlertDialog.Description>
          <div className="dir-actions">
            <AlertDialog.Cancel asChild>
              <button type="button">Cancel</button>
            </AlertDialog.Cancel>
            <button
              type="button"
              className="danger"
              disabled={props.busy}
              onClick={(e) => {
                // Stay open until the action answers: the dialog closes itself on success.
                e.preventDefault();
                props.onConfirm();
              }}
            >
              {props.action}
            </button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}

/** A labelled field with its error right below, tied to the input by aria-describedby. */
export function Field(props: { id: string; label: string; error?: string | undefined; hint?: string; children: ReactNode }) {
  return (
    <div className="dir-field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <small id={`${props.id}-hint`} className="muted">
          {props.hint}
        </small>
      )}
      {props.error && (
        <small id={`${props.id}-error`} className="bad" role="alert">
          {props.error}
        </small>
      )}
    </div>
  );
}

/** aria props of an input whose Field may show an error. */
export const describedBy = (id: string, error: unknown, hint = false) => ({
  'aria-invalid': error ? (true as const) : undefined,
  'aria-describedby': [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined,
});

/**
 * Puts a failed call's message where it belongs: on the field it names (the contract's errors carry
 * the path), else in the form's root error.
 */
export function applyServerError<T extends FieldValues>(r: Result<unknown>, setError: UseFormSetError<T>, fields: readonly string[]): boolean {
  if (r.ok) return false;
  const field = r.error.field?.split('.')[0];
  const message = field && r.error.message.startsWith(`${r.error.field}: `) ? r.error.message.slice(r.error.field!.length + 2) : r.error.message;
  if (field && fields.includes(field)) setError(field as Path<T>, { type: 'server', message });
  else setError('root' as Path<T>, { type: 'server', message: r.error.message });
  return true;
}

export const when = (ms: number | null): string => (ms === null ? '' : new Date(ms).toLocaleString());
