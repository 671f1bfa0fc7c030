import { app, BrowserWindow, ipcMain, protocol, session } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { boot, type Booted } from './boot';
import { bindContract } from './ipc';
import { electronPlatform } from './electron/platform';
import { secureWebPreferences } from './electron/window-options';
import { registerAppScheme, serveRenderer } from './electron/app-scheme';
import { rendererSource } from './electron/renderer-source';
import { isTrustedUrlFor } from './electron/trusted-url';
import { guardWebContents } from './electron/window-guards';
import { lockDownSession } from './electron/session-guards';
import { claimSingleInstance } from './electron/single-instance';
import { deskLinkInArgv, parseDeskLink, type LinkScreen } from './electron/desk-link';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = join(here, '..', 'renderer');
const source = rendererSource({ isPackaged: app.isPackaged, devUrl: process.env['ELECTRON_RENDERER_URL'] });
/** Only our own renderer's origin may call the contract or be navigated to. */
const isTrustedUrl = isTrustedUrlFor(source.origin);

let booted: Booted | undefined;
let mainWindow: BrowserWindow | undefined;
/** A screen named by the link the app was started with, opened once the window exists. */
let pendingScreen: LinkScreen | null = deskLinkInArgv(process.argv);

/** The renderer routes by fragment (`#/<screen>`); a screen from a link is always on the allow-list. */
const urlFor = (screen: LinkScreen | null): string => (screen ? `${source.url.split('#')[0]}#/${screen}` : source.url);

function openScreen(screen: LinkScreen | null): void {
  const win = mainWindow;
  if (!win || win.isDestroyed()) {
    pendingScreen = screen ?? pendingScreen;
    if (app.isReady() && booted) createWindow();
    return;
  }
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
  if (screen) void win.loadURL(urlFor(screen));
}

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
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('close', () => booted?.ctx.platform.prefs.set({ windowBounds: win.getBounds() }));
  void win.loadURL(urlFor(pendingScreen));
  pendingScreen = null;
  return win;
}

// One instance: a second launch (the OS opening an sso-desk:// link) focuses this one and opens its screen.
if (claimSingleInstance(app, (argv) => openScreen(deskLinkInArgv(argv)))) {
  registerAppScheme(protocol);
  app.enableSandbox();
  // Every web contents, the window's and any other, is guarded the same way.
  app.on('web-contents-created', (_event, contents) =>
    guardWebContents(
      contents,
      isTrustedUrl,
      (url) => void booted?.ctx.platform.openExternal(url).catch(() => undefined),
    ),
  );
  // macOS delivers links as an event, also before the app is ready.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    openScreen(parseDeskLink(url));
  });

  app
    .whenReady()
    .then(async () => {
      lockDownSession(session.defaultSession, isTrustedUrl);
      serveRenderer(protocol, rendererDir);
      booted = await boot({ dataDir: app.getPath('userData'), version: app.getVersion(), platform: electronPlatform });
      bindContract(ipcMain, booted.dispatch, isTrustedUrl);
      createWindow();
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) createWindow();
      });
    })
    .catch((error: unknown) => {
      process.stderr.write(`sso-desk: ${(error as Error).message}\n`);
      app.exit(1);
    });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('will-quit', () => {
    void booted?.close();
  });
}
