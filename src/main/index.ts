import { app, BrowserWindow, ipcMain, session, shell } from 'electron';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { boot, type Booted } from './boot';
import { bindContract } from './ipc';
import { electronPlatform } from './electron/platform';
import { secureWebPreferences } from './electron/window-options';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererIndex = join(here, '..', 'renderer', 'index.html');
const devUrl = process.env['ELECTRON_RENDERER_URL'];

/** Only our own renderer may call the contract or be navigated to. */
const isTrustedUrl = (url: string): boolean =>
  devUrl ? url.startsWith(devUrl) : url.startsWith(pathToFileURL(join(here, '..', 'renderer')).href);

let booted: Booted | undefined;

function createWindow(): BrowserWindow {
  const bounds = booted?.ctx.platform.prefs.get().windowBounds;
  const win = new BrowserWindow({
    width: bounds?.width ?? 1280,
    height: bounds?.height ?? 820,
    ...(bounds?.x !== undefined && bounds?.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    title: 'SSO Desk',
    // resources/icon.png ships beside out/ (electron-builder.yml `files`); macOS takes the bundle's icon instead.
    icon: join(app.getAppPath(), 'resources', 'icon.png'),
    show: false,
    webPreferences: secureWebPreferences(join(here, '..', 'preload', 'index.cjs')),
  });
  win.once('ready-to-show', () => win.show());
  win.on('close', () => booted?.ctx.platform.prefs.set({ windowBounds: win.getBounds() }));
  // Blocked navigation: links leave for the system browser, the window never changes page.
  win.webContents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:/.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (devUrl) void win.loadURL(devUrl);
  else void win.loadFile(rendererIndex);
  return win;
}

app.enableSandbox();
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  booted = await boot({ dataDir: app.getPath('userData'), version: app.getVersion(), platform: electronPlatform });
  bindContract(ipcMain, booted.dispatch, isTrustedUrl);
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}).catch((error: unknown) => {
  process.stderr.write(`sso-desk: ${(error as Error).message}\n`);
  app.exit(1);
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  void booted?.close();
});
