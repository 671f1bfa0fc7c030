import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { bindContract } from '../../src/main/ipc';
import { createDispatch } from '../../src/main/engine/dispatch';
import { createHandlers } from '../../src/main/engine/handlers';
import { listChannels } from '../../src/shared/contract';
import { testContext } from '../helpers';

type Listener = (event: IpcMainInvokeEvent, input: unknown) => unknown;

/** ipcMain's handle/removeHandler, recorded: the binding under test is the real one. */
function fakeIpc() {
  const handlers = new Map<string, Listener>();
  return {
    handlers,
    handle: (name: string, fn: Listener) => void handlers.set(name, fn),
    removeHandler: (name: string) => void handlers.delete(name),
  };
}

const APP = 'file:///opt/sso-desk/out/renderer/index.html';
const event = (url: string, parent: unknown = null) =>
  ({ senderFrame: { url, parent } }) as unknown as IpcMainInvokeEvent;

let t: ReturnType<typeof testContext>;
beforeEach(() => (t = testContext()));
afterEach(() => t.close());

describe('IPC binding (Electron)', () => {
  it('binds every channel and answers the main frame of our own renderer', async () => {
    const ipc = fakeIpc();
    const unbind = bindContract(ipc, createDispatch(createHandlers(t.ctx), t.ctx.log), (u) =>
      u.startsWith('file:///opt/sso-desk/out/renderer/'),
    );
    expect([...ipc.handlers.keys()].sort()).toEqual(
      listChannels()
        .map(([n]) => n)
        .sort(),
    );
    const r = (await ipc.handlers.get('app.info')!(event(APP), undefined)) as {
      ok: boolean;
      value: { dataDir: string };
    };
    expect(r.ok).toBe(true);
    expect(r.value.dataDir).toBe(t.dir);
    unbind();
    expect(ipc.handlers.size).toBe(0);
  });

  it('refuses a foreign page, a subframe and a missing frame before any handler runs', async () => {
    const ipc = fakeIpc();
    bindContract(ipc, createDispatch(createHandlers(t.ctx), t.ctx.log), (u) => u === APP);
    const forbidden = { ok: false, error: { code: 'forbidden', message: 'this window may not call SSO Desk' } };
    expect(await ipc.handlers.get('app.info')!(event('https://evil.example/'), undefined)).toEqual(forbidden);
    expect(await ipc.handlers.get('app.info')!(event(APP, { url: APP }), undefined)).toEqual(forbidden);
    expect(
      await ipc.handlers.get('app.info')!({ senderFrame: null } as unknown as IpcMainInvokeEvent, undefined),
    ).toEqual(forbidden);
  });

  it('validates input like the HTTP transport does', async () => {
    const ipc = fakeIpc();
    bindContract(ipc, createDispatch(createHandlers(t.ctx), t.ctx.log), (u) => u === APP);
    expect(await ipc.handlers.get('app.prefs.set')!(event(APP), { theme: 42 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'theme' },
    });
  });
});
