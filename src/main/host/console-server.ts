import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { DeskError } from '@shared/errors';
import type { Dispatch } from '../engine/dispatch';
import { baseHeaders, readJson, sendError, sendJson } from '../server/http';
import { listenLoopback } from '../server/listen';
import { checkCall } from './guard';
import { checkHost } from '../engine/network/check-host';
import { resolveStatic } from './static-files';
import type { Downloads } from './downloads';
import { createReadStream, rmSync } from 'node:fs';

/** Same policy as the Electron window's CSP meta tag, plus what only a header can say. */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const CALL_LIMIT = 12 * 1024 * 1024;

export interface ConsoleServer {
  server: Server;
  origin: string;
  consoleUrl: string;
}

/**
 * The browser host: the built renderer at `/`, the contract at `POST /api/ipc/<channel>`. Static
 * files carry no secrets and need no key; every call does.
 */
export async function startConsoleServer(opts: {
  rendererDir: string;
  dispatch: Dispatch;
  key: string;
  port: number;
  log: (line: string) => void;
  downloads?: Downloads;
}): Promise<ConsoleServer> {
  const root = resolve(opts.rendererDir);
  let origin = '';
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const download = /^\/api\/download\/([A-Za-z0-9_-]{43})$/.exec(url.pathname);
    if (download && req.method === 'GET') {
      // The one-time token is the credential here (a link the console opens); Host is still checked.
      const badHost = checkHost(req, [new URL(origin).host], 403);
      if (badHost) return sendError(res, badHost.status, badHost.code, badHost.message);
      const file = opts.downloads?.take(download[1]!);
      if (!file) return sendError(res, 404, 'download_gone', 'this download link was used already or has expired');
      baseHeaders(res);
      res.writeHead(200, {
        'Content-Type': file.mime,
        'Content-Disposition': `attachment; filename="${file.name.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
      });
      const stream = createReadStream(file.path);
      stream.pipe(res);
      stream.on('close', () => rmSync(file.path, { force: true }));
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      const verdict = checkCall(req, origin, opts.key);
      if (!verdict.ok) return sendError(res, verdict.status, verdict.code, verdict.message);
      const m = /^\/api\/ipc\/([a-zA-Z0-9.]+)$/.exec(url.pathname);
      if (!m) return sendError(res, 404, 'not_found', `no such endpoint: ${url.pathname}`);
      if (req.method !== 'POST') return sendError(res, 405, 'method_not_allowed', 'use POST', { Allow: 'POST' });
      let input: unknown;
      try {
        input = await readJson(req, CALL_LIMIT, { emptyIsNothing: true });
      } catch (e) {
        const err = e as DeskError;
        return sendError(res, err.status ?? 400, err.code ?? 'invalid_json', err.message);
      }
      // The envelope is the answer: a failed call is still a 200 carrying {ok:false}, as over IPC.
      return sendJson(res, 200, await opts.dispatch(m[1]!, input));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendError(res, 405, 'method_not_allowed', 'use GET', { Allow: 'GET' });
    const file = (await resolveStatic(root, url.pathname)) ?? (await resolveStatic(root, '/'));
    if (!file) return sendError(res, 503, 'not_built', 'the console is not built: run `npm run build`');
    baseHeaders(res);
    res.writeHead(200, {
      'Content-Type': file.type,
      'Content-Length': file.body.length,
      'Content-Security-Policy': CONSOLE_CSP,
      'X-Frame-Options': 'DENY',
      'Cross-Origin-Opener-Policy': 'same-origin',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      opts.log(`[console] ${(error as Error)?.stack ?? String(error)}`);
      if (!res.headersSent) sendError(res, 500, 'internal', 'the console server failed unexpectedly');
    });
  });
  origin = await listenLoopback(server, opts.port, 'console');
  return { server, origin, consoleUrl: `${origin}/#key=${opts.key}` };
}
