import * as AlertDialog from '@radix-ui/react-alert-dialog';
import { useRef, type ReactNode } from 'react';
import '../tools.css';

/**
 * An in-app confirmation (Radix AlertDialog): focus moves into it, Escape and Cancel close it, and
 * focus returns to the button that opened it. A local wrapper until the shared ui/ one lands.
 */
export function ConfirmAlert(props: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  children: ReactNode;
  action: string;
  onAction: () => void;
  danger?: boolean;
}) {
  // Opened from a button without a Radix Trigger: remember it, and give focus back to it on close.
  const opener = useRef<Element | null>(typeof document === 'undefined' ? null : document.activeElement);
  return (
    <AlertDialog.Root open={props.open} onOpenChange={props.onOpenChange}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="alert-overlay" />
        <AlertDialog.Content
          className="alert-content"
          onCloseAutoFocus={(e) => {
            if (opener.current instanceof HTMLElement && opener.current.isConnected) {
              e.preventDefault();
              opener.current.focus();
            }
          }}
        >
          <AlertDialog.Title asChild>
            <h2>{props.title}</h2>
          </AlertDialog.Title>
          <AlertDialog.Description asChild>
            <div>{props.children}</div>
          </AlertDialog.Description>
          <div className="alert-actions">
            <AlertDialog.Cancel asChild>
              <button type="button">Cancel</button>
            </AlertDialog.Cancel>
            <AlertDialog.Action asChild>
              <button type="button" className={props.danger ? 'danger' : 'primary'} onClick={props.onAction}>
                {props.action}
              </button>
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
