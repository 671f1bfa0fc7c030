import type { ReactNode } from 'react';
import * as Dialog from '@radix-ui/react-dialog';
import { useReturnFocus } from '@renderer/components/ui/ConfirmDialog';
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import type { Result } from '@shared/result';

/*
 * The directory's small parts: a modal (Radix Dialog), a labelled field with its error, and the mapping
 * of a call's error to the field it names. Confirmations use the console's one ConfirmDialog.
 */

/** A modal dialog: focus moves in and is trapped, Escape and the Close button close it, focus returns. */
export function Modal(props: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: string;
  children: ReactNode;
}) {
  const returnFocus = useReturnFocus(props.open);
  return (
    <Dialog.Root open={props.open} onOpenChange={props.onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="dir-overlay" />
        <Dialog.Content className="dir-dialog" onCloseAutoFocus={returnFocus}>
          <Dialog.Title>{props.title}</Dialog.Title>
          {props.description ? (
            <Dialog.Description>{props.description}</Dialog.Description>
          ) : (
            <Dialog.Description className="sr-only">{props.title}</Dialog.Description>
          )}
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
 * Puts a failed call's message where it belongs: on the field it names (the contract's errors carry
 * the path), else in the form's root error.
 */
export function applyServerError<T extends FieldValues>(
  r: Result<unknown>,
  setError: UseFormSetError<T>,
  fields: readonly string[],
): boolean {
  if (r.ok) return false;
  const field = r.error.field?.split('.')[0];
  const message =
    field && r.error.message.startsWith(`${r.error.field}: `)
      ? r.error.message.slice(r.error.field!.length + 2)
      : r.error.message;
  if (field && fields.includes(field)) setError(field as Path<T>, { type: 'server', message });
  else setError('root' as Path<T>, { type: 'server', message: r.error.message });
  return true;
}

export const when = (ms: number | null): string => (ms === null ? '' : new Date(ms).toLocaleString());
