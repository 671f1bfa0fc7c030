import type { Protocol } from 'electron';
import { CONSOLE_CSP } from '../host/console-server';
import { resolveStatic } from '../host/static-files';

/**
 * The renderer is served from a privileged custom scheme, `app://sso-desk/`, not `file://` (Electron
 * security checklist §18): a `file://` page may read any file its path names, an `app://` page only
 * what this handler serves, which is the built renderer and nothing outside its folder.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'sso-desk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX = `${APP_ORIGIN}/index.html`;

/**
 * Declares `app:` a standard, secure scheme (a real origin, fetch, the same rules as https). Must run
 * before the app is ready.
 */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/**
 * The answer to one `app://` request: a file of the built renderer, with the console's CSP; 404 for
 * another host, a missing file or any path that resolves outside `rendererDir` (`..`, `%2e%2e`, NUL).
 */
export async function appResponse(rendererDir: string, url: string): Promise<Response> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return new Response('bad request', { status: 400 });
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST)
    return new Response('not found', { status: 404 });
  const file = await resolveStatic(rendererDir, parsed.pathname);
  if (!file) return new Response('not found', { status: 404 });
  return new Response(new Uint8Array(file.body), {
    status: 200,
    headers: { 'Content-Type': file.type, 'Content-Security-Policy': CONSOLE_CSP, 'X-Content-Type-Options': 'nosniff' },
  });
}

/** Serves the built renderer on `app://sso-desk/` (after ready). */
export function serveRenderer(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => appResponse(rendererDir, request.url));
}
