import { describe, expect, it, vi } from 'vitest';
import { EventEmitter } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  APP_INDEX,
  APP_ORIGIN,
  appResponse,
  registerAppScheme,
  serveRenderer,
} from '../../src/main/electron/app-scheme';
import { isTrustedUrlFor, originOf } from '../../src/main/electron/trusted-url';
import { rendererSource } from '../../src/main/electron/renderer-source';
import { guardWebContents } from '../../src/main/electron/window-guards';
import { lockDownSession } from '../../src/main/electron/session-guards';
import { claimSingleInstance } from '../../src/main/electron/single-instance';
import { deskLinkInArgv, parseDeskLink } from '../../src/main/electron/desk-link';
import { tempDir } from '../helpers';

/** Issue 10 point 7: each rule of the Electron checklist, through the facade, with fake Electron objects. */

describe('the renderer is served from app://, never file://', () => {
  it('app: is registered as a standard, secure scheme with fetch', () => {
    const protocol = { registerSchemesAsPrivileged: vi.fn() };
    registerAppScheme(protocol);
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }),
      }),
    ]);
    expect(APP_INDEX).toBe('app://sso-desk/index.html');
  });

  it('serves the built files with the CSP, and nothing outside the renderer folder or on another host', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const web = join(dir, 'renderer');
      mkdirSync(join(web, 'assets'), { recursive: true });
      writeFileSync(join(web, 'index.html'), '<!doctype html><title>SSO Desk</title>');
      writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
      writeFileSync(join(dir, 'secret.txt'), 'outside the web root');
      const protocol = { handle: vi.fn() };
      serveRenderer(protocol, web);
      expect(protocol.handle.mock.calls[0]![0]).toBe('app');
      const handler = protocol.handle.mock.calls[0]![1] as (r: { url: string }) => Promise<Response>;
      const index = await handler({ url: APP_INDEX });
      expect(index.status).toBe(200);
      expect(index.headers.get('content-type')).toMatch(/^text\/html/);
      expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await index.text()).toContain('<title>SSO Desk</title>');
      expect(await (await handler({ url: 'app://sso-desk/assets/app.js' })).text()).toBe('console.log(1)');
      const escapes = [
        'app://sso-desk/../secret.txt',
        'app://sso-desk/%2e%2e/secret.txt',
        'app://sso-desk/assets/..%2f..%2fsecret.txt',
        'app://sso-desk/%00',
      ];
      for (const url of escapes) {
        const r = await appResponse(web, url);
        expect(r.status, url).toBe(404);
        expect(await r.text()).not.toContain('outside');
      }
      expect((await appResponse(web, 'app://other/index.html')).status).toBe(404);
      expect((await appResponse(web, 'file:///etc/passwd')).status).toBe(404);
    } finally {
      cleanup();
    }
  });
});

describe('isTrustedUrl matches the origin exactly', () => {
  const trusted = isTrustedUrlFor(APP_ORIGIN);
  it('trusts our renderer, whatever the path or fragment', () => {
    expect(originOf('app://sso-desk/index.html#/audit')).toBe('app://sso-desk');
    expect(trusted('app://sso-desk/index.html')).toBe(true);
    expect(trusted('app://sso-desk/index.html#/simulator')).toBe(true);
  });
  it('trusts nothing that merely starts like it', () => {
    const lookalikes = [
      'app://sso-desk.evil/index.html',
      'app://sso-desk@evil/index.html',
      'app://sso-desk:8080/',
      'app://evil/',
    ];
    for (const url of [...lookalikes, 'file:///index.html', 'https://sso-desk/', 'about:blank', 'not a url', ''])
      expect(trusted(url), url).toBe(false);
    const dev = isTrustedUrlFor('http://localhost:5173');
    expect(dev('http://localhost:5173/src/main.tsx')).toBe(true);
    expect(dev('http://localhost:51730/')).toBe(false);
    expect(dev('http://localhost:5173.evil.example/')).toBe(false);
  });
});

describe('the dev-server URL is honoured only when not packaged', () => {
  it('packaged: always app://, whatever ELECTRON_RENDERER_URL says', () => {
    expect(rendererSource({ isPackaged: true, devUrl: 'http://localhost:5173/' })).toEqual({
      url: APP_INDEX,
      origin: APP_ORIGIN,
      dev: false,
    });
  });
  it('unpackaged: the dev server on loopback; anything else falls back to app://', () => {
    expect(rendererSource({ isPackaged: false, devUrl: 'http://localhost:5173/' })).toEqual({
      url: 'http://localhost:5173/',
      origin: 'http://localhost:5173',
      dev: true,
    });
    for (const devUrl of [
      'https://evil.example/',
      'file:///tmp/x.html',
      'http://user:pw@localhost:5173/',
      'nonsense',
      undefined,
    ])
      expect(rendererSource({ isPackaged: false, devUrl }).url, String(devUrl)).toBe(APP_INDEX);
  });
});

/** A fake WebContents: an emitter plus the window-open handler it is given. */
function fakeContents() {
  type OpenHandler = (d: { url: string }) => { action: 'deny' };
  const emitter = new EventEmitter() as EventEmitter & {
    openHandler?: OpenHandler;
    setWindowOpenHandler: (h: OpenHandler) => void;
  };
  emitter.setWindowOpenHandler = (h) => (emitter.openHandler = h);
  return emitter;
}
const navEvent = (url: string) => ({ url, preventDefault: vi.fn() });

describe('navigation guards: will-navigate, will-redirect, will-frame-navigate, window.open, webview', () => {
  const contents = fakeContents();
  const opened: string[] = [];
  guardWebContents(contents, isTrustedUrlFor(APP_ORIGIN), (url) => opened.push(url));

  it.each(['will-navigate', 'will-redirect', 'will-frame-navigate'])(
    '%s: a foreign URL is stopped, our own goes',
    (name) => {
      const away = navEvent('https://evil.example/');
      contents.emit(name, away);
      expect(away.preventDefault).toHaveBeenCalled();
      const lookalike = navEvent('app://sso-desk.evil/index.html');
      contents.emit(name, lookalike);
      expect(lookalike.preventDefault).toHaveBeenCalled();
      const home = navEvent('app://sso-desk/index.html#/keys');
      contents.emit(name, home);
      expect(home.preventDefault).not.toHaveBeenCalled();
    },
  );

  it('will-navigate with the URL only as the legacy second argument is guarded too', () => {
    const e = { preventDefault: vi.fn() };
    contents.emit('will-navigate', e, 'https://evil.example/');
    expect(e.preventDefault).toHaveBeenCalled();
  });

  it('window.open is denied; web links go to the system browser, other schemes nowhere', () => {
    expect(contents.openHandler!({ url: 'https://docs.example/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://docs.example/']);
  });

  it('a <webview> is never attached', () => {
    const e = navEvent('');
    contents.emit('will-attach-webview', e);
    expect(e.preventDefault).toHaveBeenCalled();
  });
});

describe('permissions: requests and checks are denied', () => {
  const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() };
  lockDownSession(session as never, isTrustedUrlFor(APP_ORIGIN));
  type RequestHandler = (wc: unknown, p: string, cb: (ok: boolean) => void, d: { requestingUrl: string }) => void;
  const request = session.setPermissionRequestHandler.mock.calls[0]![0] as RequestHandler;
  const check = session.setPermissionCheckHandler.mock.calls[0]![0] as (
    wc: unknown,
    p: string,
    origin: string,
  ) => boolean;

  const denied = ['media', 'geolocation', 'notifications', 'openExternal', 'hid', 'clipboard-read', 'fullscreen'];
  it.each(denied)('%s is denied, asked or checked', (p) => {
    const cb = vi.fn();
    request(null, p, cb, { requestingUrl: APP_INDEX });
    expect(cb).toHaveBeenCalledWith(false);
    expect(check(null, p, APP_ORIGIN)).toBe(false);
  });

  it('only clipboard writes from our own renderer pass (the Copy buttons)', () => {
    const cb = vi.fn();
    request(null, 'clipboard-sanitized-write', cb, { requestingUrl: APP_INDEX });
    expect(cb).toHaveBeenCalledWith(true);
    expect(check(null, 'clipboard-sanitized-write', APP_ORIGIN)).toBe(true);
    expect(check(null, 'clipboard-sanitized-write', 'https://evil.example')).toBe(false);
  });
});

describe('one instance at a time, and sso-desk:// links', () => {
  it('a second instance quits at once and hands its command line to the first', () => {
    const second = Object.assign(new EventEmitter(), { requestSingleInstanceLock: () => false, quit: vi.fn() });
    const onLink = vi.fn();
    expect(claimSingleInstance(second, onLink)).toBe(false);
    expect(second.quit).toHaveBeenCalled();

    const first = Object.assign(new EventEmitter(), { requestSingleInstanceLock: () => true, quit: vi.fn() });
    expect(claimSingleInstance(first, onLink)).toBe(true);
    expect(first.quit).not.toHaveBeenCalled();
    first.emit('second-instance', {}, ['/opt/SSO Desk/sso-desk', 'sso-desk://audit']);
    expect(onLink).toHaveBeenCalledWith(['/opt/SSO Desk/sso-desk', 'sso-desk://audit']);
  });

  it('a link names one screen of the allow-list, and carries nothing else', () => {
    expect(parseDeskLink('sso-desk://simulator')).toBe('simulator');
    expect(parseDeskLink('sso-desk://Audit/')).toBe('audit');
    const refused = [
      'sso-desk://evil',
      'sso-desk://simulator/../../x',
      'sso-desk://keys?reveal=1',
      'sso-desk://keys#x',
      'sso-desk://u:p@keys',
      'sso-desk://keys:1',
      'https://simulator',
      'sso-desk:simulator',
      `sso-desk://${'a'.repeat(300)}`,
    ];
    for (const link of refused) expect(parseDeskLink(link), link).toBeNull();
    expect(deskLinkInArgv(['/usr/bin/sso-desk', '--no-sandbox', 'sso-desk://nope', 'sso-desk://inspector'])).toBe(
      'inspector',
    );
    expect(deskLinkInArgv(['/usr/bin/sso-desk'])).toBeNull();
  });
});
