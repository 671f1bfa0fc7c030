import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from 'react';
import * as AlertDialog from '@radix-ui/react-alert-dialog';

export interface ConfirmOptions {
  title: string;
  /** What happens, in words: who is affected and how many. */
  description: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  /** Styles the confirm button as dangerous (it still is not the default focus: Cancel is). */
  destructive?: boolean;
}

/**
 * Where focus goes back to when a dialog closes: the element that had it when the dialog opened. The
 * dialogs of the console open from state, without a Radix Trigger, so Radix has no trigger to return to.
 */
export function useReturnFocus(open: boolean): (event: Event) => void {
  const opener = useRef<HTMLElement | null>(null);
  const wasOpen = useRef(false);
  // Captured while rendering the opening: the element that was focused when the dialog was asked for.
  if (open && !wasOpen.current && typeof document !== 'undefined') {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  }
  wasOpen.current = open;
  return (event: Event) => {
    if (opener.current?.isConnected) {
      event.preventDefault();
      opener.current.focus();
    }
  };
}

/**
 * The console's one confirmation (Radix AlertDialog): focus moves in and is trapped, Cancel has it
 * first (the safe choice), Escape and Cancel close it, and focus returns to what opened it.
 * Controlled: for a one-off question, prefer `useConfirm()`.
 *
 * `stayOpen`: the confirm button does not close the dialog; the caller closes it (`open` false) when
 * the action succeeded, and may show the action's error inside (in `description`) meanwhile.
 * `busy` disables the confirm button (counting what goes, or the action running).
 */
export function ConfirmDialog(
  props: ConfirmOptions & {
    open: boolean;
    onConfirm: () => void;
    onCancel: () => void;
    busy?: boolean;
    stayOpen?: boolean;
  },
) {
  const returnFocus = useReturnFocus(props.open);
  return (
    <AlertDialog.Root open={props.open} onOpenChange={(open) => !open && props.onCancel()}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog-overlay" />
        <AlertDialog.Content className="dialog" onCloseAutoFocus={returnFocus}>
          <AlertDialog.Title className="dialog-title">{props.title}</AlertDialog.Title>
          <AlertDialog.Description asChild>
            <div className="dialog-body">{props.description}</div>
          </AlertDialog.Description>
          <div className="dialog-actions">
            <AlertDialog.Cancel asChild>
              <button type="button">{props.cancelLabel ?? 'Cancel'}</button>
            </AlertDialog.Cancel>
            <AlertDialog.Action asChild>
              <button
                type="button"
                className={props.destructive ? 'danger' : 'primary'}
                disabled={props.busy}
                onClick={(e) => {
                  if (props.stayOpen) e.preventDefault();
                  props.onConfirm();
                }}
              >
                {props.confirmLabel}
              </button>
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}

type Ask = (o: ConfirmOptions) => Promise<boolean>;
const ConfirmContext = createContext<Ask | null>(null);

/** Holds the one confirmation dialog of the app; `useConfirm()` asks through it. */
export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [current, setCurrent] = useState<ConfirmOptions | null>(null);
  const resolver = useRef<((yes: boolean) => void) | null>(null);
  const ask = useCallback<Ask>(
    (o) =>
      new Promise<boolean>((resolve) => {
        resolver.current?.(false);
        resolver.current = resolve;
        setCurrent(o);
      }),
    [],
  );
  const answer = (yes: boolean) => {
    resolver.current?.(yes);
    resolver.current = null;
    setCurrent(null);
  };
  return (
    <ConfirmContext.Provider value={ask}>
      {children}
      {current && <ConfirmDialog {...current} open onConfirm={() => answer(true)} onCancel={() => answer(false)} />}
    </ConfirmContext.Provider>
  );
}

/** `await confirm({title, description, confirmLabel})` → true when confirmed; the in-app replacement of window.confirm. */
export function useConfirm(): Ask {
  const ask = useContext(ConfirmContext);
  if (!ask) throw new Error('useConfirm needs a ConfirmProvider above it');
  return ask;
}
