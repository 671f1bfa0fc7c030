import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { listChannels } from '@shared/contract';
import { fail } from '@shared/result';
import type { Dispatch } from './engine/dispatch';

type Frame = Pick<NonNullable<IpcMainInvokeEvent['senderFrame']>, 'url' | 'parent'>;

/** True only for the main frame of our own renderer: never a subframe, a navigated-away page or a null frame. */
export const isTrustedSender = (frame: Frame | null | undefined, isTrustedUrl: (url: string) => boolean): boolean =>
  !!frame && frame.parent === null && isTrustedUrl(frame.url);

/**
 * Binds every contract channel to ipcMain.handle (VS Code's validatedIpcMain habit). Before a handler
 * runs the sender frame is checked; then the dispatch validates input and maps errors to
 * `{code, message}`, so that no stack crosses to the renderer.
 */
export function bindContract(
  ipc: Pick<IpcMain, 'handle' | 'removeHandler'>,
  dispatch: Dispatch,
  isTrustedUrl: (url: string) => boolean,
): () => void {
  const names = listChannels().map(([name]) => name);
  for (const name of names) {
    ipc.handle(name, (event: IpcMainInvokeEvent, input: unknown) => {
      if (!isTrustedSender(event.senderFrame, isTrustedUrl))
        return fail('forbidden', 'this window may not call SSO Desk');
      return dispatch(name, input);
    });
  }
  return () => names.forEach((name) => ipc.removeHandler(name));
}
