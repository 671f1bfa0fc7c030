import { APP_INDEX, APP_ORIGIN } from './app-scheme';
import { originOf } from './trusted-url';

export interface RendererSource {
  /** What the window loads. */
  url: string;
  /** The one origin trusted to call the contract and to be navigated to. */
  origin: string;
  dev: boolean;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Where the renderer comes from: the dev server of `electron-vite dev` (ELECTRON_RENDERER_URL) only in
 * an unpackaged run and only on loopback over http(s); otherwise, always, the built files on `app://`.
 * A packaged app that honoured the variable would let anyone who can set the environment replace the
 * whole console, with the contract's full access.
 */
export function rendererSource(opts: { isPackaged: boolean; devUrl: string | undefined }): RendererSource {
  if (!opts.isPackaged && opts.devUrl) {
    try {
      const u = new URL(opts.devUrl);
      if (
        (u.protocol === 'http:' || u.protocol === 'https:') &&
        LOOPBACK.has(u.hostname) &&
        !u.username &&
        !u.password
      ) {
        return { url: u.href, origin: originOf(u.href)!, dev: true };
      }
    } catch {
      // Not a URL: fall through to the built renderer.
    }
  }
  return { url: APP_INDEX, origin: APP_ORIGIN, dev: false };
}
