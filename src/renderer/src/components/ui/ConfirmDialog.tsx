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
 * An in-app confirmation (Radix AlertDialog): focus is trapped inside, Escape and Cancel close it,
 * and focus returns to what opened it. Controlled: for a one-off, prefer `useConfirm()`.
 */
export function ConfirmDialog(props: ConfirmOptions & { open: boolean; onConfirm: () => void; onCancel: () => void }) {
  return (
    <AlertDialog.Root open={props.open} onOpenChange={(open) => !open && props.onCancel()}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog-overlay" />
        <AlertDialog.Content className="dialog">
          <AlertDialog.Title className="dialog-title">{props.title}</AlertDialog.Title>
          <AlertDialog.Description asChild>
            <div className="dialog-body">{props.description}</div>
          </AlertDialog.Description>
          <div className="dialog-actions">
            <AlertDialog.Cancel asChild>
              <button type="button">{props.cancelLabel ?? 'Cancel'}</button>
            </AlertDialog.Cancel>
            <AlertDialog.Action asChild>
              <button type="button" className={props.destructive ? 'danger' : 'primary'} onClick={props.onConfirm}>
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
