import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { listChannels } from '../shared/contract';
import { fail } from '../shared/result';
import type { Dispatch } from './engine/dispatch';

/**
 * Binds every contract channel to ipcMain.handle. Before a handler runs: the sender must be the
 * main frame of our own renderer (its URL checked against `isTrustedUrl`); then the dispatch
 * validates input and maps errors to `{code, message}` so that no stack crosses to the renderer.
 */
export function bindContract(dispatch: Dispatch, isTrustedUrl: (url: string) => boolean): () => void {
  const names = listChannels().map(([name]) => name);
  for (const name of names) {
    ipcMain.handle(name, (event: IpcMainInvokeEvent, input: unknown) => {
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null || !isTrustedUrl(frame.url)) {
        return fail('forbidden', 'this window may not call SSO Desk');
      }
      return dispatch(name, input);
    });
  }
  return () => names.forEach((name) => ipcMain.removeHandler(name));
}
