import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Booted } from '../../src/main/boot';

/**
 * The desktop app's wiring (src/main/index.ts) run against a fake `electron` module: no binary is
 * needed to see which scheme the window loads, which guards every web contents gets, what the
 * session answers, and what a second launch with an sso-desk:// link does. The engine behind it is
 * real (a booted world in a temp dir).
 */
const h = vi.hoisted(() => ({
  order: [] as string[],
  booted: [] as Booted[],
  opened: [] as string[],
  dirs: [] as string[],
}));

vi.mock('../../src/main/boot', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/main/boot')>();
  return {
    ...real,
    boot: async (opts: Parameters<typeof real.boot>[0]) => {
      const b = await real.boot({ ...opts, log: () => {} });
      h.booted.push(b);
      return b;
    },
  };
});

vi.mock('../../src/main/electron/platform', async () => {
  const { testPlatform } = await import('../helpers');
  return { electronPlatform: (dir: string) => testPlatform(dir, h.opened) };
});

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const userData = mkdtempSync(join(tmpdir(), 'sso-desk-electron-main-'));
  h.dirs.push(userData);
  const fn = <T extends unknown[]>(name: string, impl: (...a: T) => unknown = () => undefined) =>
    vi.fn((...a: T) => (h.order.push(name), impl(...a)));
  const app = Object.assign(new EventEmitter(), {
    isPackaged: true,
    requestSingleInstanceLock: fn('requestSingleInstanceLock', () => true),
    quit: fn('quit'),
    exit: fn('exit'),
    enableSandbox: fn('enableSandbox'),
    isReady: () => true,
    whenReady: fn('whenReady', () => Promise.resolve()),
    getPath: () => userData,
    getVersion: () => '0.0.0-test',
    getAppPath: () => process.cwd(),
  });
  class FakeContents extends EventEmitter {
    openHandler: ((d: { url: string }) => { action: string }) | undefined;
    setWindowOpenHandler(handler: (d: { url: string }) => { action: string }) {
      this.openHandler = handler;
    }
  }
  class BrowserWindow extends EventEmitter {
    static windows: BrowserWindow[] = [];
    static getAllWindows = () => BrowserWindow.windows;
    webContents = new FakeContents();
    loadURL = vi.fn(async () => undefined);
    loadFile = vi.fn(async () => undefined);
    show = vi.fn();
    focus = vi.fn();
    restore = vi.fn();
    isMinimized = () => true;
    isDestroyed = () => false;
    getBounds = () => ({ x: 0, y: 0, width: 800, height: 600 });
    constructor(public options: Record<string, unknown>) {
      super();
      BrowserWindow.windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
  }
  return {
    app,
    BrowserWindow,
    ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
    protocol: { registerSchemesAsPrivileged: fn('registerSchemesAsPrivileged'), handle: fn('protocol.handle') },
    session: { defaultSession: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() } },
  };
});

type FakeWindow = {
  options: { webPreferences: Record<string, unknown> };
  loadURL: ReturnType<typeof vi.fn>;
  loadFile: ReturnType<typeof vi.fn>;
  focus: ReturnType<typeof vi.fn>;
  restore: ReturnType<typeof vi.fn>;
  webContents: import('node:events').EventEmitter & { openHandler: (d: { url: string }) => { action: string } };
};
let electron: {
  app: import('node:events').EventEmitter & Record<string, unknown>;
  BrowserWindow: { windows: FakeWindow[] };
  ipcMain: { handle: ReturnType<typeof vi.fn> };
  protocol: { handle: ReturnType<typeof vi.fn> };
  session: {
    defaultSession: {
      setPermissionRequestHandler: ReturnType<typeof vi.fn>;
      setPermissionCheckHandler: ReturnType<typeof vi.fn>;
    };
  };
};
let win: FakeWindow;

beforeAll(async () => {
  // A packaged app ignores the dev server, even when the environment names one.
  process.env['ELECTRON_RENDERER_URL'] = 'http://localhost:5173/';
  electron = (await import('electron')) as unknown as typeof electron;
  await import('../../src/main/index');
  await vi.waitFor(() => expect(electron.BrowserWindow.windows.length).toBe(1), { timeout: 80_000, interval: 50 });
  win = electron.BrowserWindow.windows[0]!;
}, 90_000);

afterAll(async () => {
  delete process.env['ELECTRON_RENDERER_URL'];
  await Promise.all(h.booted.map((b) => b.close()));
  const { rmSync } = await import('node:fs');
  for (const d of h.dirs) rmSync(d, { recursive: true, force: true });
});

describe('the desktop app wiring (fake electron, real engine)', () => {
  it('takes the single-instance lock and registers app:// before the app is ready', () => {
    expect(h.order.indexOf('requestSingleInstanceLock')).toBe(0);
    expect(h.order.indexOf('registerSchemesAsPrivileged')).toBeGreaterThan(-1);
    expect(h.order.indexOf('registerSchemesAsPrivileged')).toBeLessThan(h.order.indexOf('whenReady'));
    expect(h.order).toContain('enableSandbox');
  });

  it('loads the renderer from app://sso-desk, not file:// and not the dev server', () => {
    expect(win.loadFile).not.toHaveBeenCalled();
    expect(win.loadURL).toHaveBeenCalledWith('app://sso-desk/index.html');
    expect(electron.protocol.handle.mock.calls[0]![0]).toBe('app');
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
  });

  it('guards the window: foreign navigations and redirects stopped, window.open denied', () => {
    for (const name of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      const away = { url: 'http://localhost:5173/', preventDefault: vi.fn() };
      win.webContents.emit(name, away);
      expect(away.preventDefault, name).toHaveBeenCalled();
      const own = { url: 'app://sso-desk/index.html#/audit', preventDefault: vi.fn() };
      win.webContents.emit(name, own);
      expect(own.preventDefault, name).not.toHaveBeenCalled();
    }
    expect(win.webContents.openHandler({ url: 'https://docs.example/' })).toEqual({ action: 'deny' });
  });

  it('denies permission requests and checks', () => {
    const { setPermissionRequestHandler, setPermissionCheckHandler } = electron.session.defaultSession;
    const cb = vi.fn();
    (setPermissionRequestHandler.mock.calls[0]![0] as (...a: unknown[]) => void)(null, 'media', cb, {
      requestingUrl: 'app://sso-desk/index.html',
    });
    expect(cb).toHaveBeenCalledWith(false);
    expect(
      (setPermissionCheckHandler.mock.calls[0]![0] as (...a: unknown[]) => boolean)(
        null,
        'geolocation',
        'app://sso-desk',
      ),
    ).toBe(false);
  });

  it('the contract answers our renderer only (exact origin)', async () => {
    type Handler = (e: unknown, input: unknown) => Promise<{ ok: boolean; error?: { code: string } }>;
    const handler = electron.ipcMain.handle.mock.calls.find((c) => c[0] === 'app.info')![1] as Handler;
    const from = (url: string) => ({ senderFrame: { url, parent: null } });
    expect(await handler(from('app://sso-desk/index.html'), undefined)).toMatchObject({ ok: true });
    for (const url of ['app://sso-desk.evil/index.html', 'http://localhost:5173/', 'file:///index.html'])
      expect(await handler(from(url), undefined), url).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('a second launch with an sso-desk:// link focuses the window and opens that screen; an unknown one only focuses', () => {
    electron.app.emit('second-instance', {}, ['/opt/sso-desk', 'sso-desk://simulator'], '/');
    expect(win.restore).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalledTimes(1);
    expect(win.loadURL).toHaveBeenLastCalledWith('app://sso-desk/index.html#/simulator');
    const loads = win.loadURL.mock.calls.length;
    electron.app.emit('second-instance', {}, ['/opt/sso-desk', 'sso-desk://settings/../../etc?x=1'], '/');
    electron.app.emit('second-instance', {}, ['/opt/sso-desk', 'sso-desk://javascript:alert(1)'], '/');
    expect(win.focus).toHaveBeenCalledTimes(3);
    expect(win.loadURL.mock.calls.length).toBe(loads);
    const openUrl = { preventDefault: vi.fn() };
    electron.app.emit('open-url', openUrl, 'sso-desk://keys');
    expect(openUrl.preventDefault).toHaveBeenCalled();
    expect(win.loadURL).toHaveBeenLastCalledWith('app://sso-desk/index.html#/keys');
  });
});
