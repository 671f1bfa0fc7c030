import type { IncomingMessage, ServerResponse } from 'node:http';
import { DeskError } from '@shared/errors';
import { sendError } from './http';

export interface RouteRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: string[];
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A literal path, or a pattern whose groups become `params`. */
  path: string | RegExp;
  handle(r: RouteRequest): Promise<void> | void;
}

const match = (route: Route, pathname: string): string[] | null => {
  if (typeof route.path === 'string') return route.path === pathname ? [] : null;
  const m = route.path.exec(pathname);
  if (!m) return null;
  try {
    return m.slice(1).map((p) => decodeURIComponent(p ?? ''));
  } catch {
    // A malformed percent-encoding cannot name anything this route serves.
    return null;
  }
};

/**
 * A minimal router: 404 for an unknown path, 405 (with Allow) for a known path and another method,
 * and a DeskError thrown by a handler becomes its status and `{"error": {code, message}}`. Anything
 * else is a 500 with a generic message; the stack goes to the log only.
 */
export function createRouter(routes: Route[], log: (line: string) => void) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      sendError(res, 400, 'bad_request', 'malformed request URL');
      return;
    }
    const candidates = routes.map((r) => ({ r, params: match(r, url.pathname) })).filter((c) => c.params !== null);
    if (candidates.length === 0) {
      sendError(res, 404, 'not_found', `no such endpoint: ${url.pathname}`);
      return;
    }
    const hit = candidates.find((c) => c.r.method === req.method || (req.method === 'HEAD' && c.r.method === 'GET'));
    if (!hit) {
      const allow = [...new Set(candidates.map((c) => c.r.method))].join(', ');
      sendError(res, 405, 'method_not_allowed', `${req.method ?? '?'} is not allowed here; use ${allow}`, {
        Allow: allow,
      });
      return;
    }
    try {
      await hit.r.handle({ req, res, url, params: hit.params ?? [] });
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof DeskError) sendError(res, error.status, error.code, error.message);
      else {
        log(`[${req.method} ${url.pathname}] ${(error as Error)?.stack ?? String(error)}`);
        sendError(res, 500, 'internal', 'the server failed unexpectedly; details are in the log');
      }
    }
  };
}
